import type { PatientBanner, SectionState } from './chart';
import { formatAge, formatDate, formatSex } from './chart-format';
import { bannerAllergies, chartSummary, type SummaryGroup } from './chart-summary';
import { cellText } from './section-columns';
import { displayedRows, SECTION_COLUMNS, sectionMessages, type SectionSnapshot } from './section-view';
import { CHART_SECTION_IDS, type ChartSectionId } from './sessions';

/**
 * The banner's fields as shown, label then text: who the patient is at a glance, and their allergies
 * once the allergies section is known. Other identifiers only on request.
 */
export function bannerFields(
  banner: PatientBanner,
  allergies?: SectionSnapshot<'allergies'>,
): Array<{ label: string; text: string }> {
  const fields = [
    { label: 'Born', text: banner.birthDate ? formatDate(banner.birthDate) : 'unknown' },
    { label: 'Age', text: formatAge(banner) },
  ];
  if (banner.deceased)
    fields.push({ label: 'Died', text: banner.deceasedDate ? formatDate(banner.deceasedDate) : 'date unknown' });
  fields.push({ label: 'Sex', text: formatSex(banner.sex) }, { label: 'MRN', text: banner.mrn ?? 'none' });
  // A merged or inactive record must not pass for the patient's current chart.
  if (banner.replacedBy) fields.push({ label: 'Record', text: `merged into ${banner.replacedBy}: open that record instead` });
  else if (banner.inactive) fields.push({ label: 'Record', text: 'inactive' });
  if (allergies) fields.push({ label: 'Allergies', text: bannerAllergies(allergies) });
  return fields;
}

/** The chart as the clinician sees it, as one JSON document (the `chart --json` output). */
export interface ChartDocument {
  patient: { name: string; fields: Record<string, string> };
  /** The Summary tab: its groups, items and notes as shown. */
  summary: Array<Pick<SummaryGroup, 'title' | 'note'> & { items: Array<Record<string, string>> }>;
  sections: Record<ChartSectionId, { state: SectionState; rows: Array<Record<string, string>>; notices: string[] }>;
}

/**
 * The chart document: the banner's name and fields, the summary, and per section every row it lists (under any of
 * its filters), in the order it first shows them, with each column header and cell text as shown, and
 * every message shown about it.
 */
export function chartDocument(
  banner: PatientBanner,
  sections: { [S in ChartSectionId]: SectionSnapshot<S> },
  now: Date,
): ChartDocument {
  const name = banner.deceased ? `${banner.name} (deceased)` : banner.name;
  const fields = bannerFields(banner, sections.allergies);
  const document: ChartDocument = {
    patient: { name, fields: Object.fromEntries(fields.map((field) => [field.label, field.text])) },
    summary: chartSummary(sections, now).map((group) => ({
      title: group.title,
      note: group.note,
      items: group.items.map(summaryItemCells),
    })),
    sections: {} as ChartDocument['sections'],
  };
  for (const id of CHART_SECTION_IDS) document.sections[id] = sectionDocument(sections[id]);
  return document;
}

function sectionDocument<S extends ChartSectionId>(section: SectionSnapshot<S>): ChartDocument['sections'][S] {
  const rows = displayedRows(section.id, section.rows);
  const columns = SECTION_COLUMNS[section.id];
  return {
    state: section.state,
    rows: rows.map((row) => Object.fromEntries(columns.map((column) => [column.label, cellText(column, row)]))),
    notices: sectionMessages(section, rows.length).map((message) => message.text),
  };
}

/** A summary item's parts as shown, the empty ones left out. */
export function summaryItemCells(item: SummaryGroup['items'][number]): Record<string, string> {
  const cells: Record<string, string> = { label: item.label };
  if (item.detail) cells['detail'] = item.detail;
  if (item.flag) cells['flag'] = item.flag;
  if (item.when) cells['when'] = item.when;
  return cells;
}
