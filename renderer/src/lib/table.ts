/**
 * Filtering and sorting for the chart's tables. Both run over up to tens of thousands of rows on
 * every keystroke, so search text is computed once per row and sorting decorates rows with their
 * keys before comparing.
 */

export interface Column<T> {
  id: string;
  label: string;
  /** Cell text; the filter searches it. */
  text: (row: T) => string;
  /** Sort key when the text does not sort right (dates, numbers); null sorts last. */
  sortKey?: (row: T) => string | number | null;
  /** Grid track for the column, e.g. '2fr' or '8rem'. */
  width?: string;
}

export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  columnId: string;
  direction: SortDirection;
}

const searchTextCache = new WeakMap<readonly Column<never>[], WeakMap<object, string>>();

function searchText<T extends object>(row: T, columns: readonly Column<T>[]): string {
  let perColumns = searchTextCache.get(columns as readonly Column<never>[]);
  if (!perColumns) {
    perColumns = new WeakMap();
    searchTextCache.set(columns as readonly Column<never>[], perColumns);
  }
  let text = perColumns.get(row);
  if (text === undefined) {
    text = columns
      .map((column) => column.text(row))
      .join('\u0000')
      .toLowerCase();
    perColumns.set(row, text);
  }
  return text;
}

/** Rows whose cells contain every word of the query (case-insensitive). */
export function filterRows<T extends object>(rows: readonly T[], columns: readonly Column<T>[], query: string): readonly T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const text = searchText(row, columns);
    return words.every((word) => text.includes(word));
  });
}

type Key = string | number | null;

function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** A sorted copy; rows without a key go last in either direction; ties keep their order. */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortSpec | null): readonly T[] {
  const column = sort && columns.find((candidate) => candidate.id === sort.columnId);
  if (!sort || !column) return rows;
  const keyOf = column.sortKey ?? ((row: T) => column.text(row).toLowerCase() || null);
  const sign = sort.direction === 'asc' ? 1 : -1;
  const decorated = rows.map((row, index) => ({ row, index, key: keyOf(row) }));
  decorated.sort((a, b) => {
    if (a.key === null || b.key === null) return compareKeys(a.key, b.key) || a.index - b.index;
    return sign * compareKeys(a.key, b.key) || a.index - b.index;
  });
  return decorated.map((entry) => entry.row);
}
