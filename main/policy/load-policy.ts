import type { z } from 'zod';
import type { AppNotice, PolicyStatus } from '../../common/view-models';
import { WRITE_KINDS } from '../../common/write-kinds';
import type { Logger } from '../logging/logger';
import { describeLocation, policyLocation, type PolicyLocation } from './policy-location';
import { DEFAULT_IDLE_LOCK_MINUTES, managedPolicySchema, policyJsonSchema, type ManagedPolicy } from './policy-schema';
import { parseRegQuery, registryToPolicyInput, type SchemaNode } from './registry-policy';

/** The OS access loadPolicy needs; os-readers.ts has the real ones. Each answers null when absent. */
export interface PolicyReaders {
  readTextFile(path: string): Promise<string | null>;
  /** The output of `reg query <key> /s`. */
  queryRegistry(key: string): Promise<string | null>;
  /** The plist converted to JSON text (`plutil -convert json -o - <file>`). */
  plistAsJson(path: string): Promise<string | null>;
}

export interface PolicyDeps extends PolicyReaders {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
}

export interface LoadedPolicy {
  status: PolicyStatus;
  /** null when there is no policy or it is invalid: then nothing managed applies. */
  policy: ManagedPolicy | null;
}

const UNMANAGED = {
  allowAddConnections: true,
  idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES,
  allowedWriteKinds: [...WRITE_KINDS],
};

/**
 * Reads IT's managed configuration once, at start. An invalid policy is reported (status.error,
 * and the log) and ignored as a whole: a half-applied policy would be harder to reason about
 * than none, and the clinician's own connections are never touched either way.
 */
export async function loadPolicy(deps: PolicyDeps): Promise<LoadedPolicy> {
  const location = policyLocation(deps.platform, deps.env);
  const source = describeLocation(location);
  let raw: unknown;
  try {
    raw = await readPolicyInput(location, deps);
  } catch (error) {
    return rejected(source, `could not be read: ${(error as Error).message}`, deps.logger);
  }
  if (raw === null) {
    deps.logger.info('policy.absent', { location: source });
    return { status: { source: null, applied: false, error: null, ...UNMANAGED }, policy: null };
  }
  const parsed = managedPolicySchema.safeParse(raw);
  if (!parsed.success) return rejected(source, describeIssues(parsed.error.issues), deps.logger);
  const policy = parsed.data;
  deps.logger.info('policy.applied', { source, managedConnections: policy.connections.length });
  return {
    status: {
      source,
      applied: true,
      error: null,
      allowAddConnections: policy.allowAddConnections,
      idleLockMinutes: policy.idleLockMinutes,
      allowedWriteKinds: policy.allowedWriteKinds ?? [...WRITE_KINDS],
    },
    policy,
  };
}

async function readPolicyInput(location: PolicyLocation, readers: PolicyReaders): Promise<unknown> {
  switch (location.kind) {
    case 'json-file': {
      const text = await readers.readTextFile(location.path);
      return text === null ? null : parseJson(text);
    }
    case 'registry': {
      const output = await readers.queryRegistry(location.key);
      return output === null ? null : registryToPolicyInput(parseRegQuery(output), policyJsonSchema() as SchemaNode);
    }
    case 'plist': {
      const text = await readers.plistAsJson(location.path);
      return text === null ? null : withoutPayloadKeys(parseJson(text));
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** A custom-settings profile may carry its Payload* bookkeeping into the managed preferences. */
function withoutPayloadKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('Payload')));
}

function rejected(source: string, error: string, logger: Logger): LoadedPolicy {
  logger.error('policy.invalid', { source, error });
  return { status: { source, applied: false, error, ...UNMANAGED }, policy: null };
}

/** What the clinician is told of IT's policy at start: nothing, or why it was ignored. */
export function policyNotices(status: PolicyStatus): AppNotice[] {
  if (!status.error) return [];
  return [{ level: 'error', message: `IT's managed configuration was ignored: ${status.error}`, connectionId: null }];
}

/** "connections[0].fhirBaseUrl: must be an http(s) URL …; idleLockMinutes: …" */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(policy)';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
