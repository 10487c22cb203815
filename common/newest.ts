import type { SectionState } from './chart';
import { toTime } from './chart-format';

/**
 * Whether a row dated `effective` may still be overtaken by a newer one of its section: while the
 * section loads, until main says every row from `newestSince` on is in and the row is no older.
 * Newest first is how the chart loads, so this is soon false for the latest values.
 */
export function newerMayCome(effective: string | null, state: SectionState, newestSince: string | null): boolean {
  if (state !== 'loading') return false;
  const since = toTime(newestSince);
  const time = toTime(effective);
  return since === null || time === null || time < since;
}
