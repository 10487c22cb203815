import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { askedFrom, fhirInstant, MAX_WINDOWS, planWindows, windowParams } from './window-planner';

const DAY_MS = 86_400_000;
const TOP = Date.parse('2026-01-01T00:00:00Z');

describe('date windows', () => {
  it('cuts the span into windows of about 0.8 page, newest first, the oldest open below, on whole seconds', () => {
    const windows = planWindows({ top: TOP, oldest: TOP - 10 * 365 * DAY_MS, rows: 9000 }, 1000);
    expect(windows).toHaveLength(Math.ceil(9000 / 800));
    expect(windows[0]?.to).toBe(TOP);
    expect(windows.at(-1)?.from).toBeNull();
    expect(windows.every((window) => window.to % 1000 === 0 && (window.from ?? 0) % 1000 === 0)).toBe(true);
    expect(windows[0]?.overlapMs).toBe(DAY_MS);
    expect(windowParams(windows[0]!)).toEqual({
      date: [`ge${fhirInstant(windows[0]!.from! - DAY_MS)}`, 'lt2026-01-01T00:00:00Z'],
    });
    expect(windowParams(windows.at(-1)!)).toEqual({ date: [`lt${fhirInstant(windows.at(-1)!.to)}`] });
    expect(planWindows({ top: TOP, oldest: TOP - 1000 * DAY_MS, rows: 10_000_000 }, 1000)).toHaveLength(MAX_WINDOWS);
  });

  it('leaves no instant below the top to no window, edges and overlaps included', () => {
    const span = fc.record({
      width: fc.integer({ min: 0, max: 20 * 365 * DAY_MS }),
      rows: fc.integer({ min: 0, max: 20_000 }),
      pageSize: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(span, fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 5 }), ({ width, rows, pageSize }, nudges) => {
        const windows = planWindows({ top: TOP, oldest: TOP - width, rows }, pageSize);
        expect(windows.length).toBeGreaterThanOrEqual(1);
        // Every edge, every edge less the overlap, and a few milliseconds either side of them.
        const edges = windows.flatMap((w) => [w.to, ...(w.from === null ? [] : [w.from, w.from - w.overlapMs])]);
        for (const at of edges.flatMap((edge) => [edge, ...nudges.map((n) => edge + n)]).filter((at) => at < TOP)) {
          expect(windows.some((w) => at >= askedFrom(w) && at < w.to)).toBe(true);
        }
        for (let i = 1; i < windows.length; i += 1) expect(windows[i]?.to).toBe(windows[i - 1]?.from);
      }),
      { seed: 17_2026, numRuns: 300 },
    );
  }, 60_000);
});
