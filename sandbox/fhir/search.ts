/**
 * Compiles a FHIR search query string into SQL filters over the store's index tables.
 * Unknown parameters are ignored and left out of the `self` link, as FHIR's lenient handling asks.
 */
import { normalizeInstant } from './indexing.js';
import { FhirError } from './outcome.js';
import type { SqlFilter, StoreQuery } from './store.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface CompiledSearch {
  filters: SqlFilter[];
  order: StoreQuery['order'];
  count: number;
  offset: number;
  summaryCount: boolean;
  /** Reference index parameters to include targets of (`_include=Type:param`). */
  includes: string[];
  /** The parameters that were applied, for the Bundle's links (without paging). */
  applied: URLSearchParams;
}

const TOKEN_PARAMS: Record<string, string> = {
  code: 'code',
  'vaccine-code': 'code',
  category: 'category',
  'clinical-status': 'clinical-status',
  identifier: 'identifier',
};
const STRING_PARAMS = new Set(['name', 'family', 'given']);
const REFERENCE_INCLUDES = new Set(['patient', 'subject', 'encounter', 'medication']);
const PAGING_PARAMS = new Set(['_count', '_offset']);

const list = (value: string) => value.split(',').filter((v) => v.length > 0);
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function tokenFilter(param: string, value: string): SqlFilter {
  const alternatives: string[] = [];
  const args: unknown[] = [param];
  for (const item of list(value)) {
    const bar = item.indexOf('|');
    if (bar < 0) {
      alternatives.push('t.code = ?');
      args.push(item);
    } else if (bar === 0) {
      alternatives.push('(t.system IS NULL AND t.code = ?)');
      args.push(item.slice(1));
    } else if (bar === item.length - 1) {
      alternatives.push('t.system = ?');
      args.push(item.slice(0, -1));
    } else {
      alternatives.push('(t.system = ? AND t.code = ?)');
      args.push(item.slice(0, bar), item.slice(bar + 1));
    }
  }
  return { sql: `EXISTS (SELECT 1 FROM token t WHERE t.rid = r.rid AND t.param = ? AND (${alternatives.join(' OR ')}))`, args };
}

function stringFilter(param: string, value: string): SqlFilter {
  const items = list(value);
  const likes = items.map(() => "s.value LIKE ? ESCAPE '\\'").join(' OR ');
  return {
    sql: `EXISTS (SELECT 1 FROM string s WHERE s.rid = r.rid AND s.param = ? AND (${likes}))`,
    args: [param, ...items.map((v) => `${escapeLike(v.toLowerCase())}%`)],
  };
}

/** `code:text`: every word of the query starts a word of the code's text or displays. */
function codeTextFilter(value: string): SqlFilter | undefined {
  const words = value
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return undefined;
  const one = "EXISTS (SELECT 1 FROM string s WHERE s.rid = r.rid AND s.param = 'code-text' AND s.value LIKE ? ESCAPE '\\')";
  return { sql: `(${words.map(() => one).join(' AND ')})`, args: words.map((word) => `${escapeLike(word)}%`) };
}

/** The instant range [low, high) a FHIR date value of any precision stands for. */
function dateRange(value: string): [string, string] {
  const low = normalizeInstant(value);
  if (!low) throw new FhirError(400, 'invalid', `invalid date value: ${value}`);
  const start = new Date(low);
  const end = new Date(start);
  if (/^\d{4}$/.test(value)) end.setUTCFullYear(end.getUTCFullYear() + 1);
  else if (/^\d{4}-\d{2}$/.test(value)) end.setUTCMonth(end.getUTCMonth() + 1);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) end.setUTCDate(end.getUTCDate() + 1);
  else end.setUTCSeconds(end.getUTCSeconds() + 1);
  return [low, end.toISOString()];
}

function dateFilter(raw: string): SqlFilter {
  const match = /^(eq|ne|gt|lt|ge|le)?(.+)$/.exec(raw);
  const prefix = match?.[1] ?? 'eq';
  const [low, high] = dateRange(match?.[2] ?? raw);
  switch (prefix) {
    case 'eq':
      return { sql: '(r.date >= ? AND r.date < ?)', args: [low, high] };
    case 'ne':
      return { sql: '(r.date < ? OR r.date >= ?)', args: [low, high] };
    case 'ge':
      return { sql: 'r.date >= ?', args: [low] };
    case 'gt':
      return { sql: 'r.date >= ?', args: [high] };
    case 'le':
      return { sql: 'r.date < ?', args: [high] };
    default:
      return { sql: 'r.date < ?', args: [low] };
  }
}

const patientId = (value: string) => value.replace(/^.*Patient\//, '');

function inFilter(column: string, values: string[]): SqlFilter {
  return { sql: `${column} IN (${values.map(() => '?').join(', ')})`, args: values };
}

function pageSize(value: string | null): number {
  if (value === null) return DEFAULT_PAGE_SIZE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new FhirError(400, 'invalid', `_count must be a non-negative integer, got ${value}`);
  return Math.min(n, MAX_PAGE_SIZE);
}

/** Filters only (no paging), shared by search and by granular-scope checks. */
export function compileFilters(type: string, params: URLSearchParams, applied = new URLSearchParams()): SqlFilter[] {
  const filters: SqlFilter[] = [];
  const dated = type !== 'Patient';
  for (const [name, value] of params) {
    let filter: SqlFilter | undefined;
    if (name === '_id') filter = inFilter('r.id', list(value));
    else if (name === 'patient' || name === 'subject') filter = inFilter('r.patient', list(value).map(patientId));
    else if (name === 'encounter') {
      const targets = list(value).map((v) => (v.includes('/') ? v : `Encounter/${v}`));
      filter = {
        sql: `EXISTS (SELECT 1 FROM ref x WHERE x.rid = r.rid AND x.param = 'encounter' AND x.target IN (${targets.map(() => '?').join(', ')}))`,
        args: targets,
      };
    } else if (name === 'status') filter = inFilter('r.status', list(value));
    else if (name in TOKEN_PARAMS) filter = tokenFilter(TOKEN_PARAMS[name] as string, value);
    else if (STRING_PARAMS.has(name)) filter = stringFilter(name, value);
    else if (name === 'code:text' && type === 'Medication') filter = codeTextFilter(value);
    else if ((name === 'date' && dated) || (name === 'birthdate' && !dated)) filter = dateFilter(value);
    if (filter) {
      filters.push(filter);
      applied.append(name, value);
    }
  }
  return filters;
}

export function compileSearch(type: string, params: URLSearchParams): CompiledSearch {
  const applied = new URLSearchParams();
  const filters = compileFilters(type, params, applied);

  const sort = params.get('_sort');
  let order: StoreQuery['order'] = 'id';
  if (sort !== null) {
    if (sort !== 'date' && sort !== '-date')
      throw new FhirError(400, 'not-supported', `_sort supports date and -date only, got ${sort}`);
    order = sort;
    applied.set('_sort', sort);
  }
  const summaryCount = params.get('_summary') === 'count';
  if (summaryCount) applied.set('_summary', 'count');

  const includes: string[] = [];
  for (const include of params.getAll('_include')) {
    const [source, param] = include.split(':');
    if (source !== type || !param || !REFERENCE_INCLUDES.has(param)) {
      throw new FhirError(400, 'not-supported', `_include supports ${type}:{${[...REFERENCE_INCLUDES].join('|')}} only`);
    }
    includes.push(param);
    applied.append('_include', include);
  }

  const offset = Number(params.get('_offset') ?? 0);
  if (!Number.isInteger(offset) || offset < 0) throw new FhirError(400, 'invalid', '_offset must be a non-negative integer');
  for (const name of PAGING_PARAMS) applied.delete(name);
  return { filters, order, count: pageSize(params.get('_count')), offset, summaryCount, includes, applied };
}
