import type { AllergyRow, EncounterRow, MedicationRow, ObservationRow } from './chart';
import { formatDate, formatObservationValue, isOldReading, readingWhen, toTime } from './chart-format';
import { foldMedications } from './medication-list';
import { flagText, isUnjudged } from './result-flags';
import { allergyStatementText, isActiveProblem, listedRows, SECTION_TITLES, type SectionSnapshot } from './section-view';
import type { ChartSectionId } from './sessions';
import type { UnitSystem } from './units';
import { newerMayCome } from './newest';
import { anyWithdrawn, withdrawnSentences } from './withdrawn';
import { latestVitals } from './vital-signs';

/**
 * The Summary tab (issue 18, item 6), shared by the renderer and the `chart` command: the latest vital
 * signs with their flags and dates, active problems and medications, allergies, abnormal labs of the last
 * months, the last and next encounter. Each group leads to its section.
 */

export interface SummaryItem {
  /** What it is: "Heart rate", "Hypertension", a drug. */
  label: string;
  /** Its value or detail: "102 bpm", a dose, a reaction; '' when there is none. */
  detail: string;
  /** The flag as the tables word it ("High (computed, adult range)"), '' when unflagged. */
  flag: string;
  abnormal: boolean;
  /** When it was taken, started or happened; '' when not known. An old reading says how old. */
  when: string;
  /** A reading old enough that it must not pass for a current one. */
  old: boolean;
}

export type SummaryGroupId = 'vitals' | 'problems' | 'medications' | 'allergies' | 'labs' | 'encounters';

export interface SummaryGroup {
  id: SummaryGroupId;
  title: string;
  /** The section the group opens. */
  section: ChartSectionId;
  items: SummaryItem[];
  /** A sentence beside or instead of the items: the section's state, nothing to show, the window. */
  note: string | null;
}

/** Abnormal labs of this many days before the latest result are summarised. */
export const ABNORMAL_LAB_DAYS = 183;
const DAY_MS = 86_400_000;
/** At most this many items per group; the rest are in the section. */
export const SUMMARY_LIMIT = 8;

type Sections = { [S in ChartSectionId]: SectionSnapshot<S> };

const item = (fields: Partial<SummaryItem> & Pick<SummaryItem, 'label'>): SummaryItem => ({
  detail: '',
  flag: '',
  abnormal: false,
  when: '',
  old: false,
  ...fields,
});

/** What the section's state says in place of items, or null when its rows can be summarised. */
function stateNote(section: SectionSnapshot): string | null {
  const title = SECTION_TITLES[section.id].title.toLowerCase();
  if (section.state === 'not-granted') return `Not available: the EHR did not grant ChartDesk access to ${title}.`;
  if (section.state === 'error') return `${SECTION_TITLES[section.id].title} could not be loaded: open the section to retry.`;
  if (section.state === 'loading' && section.rows.length === 0) return `Loading ${title}…`;
  return null;
}

/**
 * What the section says that the summary must not hide: the EHR withheld entries, sent another patient's, or
 * marked some entered in error, so "no abnormal results" or a short list is not the whole story.
 */
function caveat(section: SectionSnapshot): string | null {
  const title = SECTION_TITLES[section.id].title;
  const said = [
    section.otherPatient > 0 ? `The EHR sent entries for another patient, left out: see ${title}.` : null,
    section.notices.length > 0 ? `The EHR sent a message about them (results it withheld, say): read it in ${title}.` : null,
    ...withdrawnSentences(section.withdrawn).map((sentence) => `${sentence.replace(/\.$/, '')}: see ${title}.`),
  ];
  return said.filter(Boolean).join(' ') || null;
}

function limited(items: SummaryItem[], note: string | null, title: string): { items: SummaryItem[]; note: string | null } {
  if (items.length <= SUMMARY_LIMIT) return { items, note };
  const more = `${items.length - SUMMARY_LIMIT} more in ${title}.`;
  return { items: items.slice(0, SUMMARY_LIMIT), note: note ? `${note} ${more}` : more };
}

function group(
  id: SummaryGroupId,
  title: string,
  section: SectionSnapshot,
  build: () => { items: SummaryItem[]; none: string; note?: string | null },
): SummaryGroup {
  const blocked = stateNote(section);
  if (blocked) return { id, title, section: section.id, items: [], note: blocked };
  const built = build();
  const loading = section.state === 'loading' ? 'Still loading: more may follow.' : null;
  const note =
    [caveat(section), built.items.length === 0 ? built.none : null, built.note ?? null, loading].filter(Boolean).join(' ') ||
    null;
  return { id, title, section: section.id, ...limited(built.items, note, SECTION_TITLES[section.id].title) };
}

function observationItem(row: ObservationRow, label: string, now: Date, units: UnitSystem): SummaryItem {
  return item({
    label,
    detail: formatObservationValue(row, units),
    flag: flagText(row.flag),
    abnormal: row.flag?.abnormal === true,
    when: readingWhen(row.effective, now),
    old: isOldReading(row.effective, now),
  });
}

/** The allergies a clinician must know: active (or of unknown status) and not refuted, each with its reactions. */
export function currentAllergies(rows: readonly AllergyRow[]): AllergyRow[] {
  return rows.filter(
    (row) =>
      row.statement === null &&
      row.verificationStatus !== 'refuted' &&
      (row.clinicalStatus === null || row.clinicalStatus === 'active'),
  );
}

/** An allergy in a few words: the substance, its reactions (with severity), unconfirmed or high criticality said. */
export function allergyWords(row: AllergyRow): string {
  const marks = [
    row.criticality === 'high' ? 'high criticality' : null,
    row.verificationStatus && row.verificationStatus !== 'confirmed' ? row.verificationStatus : null,
  ].filter(Boolean);
  const reactions = row.reactions.length > 0 ? `: ${row.reactions.join(', ')}` : '';
  return `${row.substance.text}${reactions}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
}

/**
 * The banner's allergy line: the current allergies, else what the EHR stated ("No known allergies"),
 * else that none are recorded; and plainly when allergies were not granted, failed or are still loading.
 */
export function bannerAllergies(section: SectionSnapshot<'allergies'>): string {
  if (section.state === 'not-granted') return 'Not available: the EHR did not grant ChartDesk access to allergies';
  if (section.state === 'error') return 'Could not be loaded: see Allergies';
  const current = currentAllergies(section.rows);
  if (current.length > 0) return current.map(allergyWords).join('; ') + (section.state === 'loading' ? '; loading more…' : '');
  if (section.state === 'loading') return 'Loading…';
  // With nothing current, an allergy the EHR marks entered in error is worth a word: it may be the one expected.
  const withdrawn = withdrawnSentences(section.withdrawn).map((sentence) => sentence.replace(/\.$/, ''));
  return [noCurrentAllergies(section), ...withdrawn].join('; ');
}

/** What the allergies say when none is current: the EHR's statement ("No known allergies"), none active, none recorded. */
function noCurrentAllergies(section: SectionSnapshot<'allergies'>): string {
  const statements = section.rows.filter((row) => row.statement !== null);
  if (statements.length > 0) return statements.map((row) => allergyStatementText(row).replace(/\.$/, '')).join('; ');
  if (section.rows.length > 0) return 'None active (see Allergies)';
  return anyWithdrawn(section.withdrawn) ? 'None current' : 'Not recorded: the EHR lists no allergies';
}

function vitalsGroup(section: SectionSnapshot<'vitals'>, now: Date, units: UnitSystem): SummaryGroup {
  return group('vitals', 'Latest vital signs', section, () => ({
    items: latestVitals(section.rows).map(({ title, latest }) => {
      const shown = observationItem(latest, title, now, units);
      // Newest first is how vitals load: until the newest are in, a value is the latest so far, not the latest.
      return newerMayCome(latest.effective, section.state, section.newestSince)
        ? { ...shown, when: `${shown.when} (loading newer…)` }
        : shown;
    }),
    none: 'No vital signs recorded.',
  }));
}

function problemsGroup(section: SectionSnapshot<'problems'>): SummaryGroup {
  return group('problems', 'Active problems', section, () => {
    const active = listedRows('problems', section.rows)
      .filter(isActiveProblem)
      .sort((a, b) => (toTime(b.onset) ?? -Infinity) - (toTime(a.onset) ?? -Infinity));
    return {
      items: active.map((row) =>
        item({ label: row.code.text, when: row.onset ? `since ${formatDate(row.onset)}` : (row.onsetText ?? '') }),
      ),
      none: 'No active problems recorded.',
    };
  });
}

/** Active orders and reported medications, one item per drug (common/medication-list.ts): the latest active order of each. */
export function activeMedications(rows: readonly MedicationRow[]): MedicationRow[] {
  return foldMedications(rows.filter((row) => row.status === 'active'));
}

function medicationsGroup(section: SectionSnapshot<'medications'>): SummaryGroup {
  return group('medications', 'Active medications', section, () => ({
    items: activeMedications(section.rows).map((row) =>
      item({
        label: row.medication.text,
        detail: row.dosage ?? '',
        when: row.authoredOn ? `${row.reported ? 'reported' : 'ordered'} ${formatDate(row.authoredOn)}` : '',
      }),
    ),
    none: 'No active medications recorded.',
  }));
}

function allergiesGroup(section: SectionSnapshot<'allergies'>): SummaryGroup {
  return group('allergies', 'Allergies', section, () => {
    const current = currentAllergies(section.rows);
    return {
      items: current.map((row) =>
        item({
          label: row.substance.text,
          detail: row.reactions.join(', ') || 'No reaction recorded',
          flag: row.criticality === 'high' ? 'High criticality' : '',
          abnormal: row.criticality === 'high',
          when: row.recorded ? `recorded ${formatDate(row.recorded)}` : '',
        }),
      ),
      none: noCurrentAllergies(section) + '.',
    };
  });
}

/**
 * Abnormal results of the months before the latest result, the latest of each test: the window ends today,
 * or at the latest result when the record has nothing newer (then the note says so, and each item its age).
 */
function labsGroup(section: SectionSnapshot<'labs'>, now: Date, units: UnitSystem): SummaryGroup {
  return group('labs', 'Abnormal labs', section, () => {
    const latestTime = section.rows.reduce((latest, row) => Math.max(latest, row.time ?? -Infinity), -Infinity);
    const windowEnd = Math.min(now.getTime(), latestTime);
    const windowStart = windowEnd - ABNORMAL_LAB_DAYS * DAY_MS;
    const byTest = new Map<string, ObservationRow>();
    let unjudged = 0;
    for (const row of section.rows) {
      const time = row.time;
      if (time === null || time < windowStart) continue;
      if (isUnjudged(row)) unjudged += 1;
      if (!row.flag?.abnormal) continue;
      const key = row.code.code ? `${row.code.system ?? ''}|${row.code.code}` : row.code.text.toLowerCase();
      const known = byTest.get(key);
      if (!known || time > (known.time ?? -Infinity)) byTest.set(key, row);
    }
    const rows = [...byTest.values()].sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
    const months = Math.round(ABNORMAL_LAB_DAYS / 30.5);
    const ended = Number.isFinite(latestTime) && latestTime < now.getTime() - ABNORMAL_LAB_DAYS * DAY_MS;
    const span = ended
      ? `the ${months} months before the latest result (${formatDate(new Date(latestTime).toISOString())})`
      : `the last ${months} months`;
    // A result with neither flag nor range was judged by no one: "no abnormal results" must not cover it.
    const notJudged =
      unjudged > 0
        ? ` ${unjudged} result${unjudged === 1 ? '' : 's'} of that time had neither a flag nor a range, so were not judged.`
        : '';
    return {
      items: rows.map((row) => observationItem(row, row.code.text, now, units)),
      none: section.rows.length === 0 ? 'No laboratory results recorded.' : `No result flagged abnormal in ${span}.${notJudged}`,
      note: rows.length > 0 ? `Results of ${span}.${notJudged}` : null,
    };
  });
}

function encounterItem(row: EncounterRow, now: Date): SummaryItem {
  const detail = [row.classLabel, row.location].filter(Boolean).join(' · ');
  return item({ label: row.type.text, detail, when: readingWhen(row.start, now), old: isOldReading(row.start, now) });
}

function encountersGroup(section: SectionSnapshot<'encounters'>, now: Date): SummaryGroup {
  return group('encounters', 'Last and next encounter', section, () => {
    const dated = section.rows
      .map((row) => ({ row, time: toTime(row.start) }))
      .filter((entry): entry is { row: EncounterRow; time: number } => entry.time !== null);
    const past = dated.filter((entry) => entry.time <= now.getTime()).sort((a, b) => b.time - a.time)[0];
    const next = dated.filter((entry) => entry.time > now.getTime()).sort((a, b) => a.time - b.time)[0];
    const items: SummaryItem[] = [];
    if (past) items.push({ ...encounterItem(past.row, now), label: `Last: ${past.row.type.text}` });
    if (next) items.push({ ...encounterItem(next.row, now), label: `Next: ${next.row.type.text}` });
    return {
      items,
      none: 'No dated encounters recorded.',
      note: items.length > 0 && !next ? 'No upcoming encounter recorded.' : null,
    };
  });
}

/** The summary of the chart as it stands: one group per kind, in the order shown. */
export function chartSummary(sections: Sections, now: Date, units: UnitSystem = 'metric'): SummaryGroup[] {
  return [
    vitalsGroup(sections.vitals, now, units),
    problemsGroup(sections.problems),
    medicationsGroup(sections.medications),
    allergiesGroup(sections.allergies),
    labsGroup(sections.labs, now, units),
    encountersGroup(sections.encounters, now),
  ];
}
