import { describe, expect, it } from 'vitest';
import type { Column } from './section-columns';
import { filterRows, prepareSearch } from './table';

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
