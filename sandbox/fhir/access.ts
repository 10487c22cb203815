/**
 * Bearer-token enforcement for the FHIR API: which rows a token may see, from its granted SMART
 * scopes (v1, v2 and granular) and, for patient/ scopes, its patient's compartment.
 */
import { resourcePermissions, type Action } from '../auth/scopes.js';
import type { FhirResource } from '../data/fhir-types.js';
import { indexResource } from './indexing.js';
import type { SimulatedError } from '../types.js';
import { FhirError } from './outcome.js';
import { compileFilters } from './search.js';
import type { SqlFilter } from './store.js';

export interface TokenInfo {
  scopes: string[];
  patient?: string;
  /** `Practitioner/<id>` of the signed-in user, when the fhirUser scope was granted: always readable. */
  fhirUser?: string;
  /** A simulated error bound to the launch this token came from. */
  simulateError?: SimulatedError;
}

/** Types outside any patient's compartment: a patient/ scope on them is not confined. */
const SHARED_TYPES = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication']);

function forbidden(realm: string, message: string): FhirError {
  return new FhirError(403, 'forbidden', message, {
    'WWW-Authenticate': `Bearer realm="${realm}", error="insufficient_scope", error_description="${message}"`,
  });
}

export interface Access {
  /** Extra SQL restriction; empty when the token sees every row of the type. */
  filters: SqlFilter[];
  /** Every covering scope confines the token to its patient's compartment. */
  confined: boolean;
}

const VERBS: Record<Action, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/** What the token may see of `type` for `action`; throws 403 when no granted scope covers it at all. */
export function accessFilter(token: TokenInfo, type: string, action: Action, realm: string): Access {
  const permissions = resourcePermissions(token.scopes).filter(
    (p) => (p.type === '*' || p.type === type) && p.actions.has(action),
  );
  const alternatives: SqlFilter[][] = [];
  let confined = true;
  for (const permission of permissions) {
    const parts: SqlFilter[] = [];
    if (permission.context === 'patient' && !SHARED_TYPES.has(type)) {
      if (!token.patient) continue;
      parts.push(
        type === 'Patient' ? { sql: 'r.id = ?', args: [token.patient] } : { sql: 'r.patient = ?', args: [token.patient] },
      );
    } else {
      confined = false;
    }
    if (permission.query) parts.push(...compileFilters(type, permission.query));
    alternatives.push(parts);
  }
  const verb = VERBS[action];
  if (alternatives.length === 0) throw forbidden(realm, `the granted scopes do not allow to ${verb} ${type}`);
  if (alternatives.some((parts) => parts.length === 0)) return { filters: [], confined: false };
  const sql = alternatives.map((parts) => `(${parts.map((p) => p.sql).join(' AND ')})`).join(' OR ');
  return { filters: [{ sql: `(${sql})`, args: alternatives.flatMap((parts) => parts.flatMap((p) => p.args)) }], confined };
}

/** A compartment-confined token that names another patient in its search is refused outright. */
export function assertOwnPatient(token: TokenInfo, access: Access, type: string, params: URLSearchParams, realm: string): void {
  if (!access.confined || !token.patient) return;
  const named = [
    ...params.getAll('patient'),
    ...params.getAll('subject'),
    ...(type === 'Patient' ? params.getAll('_id') : []),
  ].flatMap((value) => value.split(',').map((v) => v.replace(/^.*Patient\//, '')));
  if (named.some((id) => id !== token.patient)) throw forbidden(realm, 'the token is confined to the patient in context');
}

/**
 * Whether the token may create or update this resource (`c`, `u`, v1 `write`): a scope of its type grants the action,
 * a patient/ scope only within the token's patient, and a granular scope only for the categories it names (the one
 * restriction SMART servers apply to writes). Throws 403 insufficient_scope otherwise.
 */
export function assertMayWrite(token: TokenInfo, resource: FhirResource, action: 'c' | 'u', realm: string): void {
  const type = resource.resourceType;
  const patient = indexResource(resource).patient;
  const allowed = resourcePermissions(token.scopes).some((permission) => {
    if ((permission.type !== '*' && permission.type !== type) || !permission.actions.has(action)) return false;
    if (permission.context === 'patient' && !SHARED_TYPES.has(type) && (!token.patient || patient !== token.patient)) {
      return false;
    }
    return permission.query === undefined || categoriesAllow(permission.query, resource);
  });
  if (!allowed) {
    throw forbidden(
      realm,
      `the granted scopes do not allow to ${VERBS[action]} ${type}${token.patient ? ' for this patient' : ''}`,
    );
  }
}

function categoriesAllow(query: URLSearchParams, resource: FhirResource): boolean {
  if ([...query.keys()].some((key) => key !== 'category')) return false;
  const have = indexResource(resource).tokens.filter((token) => token.param === 'category');
  return query.getAll('category').every((value) =>
    value.split(',').some((wanted) => {
      const bar = wanted.indexOf('|');
      const [system, code] = bar < 0 ? [null, wanted] : [wanted.slice(0, bar), wanted.slice(bar + 1)];
      return have.some((token) => token.code === code && (system === null || token.system === system));
    }),
  );
}
