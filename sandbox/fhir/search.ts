/**
 * Compiles a FHIR search query string into SQL filters over the store's index tables.
 * Unknown parameters are ignored and left out of the `self` link, as FHIR's lenient handling asks.
 */
import { normalizeInstant } from './indexing.js';
import { FhirError } from './outcome.js';
import type { PageCursor, SearchOrder, SqlFilter } from './store.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface CompiledSearch {
  filters: SqlFilter[];
  order: SearchOrder;
  count: number;
  /** Where this page starts (`_cursor`, from a next link); null on the first page. */
  after: PageCursor | null;
  /** `_total=accurate` or `estimate` (both counted exactly here); `none` or absent: a total only when it is free. */
  countTotal: boolean;
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
/** The reference parameters `_include` follows, by source type (`*`: any type); the capability statement lists them. */
export const REFERENCE_INCLUDES: Record<string, readonly string[]> = {
  '*': ['patient', 'subject', 'encounter'],
  MedicationRequest: ['medication', 'requester'],
  Encounter: ['participant', 'service-provider'],
};
export const includesOf = (type: string) => [...(REFERENCE_INCLUDES['*'] ?? []), ...(REFERENCE_INCLUDES[type] ?? [])];
/** Paging and totals are set on each link by the server, never carried over from the request. */
const PAGING_PARAMS = new Set(['_count', '_cursor', '_total']);
const TOTAL_MODES = new Set(['none', 'estimate', 'accurate']);

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

/** A missing date is stored as '', below every instant: only the comparisons that could reach it exclude it. */
function dateFilter(raw: string): SqlFilter {
  const match = /^(eq|ne|gt|lt|ge|le)?(.+)$/.exec(raw);
  const prefix = match?.[1] ?? 'eq';
  const [low, high] = dateRange(match?.[2] ?? raw);
  switch (prefix) {
    case 'eq':
      return { sql: '(r.date >= ? AND r.date < ?)', args: [low, high] };
    case 'ne':
      return { sql: "(r.date <> '' AND (r.date < ? OR r.date >= ?))", args: [low, high] };
    case 'ge':
      return { sql: 'r.date >= ?', args: [low] };
    case 'gt':
      return { sql: 'r.date >= ?', args: [high] };
    case 'le':
      return { sql: "(r.date <> '' AND r.date < ?)", args: [high] };
    default:
      return { sql: "(r.date <> '' AND r.date < ?)", args: [low] };
  }
}

/** `date:missing=true` matches resources without a date, `false` those with one (FHIR search §3.1.1.5.2). */
function missingFilter(value: string): SqlFilter {
  if (value !== 'true' && value !== 'false') throw new FhirError(400, 'invalid', `:missing expects true or false, got ${value}`);
  return { sql: value === 'true' ? "r.date = ''" : "r.date <> ''", args: [] };
}

/** The opaque `_cursor` of a next link: the last row's sort key. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.date, cursor.rid])).toString('base64url');
}

function decodeCursor(value: string): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && Number.isInteger(parsed[1]))
      return { date: parsed[0], rid: parsed[1] as number };
  } catch {
    // reported below
  }
  throw new FhirError(400, 'invalid', '_cursor is not a cursor this server gave out');
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
    else if ((name === 'date:missing' && dated) || (name === 'birthdate:missing' && !dated)) filter = missingFilter(value);
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
  let order: SearchOrder = 'date';
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
    if (source !== type || !param || !includesOf(type).includes(param)) {
      throw new FhirError(400, 'not-supported', `_include supports ${type}:{${includesOf(type).join('|')}} only`);
    }
    includes.push(param);
    applied.append('_include', include);
  }

  const total = params.get('_total');
  if (total !== null && !TOTAL_MODES.has(total))
    throw new FhirError(400, 'invalid', `_total is none, estimate or accurate, got ${total}`);
  const cursor = params.get('_cursor');
  for (const name of PAGING_PARAMS) applied.delete(name);
  return {
    filters,
    order,
    count: pageSize(params.get('_count')),
    after: cursor === null ? null : decodeCursor(cursor),
    countTotal: total === 'accurate' || total === 'estimate',
    summaryCount,
    includes,
    applied,
  };
}
