import type { WithdrawnCounts, WithdrawnStatus } from './chart';

/**
 * Counting the records an EHR marks withdrawn (entered in error, cancelled), which the chart never lists but
 * always mentions: a clinician must know the EHR holds records that ChartDesk does not show.
 */

export const WITHDRAWN_STATUSES: readonly WithdrawnStatus[] = ['entered-in-error', 'cancelled'];

/** Each status in the clinician's words. */
export const WITHDRAWN_WORDS: Record<WithdrawnStatus, string> = {
  'entered-in-error': 'entered in error',
  cancelled: 'cancelled',
};

export function noneWithdrawn(): WithdrawnCounts {
  return { 'entered-in-error': 0, cancelled: 0 };
}

export function addWithdrawn(a: WithdrawnCounts, b: WithdrawnCounts): WithdrawnCounts {
  return { 'entered-in-error': a['entered-in-error'] + b['entered-in-error'], cancelled: a.cancelled + b.cancelled };
}

export function anyWithdrawn(counts: WithdrawnCounts): boolean {
  return WITHDRAWN_STATUSES.some((status) => counts[status] > 0);
}

/** One sentence per status with any: "2 records marked entered in error by the EHR are not shown." */
export function withdrawnSentences(counts: WithdrawnCounts): string[] {
  return WITHDRAWN_STATUSES.filter((status) => counts[status] > 0).map((status) => {
    const count = counts[status];
    const [records, are] = count === 1 ? ['1 record', 'is'] : [`${count} records`, 'are'];
    return `${records} marked ${WITHDRAWN_WORDS[status]} by the EHR ${are} not shown.`;
  });
}
