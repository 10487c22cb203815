import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableOrder } from './stable-order';

/** What stableOrder must equal: the built-in sort, which is stable, over the indexes. */
function reference(keys: readonly number[], descending: boolean): number[] {
  const sign = descending ? -1 : 1;
  return keys.map((_, index) => index).sort((a, b) => sign * ((keys[a] as number) - (keys[b] as number)));
}

const isIdentity = (order: readonly number[]) => order.every((value, index) => value === index);

/** Keys as a chart's rows come: runs ascending or descending (pages, windows), with ties, or at random. */
const paged = fc
  .array(
    fc.record({
      start: fc.integer({ min: -50, max: 50 }),
      steps: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }),
      down: fc.boolean(),
    }),
    { maxLength: 8 },
  )
  .map((runs) =>
    runs.flatMap(({ start, steps, down }) => {
      let key = start;
      return [start, ...steps.map((step) => (key += down ? -step : step))];
    }),
  );

describe('stableOrder', () => {
  it('leaves keys already in order alone, and reverses newest-first keys', () => {
    expect(stableOrder([1, 2, 2, 3])).toBeNull();
    expect(stableOrder([])).toBeNull();
    expect(stableOrder([7])).toBeNull();
    expect(Array.from(stableOrder([3, 2, 1]) ?? [])).toEqual([2, 1, 0]);
    expect(stableOrder([3, 2, 1], true)).toBeNull();
  });

  it('keeps ties in their given order in either direction', () => {
    expect(Array.from(stableOrder([3, 2, 2, 1]) ?? [])).toEqual([3, 1, 2, 0]);
    expect(Array.from(stableOrder([1, 2, 2, 3], true) ?? [])).toEqual([3, 1, 2, 0]);
    expect(Array.from(stableOrder([5, 1, 5, 1]) ?? [])).toEqual([1, 3, 0, 2]);
  });

  it('puts infinite keys at their ends (the tables map a missing key to one)', () => {
    expect(Array.from(stableOrder([Infinity, 2, 1]) ?? [])).toEqual([2, 1, 0]);
    expect(Array.from(stableOrder([-Infinity, 2, 1], true) ?? [])).toEqual([1, 2, 0]);
  });

  it('equals a stable sort for keys in runs and for keys at random', () => {
    const keys = fc.oneof(paged, fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 60 }));
    fc.assert(
      fc.property(keys, fc.boolean(), (values, descending) => {
        const expected = reference(values, descending);
        const order = stableOrder(values, descending);
        if (order === null) expect(isIdentity(expected)).toBe(true);
        else expect(Array.from(order)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
