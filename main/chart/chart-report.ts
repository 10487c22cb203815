import type { ChartDocument } from '../../common/chart-document';
import { SECTION_TITLES } from '../../common/section-view';
import { CHART_SECTION_IDS } from '../../common/sessions';

/**
 * The `chart` command's readable report: the banner, the summary, then each section with its state, every message
 * shown about it, and its rows, one line each, cells as shown joined by " | " under the column headers.
 */
export function formatChartReport(document: ChartDocument): string {
  const lines = [
    `Patient: ${document.patient.name}`,
    `  ${Object.entries(document.patient.fields)
      .map(([label, text]) => `${label}: ${text}`)
      .join(' · ')}`,
  ];
  lines.push('', 'Summary');
  for (const group of document.summary) {
    lines.push(`  ${group.title}`);
    for (const item of group.items) lines.push(`    ${Object.values(item).join(' | ')}`);
    if (group.note) lines.push(`    ${group.note}`);
  }
  for (const id of CHART_SECTION_IDS) {
    const section = document.sections[id];
    const count = section.rows.length;
    lines.push('', `${SECTION_TITLES[id].title} (${section.state}, ${count} ${count === 1 ? 'entry' : 'entries'})`);
    for (const notice of section.notices) lines.push(`  ! ${notice}`);
    const headers = Object.keys(section.rows[0] ?? {});
    if (headers.length > 0) lines.push(`  ${headers.join(' | ')}`);
    for (const row of section.rows) lines.push(`  ${Object.values(row).join(' | ')}`);
  }
  return `${lines.join('\n')}\n`;
}
