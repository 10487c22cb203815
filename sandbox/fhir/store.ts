/**
 * Resource storage on SQLite (better-sqlite3): in memory by default, or in a file. Resources are
 * kept as JSON beside the index rows that the search compiler queries. Writes (create, update) keep
 * every earlier version in `history`, so a version can still be read after it was replaced.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
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

export interface StoreQuery {
  type: string;
  filters: SqlFilter[];
  order: 'date' | '-date' | 'id';
  limit: number;
  offset: number;
}

const TABLES = `
  CREATE TABLE resource (
    rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,
    version INTEGER NOT NULL, last_updated TEXT NOT NULL, patient TEXT, date TEXT, status TEXT);
  CREATE TABLE token (rid INTEGER NOT NULL, param TEXT NOT NULL, system TEXT, code TEXT NOT NULL);
  CREATE TABLE string (rid INTEGER NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL);
  CREATE TABLE ref (rid INTEGER NOT NULL, param TEXT NOT NULL, target TEXT NOT NULL);
  CREATE TABLE history (
    type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, json TEXT NOT NULL, last_updated TEXT NOT NULL,
    PRIMARY KEY (type, id, version));
`;
/** Built after the bulk load, which is several times faster than maintaining them row by row. */
const INDEXES = `
  CREATE UNIQUE INDEX resource_key ON resource (type, id);
  CREATE INDEX resource_patient ON resource (type, patient, date);
  CREATE INDEX token_lookup ON token (param, code, rid);
  CREATE INDEX string_lookup ON string (param, value, rid);
  CREATE INDEX ref_lookup ON ref (rid, param);
`;

const ORDER_SQL: Record<StoreQuery['order'], string> = {
  date: 'r.date IS NULL, r.date ASC, r.rid ASC',
  '-date': 'r.date IS NULL, r.date DESC, r.rid DESC',
  id: 'r.rid ASC',
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

export class ResourceStore {
  readonly #db: Database.Database;
  readonly #writes: ReturnType<typeof prepareWrites>;

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
      index.date,
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
        .run(JSON.stringify(stamped), version, lastUpdated, index.patient, index.date, index.status, row.rid);
      for (const table of ['token', 'string', 'ref']) this.#db.prepare(`DELETE FROM ${table} WHERE rid = ?`).run(row.rid);
      this.#indexRows(row.rid, index);
      return { resource: stamped, versionId: String(version), lastUpdated };
    })();
  }

  /** One version of a resource: the current one, or one kept in history. */
  readVersion(type: string, id: string, version: string): StoredResource | undefined {
    const current = this.read(type, id);
    if (!current || current.versionId === version) return current;
    const row = this.#db
      .prepare('SELECT json, last_updated FROM history WHERE type = ? AND id = ? AND version = ?')
      .get(type, id, Number(version)) as { json: string; last_updated: string } | undefined;
    return row && { resource: JSON.parse(row.json) as FhirResource, versionId: version, lastUpdated: row.last_updated };
  }

  read(type: string, id: string): StoredResource | undefined {
    const row = this.#db.prepare('SELECT json, version, last_updated FROM resource WHERE type = ? AND id = ?').get(type, id) as
      { json: string; version: number; last_updated: string } | undefined;
    return (
      row && { resource: JSON.parse(row.json) as FhirResource, versionId: String(row.version), lastUpdated: row.last_updated }
    );
  }

  /** The ids of up to `limit` resources of a type matching every filter (a conditional create's search). */
  findIds(type: string, filters: SqlFilter[], limit: number): string[] {
    const where = ['r.type = ?', ...filters.map((f) => f.sql)].join(' AND ');
    const rows = this.#db
      .prepare(`SELECT r.id FROM resource r WHERE ${where} ORDER BY r.rid LIMIT ?`)
      .all(type, ...filters.flatMap((f) => f.args), limit) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** True when the resource exists and matches every filter. */
  matches(type: string, id: string, filters: SqlFilter[]): boolean {
    const where = ['r.type = ?', 'r.id = ?', ...filters.map((f) => f.sql)].join(' AND ');
    const args = [type, id, ...filters.flatMap((f) => f.args)];
    return this.#db.prepare(`SELECT 1 FROM resource r WHERE ${where}`).get(...args) !== undefined;
  }

  search(query: StoreQuery): { total: number; resources: FhirResource[] } {
    const where = ['r.type = ?', ...query.filters.map((f) => f.sql)].join(' AND ');
    const args = [query.type, ...query.filters.flatMap((f) => f.args)];
    const { total } = this.#db.prepare(`SELECT count(*) AS total FROM resource r WHERE ${where}`).get(...args) as {
      total: number;
    };
    const rows =
      query.limit === 0
        ? []
        : (this.#db
            .prepare(`SELECT r.json FROM resource r WHERE ${where} ORDER BY ${ORDER_SQL[query.order]} LIMIT ? OFFSET ?`)
            .all(...args, query.limit, query.offset) as Array<{ json: string }>);
    return { total, resources: rows.map((row) => JSON.parse(row.json) as FhirResource) };
  }

  /** References a resource holds under one index parameter (for _include). */
  references(type: string, id: string, param: string): string[] {
    const rows = this.#db
      .prepare('SELECT ref.target FROM ref JOIN resource r ON r.rid = ref.rid WHERE r.type = ? AND r.id = ? AND ref.param = ?')
      .all(type, id, param) as Array<{ target: string }>;
    return rows.map((row) => row.target);
  }

  all(type: string): FhirResource[] {
    return this.search({ type, filters: [], order: 'id', limit: -1, offset: 0 }).resources;
  }

  close(): void {
    this.#db.close();
  }
}
