/**
 * Filtering and sorting for the chart's tables (the renderer's, and the order the `chart` command prints). Both run over up to tens of thousands of rows on
 * every keystroke, so each row's search text and sort keys are computed once and remembered
 * (weakly: they go with the row), and can be computed ahead, before the first keystroke.
 */

import type { Column } from './section-columns';
import { permuted, stableOrder } from './stable-order';

export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  columnId: string;
  direction: SortDirection;
}

type Key = string | number | null;

const searchTextCache = new WeakMap<readonly Column<never>[], WeakMap<object, string>>();
const sortKeyCache = new WeakMap<Column<never>, WeakMap<object, Key>>();

function cacheFor<K extends object, V>(caches: WeakMap<K, WeakMap<object, V>>, owner: K): WeakMap<object, V> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new WeakMap();
    caches.set(owner, cache);
  }
  return cache;
}

function searchText<T extends object>(row: T, columns: readonly Column<T>[]): string {
  const cache = cacheFor(searchTextCache, columns as readonly Column<never>[]);
  let text = cache.get(row);
  if (text === undefined) {
    text = columns
      .map((column) => column.text(row))
      .join('\u0000')
      .toLowerCase();
    cache.set(row, text);
  }
  return text;
}

function sortKey<T extends object>(row: T, column: Column<T>, cache: WeakMap<object, Key>): Key {
  let key = cache.get(row);
  if (key === undefined) {
    key = column.sortKey ? column.sortKey(row) : column.text(row).toLowerCase() || null;
    cache.set(row, key);
  }
  return key;
}

/** Rows prepared between two asks whether there is time for more: about a millisecond's work. */
const SEARCH_SLICE = 50;

/**
 * Computes the search text of rows not seen yet, so that the first keystroke does not pay for it: from `start`, a
 * slice of rows at a time while `more()` says there is time (at least one slice). Returns the first row left undone.
 */
export function prepareSearch<T extends object>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  start = 0,
  more: () => boolean = () => true,
): number {
  let index = start;
  while (index < rows.length) {
    const end = Math.min(rows.length, index + SEARCH_SLICE);
    for (; index < end; index += 1) searchText(rows[index] as T, columns);
    if (!more()) break;
  }
  return index;
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

function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The keys as numbers, `missing` for a row without one (so it sorts past every number); null when some key is text. */
function numericKeys(keys: readonly Key[], missing: number): Float64Array | null {
  const numbers = new Float64Array(keys.length);
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index];
    if (key === null || key === undefined) numbers[index] = missing;
    else if (typeof key === 'number' && !Number.isNaN(key)) numbers[index] = key;
    else return null;
  }
  return numbers;
}

/** The rows sorted (the same array when they already are); rows without a key go last in either direction; ties keep their order. */
export function sortRows<T extends object>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  sort: SortSpec | null,
): readonly T[] {
  const column = sort && columns.find((candidate) => candidate.id === sort.columnId);
  if (!sort || !column) return rows;
  const sign = sort.direction === 'asc' ? 1 : -1;
  const cache = cacheFor(sortKeyCache, column as Column<never>);
  const keys = rows.map((row) => sortKey(row, column, cache));
  const numbers = numericKeys(keys, sign * Infinity);
  if (numbers) {
    // Dates and numbers: merged from the runs the rows came in.
    const order = stableOrder(numbers, sign < 0);
    return order ? permuted(rows, order) : rows;
  }
  const decorated = rows.map((row, index) => ({ row, index, key: keys[index] as Key }));
  decorated.sort((a, b) => {
    if (a.key === null || b.key === null) return compareKeys(a.key, b.key) || a.index - b.index;
    return sign * compareKeys(a.key, b.key) || a.index - b.index;
  });
  return decorated.map((entry) => entry.row);
}
