import type { ScopeSyntax } from './connections';
import { FHIR_RESOURCE_TYPE } from './fhir-patterns';

/**
 * One model for SMART scopes, v1 (`patient/Observation.read`) and v2 (`patient/Observation.rs?category=…`)
 * alike, so that requests can be written in either syntax and grants compared whatever form the EHR uses.
 */
export type ScopeContext = 'patient' | 'user' | 'system' | 'unknown';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  kind: 'resource';
  /** 'unknown' when the EHR left the prefix out (Epic returns `Patient.read`). */
  context: ScopeContext;
  /** A FHIR resource type, or '*'. */
  resourceType: string;
  /** A subset of c, r, u, d, s, always in that order. */
  permissions: string;
  /** The granular search restriction without the leading '?', or null. */
  query: string | null;
}

/** Everything that is not a resource scope: launch, launch/patient, openid, fhirUser, offline_access… */
export interface OtherScope {
  kind: 'other';
  value: string;
}

export type Scope = ResourceScope | OtherScope;
export type ScopeSyntaxVersion = 'v1' | 'v2';

const CRUDS = 'cruds';
const V1_ACTIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds', search: 's' };
// The URI forms of SMART and OpenID scopes (SMART appendix; Oracle Health writes `FHIR` in capitals).
const URI_PREFIXES = [
  /^https?:\/\/smarthealthit\.org\/fhir\/scopes\//i,
  /^https?:\/\/openid\.net\/specs\/openid-connect-core-1_0#/i,
];
// Azure Health Data Services outside the SMART proxy: `{aud}/patient$Observation.read`.
const AZURE_FORM = /^(?:.*\/)?(patient|user|system)\$(.+)$/i;
const RESOURCE_FORM = /^(?:(patient|user|system)\/)?([A-Za-z]+|\*)\.([A-Za-z*]+)(?:\?(.*))?$/;

/** Parses one scope token, tolerating the forms EHRs really return. */
export function parseScope(token: string): Scope {
  let value = token.trim();
  for (const prefix of URI_PREFIXES) value = value.replace(prefix, '');
  const azure = AZURE_FORM.exec(value);
  if (azure) value = `${azure[1]}/${azure[2]}`;

  const match = RESOURCE_FORM.exec(value);
  if (match) {
    const [, context, resourceType = '', action = '', query] = match;
    const permissions = readPermissions(action);
    if (permissions !== null) {
      return {
        kind: 'resource',
        context: context ? (context.toLowerCase() as ScopeContext) : 'unknown',
        resourceType,
        permissions,
        query: query ? query : null,
      };
    }
  }
  return { kind: 'other', value };
}

function readPermissions(action: string): string | null {
  const lower = action.toLowerCase();
  const v1 = V1_ACTIONS[lower];
  if (v1 !== undefined) return v1;
  if (!/^[cruds]+$/.test(lower)) return null;
  // Out-of-order letters (`.sr`) are tolerated in grants and put back in order.
  return [...CRUDS].filter((letter) => lower.includes(letter)).join('');
}

/** Splits a scope string on any whitespace and merges duplicates that differ only in case. */
export function parseScopeString(scopeString: string): Scope[] {
  const seen = new Set<string>();
  const scopes: Scope[] = [];
  for (const token of scopeString.split(/\s+/)) {
    if (token.length === 0) continue;
    const scope = parseScope(token);
    const key = scopeKey(scope);
    if (seen.has(key)) continue;
    seen.add(key);
    scopes.push(scope);
  }
  return scopes;
}

function scopeKey(scope: Scope): string {
  if (scope.kind === 'other') return `other:${scope.value.toLowerCase()}`;
  return `res:${scope.context}/${scope.resourceType}.${scope.permissions}?${scope.query ?? ''}`;
}

/**
 * Writes a scope in the given syntax. v1 cannot express granular queries or mixed permissions: a query is
 * dropped (v1 servers would reject it) and permissions round up to `read`, `write` or `*`.
 */
export function formatScope(scope: Scope, syntax: ScopeSyntaxVersion): string {
  if (scope.kind === 'other') return scope.value;
  const prefix = scope.context === 'unknown' ? '' : `${scope.context}/`;
  if (syntax === 'v2') return `${prefix}${scope.resourceType}.${scope.permissions}${scope.query ? `?${scope.query}` : ''}`;
  const reads = /[rs]/.test(scope.permissions);
  const writes = /[cud]/.test(scope.permissions);
  const action = reads && writes ? '*' : writes ? 'write' : 'read';
  return `${prefix}${scope.resourceType}.${action}`;
}

export function formatScopes(scopes: readonly Scope[], syntax: ScopeSyntaxVersion): string {
  return [...new Set(scopes.map((scope) => formatScope(scope, syntax)))].join(' ');
}

/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E (no space, quote or backslash). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
const RESOURCE_PREFIX = /^(patient|user|system)\//;
/** The permissions a v1 request may write; `search` and upper case are tolerated in grants only. */
const V1_PERMISSIONS = /\.(read|write|\*)$/;
export const MAX_SCOPES_LENGTH = 4096;

/**
 * Why a scope cannot be requested as written, or null. Grants are read tolerantly (`parseScope`); a request is
 * written exactly: a resource scope reads back the same after parsing and writing it in its own syntax, so
 * `patient/Observation.sr`, `patient/observation.read` or `.search` are refused, and its syntax matches the setting.
 */
export function requestedScopeProblem(token: string, setting: ScopeSyntax): string | null {
  if (!SCOPE_TOKEN.test(token)) return `has "${token}", which is not a valid scope`;
  if (!RESOURCE_PREFIX.test(token)) return null;
  const scope = parseScope(token);
  const written: ScopeSyntaxVersion = V1_PERMISSIONS.test(token) ? 'v1' : 'v2';
  const exact =
    scope.kind === 'resource' &&
    (scope.resourceType === '*' || FHIR_RESOURCE_TYPE.test(scope.resourceType)) &&
    formatScope(scope, written) === token;
  if (!exact) return `has "${token}", which is not a SMART resource scope (for example patient/Observation.rs)`;
  if (setting !== 'auto' && setting !== written) {
    return `has "${token}", which uses ${written} permissions but the scope syntax is set to ${setting}`;
  }
  return null;
}

/** Why a connection's space-separated scope list cannot be requested, or null (empty means ChartDesk's default). */
export function scopeListProblem(scopes: string, setting: ScopeSyntax): string | null {
  if (scopes.length > MAX_SCOPES_LENGTH) return `must be at most ${MAX_SCOPES_LENGTH} characters`;
  if (!PRINTABLE.test(scopes)) return 'must be printable ASCII';
  for (const token of scopes.split(' ')) {
    const problem = token === '' ? null : requestedScopeProblem(token, setting);
    if (problem) return problem;
  }
  return null;
}
