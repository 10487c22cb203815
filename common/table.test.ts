import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column } from './section-columns';
import { filterRows, prepareSearch, sortRows } from './table';

interface Row {
  name: string;
}

/** A column that counts how often it is read, to see which rows were prepared. */
function countingColumn(): { column: Column<Row>; reads: () => number } {
  let reads = 0;
  const column: Column<Row> = {
    id: 'name',
    label: 'Name',
    text: (row) => {
      reads += 1;
      return row.name;
    },
  };
  return { column, reads: () => reads };
}

describe('prepareSearch', () => {
  it('prepares a slice of rows at a time while there is time, and goes on from where it stopped', () => {
    const rows = Array.from({ length: 120 }, (_, index) => ({ name: `row ${index}` }));
    const { column, reads } = countingColumn();
    const columns = [column];
    expect(prepareSearch(rows, columns, 0, () => false)).toBe(50);
    expect(reads()).toBe(50);
    let asked = 0;
    expect(prepareSearch(rows, columns, 50, () => ++asked < 2)).toBe(120);
    expect(reads()).toBe(120);
    // Prepared rows are not read again by the filter; nothing is left to prepare.
    expect(filterRows(rows, columns, 'row 115').map((row) => row.name)).toEqual(['row 115']);
    expect(reads()).toBe(120);
    expect(prepareSearch(rows, columns, 120, () => true)).toBe(120);
  });

  it('prepares every row when not told to stop', () => {
    const rows = Array.from({ length: 75 }, (_, index) => ({ name: `row ${index}` }));
    const { column, reads } = countingColumn();
    expect(prepareSearch(rows, [column])).toBe(75);
    expect(reads()).toBe(75);
  });
});

describe('sortRows', () => {
  interface Timed {
    id: number;
    time: number | null;
  }
  const byTime: Column<Timed> = { id: 'date', label: 'Date', text: (row) => String(row.time), sortKey: (row) => row.time };
  /** The order the tables promise: by key in the direction asked, rows without a key last either way, ties as given. */
  const expected = (rows: readonly Timed[], direction: 'asc' | 'desc') => {
    const sign = direction === 'asc' ? 1 : -1;
    const keyed = rows.filter((row) => row.time !== null).sort((a, b) => sign * ((a.time as number) - (b.time as number)));
    return [...keyed, ...rows.filter((row) => row.time === null)].map((row) => row.id);
  };

  it('sorts dates either way with undated rows last and same-time rows in their order', () => {
    const times = fc.array(fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }), { maxLength: 40 });
    fc.assert(
      fc.property(times, fc.constantFrom('asc' as const, 'desc' as const), (values, direction) => {
        const rows = values.map((time, id) => ({ id, time }));
        const sorted = sortRows(rows, [byTime], { columnId: 'date', direction });
        expect(sorted.map((row) => row.id)).toEqual(expected(rows, direction));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts text columns by their lower-cased text, empty cells last', () => {
    const name: Column<Row> = { id: 'name', label: 'Name', text: (row) => row.name };
    const rows = [{ name: 'beta' }, { name: '' }, { name: 'Alpha' }, { name: 'alpha' }];
    const sorted = sortRows(rows, [name], { columnId: 'name', direction: 'desc' });
    expect(sorted.map((row) => row.name)).toEqual(['beta', 'Alpha', 'alpha', '']);
  });
});
