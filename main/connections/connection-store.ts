import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Connection, ConnectionSettings } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { AppNotice } from '../../common/view-models';
import { connectionSettings } from '../../common/connection-rules';
import { sameFhirBase } from '../../common/fhir-base';
import { localId } from '../../common/schema-parts';
import { WRITE_KIND_LABELS, WRITE_KINDS, type WriteKind } from '../../common/write-kinds';
import type { Logger } from '../logging/logger';
import { type Parse, readJsonFile, writeJsonFile } from './json-file';

/**
 * The clinician's EHR connections, merged with the ones IT manages by policy. Persisted as JSON in the
 * user-data folder (connections.json), validated on the way in and out; holds no secret.
 */
export interface ConnectionStore {
  list(): Connection[];
  get(id: string): Connection | null;
  /** The connection whose FHIR base is this URL, after normalization (EHR launch `iss` matching). */
  findByFhirBase(fhirBaseUrl: string): Connection | null;
  canAdd(): boolean;
  add(settings: ConnectionSettings): Promise<Connection>;
  update(id: string, settings: ConnectionSettings): Promise<Connection>;
  remove(id: string): Promise<void>;
}

export interface ConnectionStoreOptions {
  userDataDir: string;
  /** Connections from IT policy (main/policy), with managed 'editable' or 'locked'. */
  managed: Connection[];
  allowAddConnections: boolean;
  /** The kinds of writing IT's policy lets a connection turn on; every kind when absent. */
  allowedWriteKinds?: readonly WriteKind[];
  log: Logger;
  now?: () => number;
}

export const CONNECTIONS_FILE = 'connections.json';

interface StoredFile {
  version: 1;
  /** The clinician's own connections and their edits of editable managed ones. */
  connections: Connection[];
  /** Editable managed connections the clinician removed: not brought back by the next start. */
  removedManaged: string[];
}

const FileShape = z.strictObject({
  version: z.literal(1),
  connections: z.array(z.looseObject({ id: localId, managed: z.enum(['no', 'editable', 'locked']) })),
  removedManaged: z.array(localId),
});

const parseFile: Parse<StoredFile> = (value) => {
  const shape = FileShape.safeParse(value);
  if (!shape.success)
    return { ok: false, reason: `unexpected structure at ${shape.error.issues[0]?.path.join('.') || 'the top level'}` };
  const connections: Connection[] = [];
  for (const [index, raw] of shape.data.connections.entries()) {
    const { id, managed, ...settings } = raw;
    const parsed = validSettings(settings);
    if (!parsed.ok) return { ok: false, reason: `connection ${index + 1}: ${parsed.reason}` };
    connections.push({ ...parsed.value, id, managed });
  }
  return { ok: true, value: { version: 1, connections, removedManaged: shape.data.removedManaged } };
};

function validSettings(value: unknown): { ok: true; value: ConnectionSettings } | { ok: false; reason: string } {
  const parsed = connectionSettings.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'settings'} ${issue?.message ?? 'is invalid'}` };
  }
  return { ok: true, value: parsed.data };
}

const newId = () => randomBytes(9).toString('base64url');

export async function openConnectionStore(
  options: ConnectionStoreOptions,
): Promise<{ store: ConnectionStore; notices: AppNotice[] }> {
  const path = join(options.userDataDir, CONNECTIONS_FILE);
  const now = options.now ?? Date.now;
  const read = await readJsonFile(path, parseFile, 'connections', now);
  let stored: StoredFile = read.value ?? { version: 1, connections: [], removedManaged: [] };
  const managedIds = new Set(options.managed.map((connection) => connection.id));
  const allowedWriting = options.allowedWriteKinds ?? WRITE_KINDS;
  // A kind of writing IT has since forbidden is off, whatever the file says (the file keeps it, should IT allow it again).
  const withAllowedWriting = (connection: Connection): Connection =>
    connection.writeKinds?.every((kind) => allowedWriting.includes(kind)) === false
      ? { ...connection, writeKinds: connection.writeKinds.filter((kind) => allowedWriting.includes(kind)) }
      : connection;

  const merged = (): Connection[] => {
    const result: Connection[] = [];
    for (const managed of options.managed) {
      if (managed.managed === 'locked') result.push(managed);
      else if (!stored.removedManaged.includes(managed.id)) {
        result.push(stored.connections.find((own) => own.id === managed.id && own.managed === 'editable') ?? managed);
      }
    }
    return result
      .concat(stored.connections.filter((own) => own.managed === 'no' && !managedIds.has(own.id)))
      .map(withAllowedWriting);
  };

  const save = async (next: StoredFile) => {
    try {
      await writeJsonFile(path, next);
    } catch (error) {
      // A read-only or missing settings folder: nothing changed, in memory or on disk, and the clinician is told so.
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      options.log.error('connections.save-failed', { errno: code, error });
      throw new ChartDeskError(
        'internal',
        `The change could not be saved: ChartDesk cannot write to its settings folder (${code}). Your connections are as they were.`,
      );
    }
    stored = next;
  };

  const require = (id: string): Connection => {
    const connection = merged().find((candidate) => candidate.id === id);
    if (!connection) throw new ChartDeskError('not-found', 'This connection does not exist (any more).');
    return connection;
  };

  const checked = (settings: ConnectionSettings): ConnectionSettings => {
    const result = validSettings(settings);
    if (!result.ok) throw new ChartDeskError('invalid-input', `The connection settings are not valid: ${result.reason}.`);
    const forbidden = result.value.writeKinds?.find((kind) => !allowedWriting.includes(kind));
    if (forbidden) {
      throw new ChartDeskError(
        'forbidden',
        `Your organization’s policy does not allow ChartDesk to write ${WRITE_KIND_LABELS[forbidden].toLowerCase()}.`,
      );
    }
    return result.value;
  };

  const store: ConnectionStore = {
    list: merged,
    get: (id) => merged().find((connection) => connection.id === id) ?? null,
    findByFhirBase: (fhirBaseUrl) => merged().find((connection) => sameFhirBase(connection.fhirBaseUrl, fhirBaseUrl)) ?? null,
    canAdd: () => options.allowAddConnections,

    async add(settings) {
      if (!options.allowAddConnections)
        throw new ChartDeskError('forbidden', 'Your organization’s policy does not allow adding connections.');
      const connection: Connection = { ...checked(settings), id: newId(), managed: 'no' };
      await save({ ...stored, connections: [...stored.connections, connection] });
      return connection;
    },

    async update(id, settings) {
      const current = require(id);
      if (current.managed === 'locked')
        throw new ChartDeskError('forbidden', 'This connection is managed by your organization and cannot be changed.');
      const updated: Connection = { ...checked(settings), id, managed: current.managed };
      const kept = stored.connections.some((own) => own.id === id);
      const connections = kept
        ? stored.connections.map((own) => (own.id === id ? updated : own))
        : [...stored.connections, updated];
      await save({ ...stored, connections });
      return updated;
    },

    async remove(id) {
      const current = require(id);
      if (current.managed === 'locked')
        throw new ChartDeskError('forbidden', 'This connection is managed by your organization and cannot be removed.');
      await save({
        ...stored,
        connections: stored.connections.filter((own) => own.id !== id),
        removedManaged: current.managed === 'editable' ? [...stored.removedManaged, id] : stored.removedManaged,
      });
    },
  };
  return { store, notices: read.notices };
}
