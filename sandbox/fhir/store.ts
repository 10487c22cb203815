/**
 * Resource storage on SQLite (better-sqlite3): in memory by default, or in a file. Resources are
 * kept as JSON beside the index rows that the search compiler queries. Searches page by keyset (the
 * last row's sort key), as large servers do: a deep page costs what the first one does, where
 * OFFSET would scan every row before it. Writes (create, update) keep every earlier version in
 * `history`, so a version can still be read after it was replaced.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { FhirResource } from '../data/fhir-types.js';
import { indexResource } from './indexing.js';

export interface StoredResource {
  resource: FhirResource;
  versionId: string;
  lastUpdated: string;
}

/** A piece of SQL over the `r` alias of the resource table, with its bound arguments. */
export interface SqlFilter {
  sql: string;
  args: unknown[];
}

/** Without `_sort` the server answers in date order too (FHIR leaves the default order to the server). */
export type SearchOrder = 'date' | '-date';

/** Where the previous page ended: its last row's sort key (the date is '' for resources without one). */
export interface PageCursor {
  date: string;
  rid: number;
}

export interface StoreQuery {
  type: string;
  filters: SqlFilter[];
  order: SearchOrder;
  limit: number;
  /** Rows after this key in `order`; null for the first page. */
  after: PageCursor | null;
  /** Count every match (`_total=accurate`), which costs a scan of them all. */
  countTotal: boolean;
}

export interface StorePage {
  resources: FhirResource[];
  /** The key to continue after, or null on the last page. */
  next: PageCursor | null;
  /** Null when it was neither asked for nor known for free (a first page that holds every match). */
  total: number | null;
}

const TABLES = `
  CREATE TABLE resource (
    rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,
    version INTEGER NOT NULL, last_updated TEXT NOT NULL, patient TEXT, date TEXT NOT NULL, status TEXT);
  CREATE TABLE token (rid INTEGER NOT NULL, param TEXT NOT NULL, system TEXT, code TEXT NOT NULL);
  CREATE TABLE string (rid INTEGER NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL);
  CREATE TABLE ref (rid INTEGER NOT NULL, param TEXT NOT NULL, target TEXT NOT NULL);
  CREATE TABLE history (
    type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, json TEXT NOT NULL, last_updated TEXT NOT NULL,
    PRIMARY KEY (type, id, version));
`;
/**
 * Built after the bulk load, which is several times faster than maintaining them row by row.
 * `resource_patient` ends in the rowid implicitly, so it serves a patient's rows in (date, rid)
 * order both ways, seeks straight to a keyset cursor and ranges over a date window. A missing date
 * is stored as '' so that it sorts (first ascending, last descending) and seeks like any other value.
 */
const INDEXES = `
  CREATE UNIQUE INDEX resource_key ON resource (type, id);
  CREATE INDEX resource_patient ON resource (type, patient, date);
  CREATE INDEX token_lookup ON token (param, code, rid);
  CREATE INDEX string_lookup ON string (param, value, rid);
  CREATE INDEX ref_lookup ON ref (rid, param);
`;

const ORDER_SQL: Record<SearchOrder, string> = {
  date: 'r.date ASC, r.rid ASC',
  '-date': 'r.date DESC, r.rid DESC',
};

/** The statements every stored version uses, prepared once. */
function prepareWrites(db: Database.Database) {
  return {
    insert: db.prepare(
      'INSERT INTO resource (type, id, json, version, last_updated, patient, date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    token: db.prepare('INSERT INTO token (rid, param, system, code) VALUES (?, ?, ?, ?)'),
    string: db.prepare('INSERT INTO string (rid, param, value) VALUES (?, ?, ?)'),
    ref: db.prepare('INSERT INTO ref (rid, param, target) VALUES (?, ?, ?)'),
  };
}

function afterCursor(order: SearchOrder, cursor: PageCursor): SqlFilter {
  return { sql: `(r.date, r.rid) ${order === 'date' ? '>' : '<'} (?, ?)`, args: [cursor.date, cursor.rid] };
}

/** Query shapes whose statements are kept: a search's SQL depends on its parameters, not on their values. */
const PREPARED_QUERIES = 500;

export class ResourceStore {
  readonly #db: Database.Database;
  readonly #writes: ReturnType<typeof prepareWrites>;
  /**
   * Statements by their SQL, prepared once: preparing costs more than running one of these small queries, and an
   * _include asks for each matched resource's references (90 encounters: 180 queries in one search).
   */
  readonly #statements = new LRUCache<string, Database.Statement>({ max: PREPARED_QUERIES });

  /** A new store holding `resources` (the last one wins where type and id repeat). The file must not exist yet. */
  constructor(resources: FhirResource[], file = ':memory:', lastUpdated = new Date().toISOString()) {
    if (file !== ':memory:' && existsSync(file))
      throw new Error(`${file} already exists: the sandbox builds its SQLite file afresh`);
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(TABLES);
    this.#writes = prepareWrites(this.#db);
    const unique = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
    this.#load([...unique.values()], lastUpdated);
    this.#db.exec(INDEXES);
  }

  #load(resources: FhirResource[], lastUpdated: string): void {
    this.#db.transaction(() => {
      for (const resource of resources) this.#insert(resource, 1, lastUpdated);
    })();
  }

  /** Stores one version of a resource with its index rows; the stored JSON carries its meta.versionId and lastUpdated. */
  #insert(resource: FhirResource, version: number, lastUpdated: string): StoredResource {
    const stamped = this.#stamp(resource, version, lastUpdated);
    const index = indexResource(resource);
    const { lastInsertRowid: rid } = this.#writes.insert.run(
      resource.resourceType,
      resource.id,
      JSON.stringify(stamped),
      version,
      lastUpdated,
      index.patient,
      index.date ?? '',
      index.status,
    );
    this.#indexRows(Number(rid), index);
    return { resource: stamped, versionId: String(version), lastUpdated };
  }

  #stamp(resource: FhirResource, version: number, lastUpdated: string): FhirResource {
    return { ...resource, meta: { ...(resource.meta as object | undefined), versionId: String(version), lastUpdated } };
  }

  #indexRows(rid: number, index: ReturnType<typeof indexResource>): void {
    const { token, string, ref } = this.#writes;
    for (const t of index.tokens) token.run(rid, t.param, t.system, t.code);
    for (const s of index.strings) string.run(rid, s.param, s.value);
    for (const r of index.refs) ref.run(rid, r.param, r.target);
  }

  /** A new resource, version 1; the caller chose an id no resource of its type has. */
  create(resource: FhirResource, lastUpdated = new Date().toISOString()): StoredResource {
    return this.#db.transaction(() => this.#insert(resource, 1, lastUpdated))();
  }

  /**
   * The next version of an existing resource, or null when none has that type and id. The version replaced goes to
   * `history`; the index rows are rebuilt, so searches find the resource by what it says now.
   */
  update(resource: FhirResource, lastUpdated = new Date().toISOString()): StoredResource | null {
    return this.#db.transaction(() => {
      const row = this.#db
        .prepare('SELECT rid, json, version, last_updated FROM resource WHERE type = ? AND id = ?')
        .get(resource.resourceType, resource.id) as
        { rid: number; json: string; version: number; last_updated: string } | undefined;
      if (!row) return null;
      this.#db
        .prepare('INSERT INTO history (type, id, version, json, last_updated) VALUES (?, ?, ?, ?, ?)')
        .run(resource.resourceType, resource.id, row.version, row.json, row.last_updated);
      const version = row.version + 1;
      const stamped = this.#stamp(resource, version, lastUpdated);
      const index = indexResource(resource);
      this.#db
        .prepare('UPDATE resource SET json = ?, version = ?, last_updated = ?, patient = ?, date = ?, status = ? WHERE rid = ?')
        .run(JSON.stringify(stamped), version, lastUpdated, index.patient, index.date ?? '', index.status, row.rid);
      for (const table of ['token', 'string', 'ref']) this.#db.prepare(`DELETE FROM ${table} WHERE rid = ?`).run(row.rid);
      this.#indexRows(row.rid, index);
      return { resource: stamped, versionId: String(version), lastUpdated };
    })();
  }

  /** One version of a resource: the current one, or one kept in history. */
  readVersion(type: string, id: string, version: string): StoredResource | undefined {
    const current = this.read(type, id);
    if (!current || current.versionId === version) return current;
    const row = this.#prepared('SELECT json, last_updated FROM history WHERE type = ? AND id = ? AND version = ?').get(
      type,
      id,
      Number(version),
    ) as { json: string; last_updated: string } | undefined;
    return row && { resource: JSON.parse(row.json) as FhirResource, versionId: version, lastUpdated: row.last_updated };
  }

  read(type: string, id: string): StoredResource | undefined {
    const row = this.#prepared('SELECT json, version, last_updated FROM resource WHERE type = ? AND id = ?').get(type, id) as
      { json: string; version: number; last_updated: string } | undefined;
    return (
      row && { resource: JSON.parse(row.json) as FhirResource, versionId: String(row.version), lastUpdated: row.last_updated }
    );
  }

  /** The ids of up to `limit` resources of a type matching every filter (a conditional create's search). */
  findIds(type: string, filters: SqlFilter[], limit: number): string[] {
    const where = ['r.type = ?', ...filters.map((f) => f.sql)].join(' AND ');
    const rows = this.#prepared(`SELECT r.id FROM resource r WHERE ${where} ORDER BY r.rid LIMIT ?`).all(
      type,
      ...filters.flatMap((f) => f.args),
      limit,
    ) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** True when the resource exists and matches every filter. */
  matches(type: string, id: string, filters: SqlFilter[]): boolean {
    const where = ['r.type = ?', 'r.id = ?', ...filters.map((f) => f.sql)].join(' AND ');
    const args = [type, id, ...filters.flatMap((f) => f.args)];
    return this.#prepared(`SELECT 1 FROM resource r WHERE ${where}`).get(...args) !== undefined;
  }

  search(query: StoreQuery): StorePage {
    const filters = ['r.type = ?', ...query.filters.map((f) => f.sql)].join(' AND ');
    const args = [query.type, ...query.filters.flatMap((f) => f.args)];
    const count = () =>
      (this.#prepared(`SELECT count(*) AS total FROM resource r WHERE ${filters}`).get(...args) as { total: number }).total;
    if (query.limit === 0) return { resources: [], next: null, total: query.countTotal ? count() : null };
    const page = this.#pageQuery(query);
    const rows = this.#prepared(page.sql).all(...page.args) as Array<{ rid: number; date: string; json: string }>;
    const more = rows.length > query.limit;
    const shown = more ? rows.slice(0, query.limit) : rows;
    const last = shown.at(-1);
    // A first page that holds every match is its own count: the total is counted only when the page does not say it.
    const whole = query.after === null && !more;
    return {
      resources: shown.map((row) => JSON.parse(row.json) as FhirResource),
      next: more && last ? { date: last.date, rid: last.rid } : null,
      total: whole ? shown.length : query.countTotal ? count() : null,
    };
  }

  /** The query plan SQLite chose for a page, for tests that hold the store to its indexes. */
  explain(query: StoreQuery): string[] {
    const page = this.#pageQuery(query);
    const plan = this.#db.prepare(`EXPLAIN QUERY PLAN ${page.sql}`).all(...page.args) as Array<{ detail: string }>;
    return plan.map((step) => step.detail);
  }

  /** One page after the cursor; one row more than asked tells whether a next page exists, without counting. */
  #pageQuery(query: StoreQuery): SqlFilter {
    const filters = query.after ? [...query.filters, afterCursor(query.order, query.after)] : query.filters;
    const where = ['r.type = ?', ...filters.map((f) => f.sql)].join(' AND ');
    return {
      sql: `SELECT r.rid, r.date, r.json FROM resource r WHERE ${where} ORDER BY ${ORDER_SQL[query.order]} LIMIT ?`,
      args: [query.type, ...filters.flatMap((f) => f.args), query.limit + 1],
    };
  }

  /** References a resource holds under one index parameter (for _include). */
  references(type: string, id: string, param: string): string[] {
    const rows = this.#prepared(
      'SELECT ref.target FROM ref JOIN resource r ON r.rid = ref.rid WHERE r.type = ? AND r.id = ? AND ref.param = ?',
    ).all(type, id, param) as Array<{ target: string }>;
    return rows.map((row) => row.target);
  }

  all(type: string): FhirResource[] {
    const rows = this.#prepared('SELECT json FROM resource WHERE type = ? ORDER BY rid').all(type) as Array<{ json: string }>;
    return rows.map((row) => JSON.parse(row.json) as FhirResource);
  }

  #prepared(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.#db.close();
  }
}
