/** SMART resource scopes, v1 (`.read`/`.write`/`.*`) and v2 (`.cruds` with an optional query). */

export type ScopeContext = 'patient' | 'user' | 'system';
export type Action = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourcePermission {
  context: ScopeContext;
  /** A resource type or '*'. */
  type: string;
  actions: Set<Action>;
  /** Granular restriction (v2 only), e.g. category=…|vital-signs. */
  query?: URLSearchParams;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)(?:\?(.+))?$/;
const V1_ACTIONS: Record<string, Action[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

/** Non-resource scopes this server knows (others are accepted and ignored, as the spec allows). */
export const CONTEXT_SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
];

export function parseResourceScope(scope: string): ResourcePermission | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match) return undefined;
  const [, context, type, verbs, query] = match as unknown as [string, ScopeContext, string, string, string | undefined];
  const v1 = V1_ACTIONS[verbs];
  if (v1 && query) return undefined;
  const actions = new Set<Action>(v1 ?? ([...verbs] as Action[]));
  if (actions.size === 0) return undefined;
  return { context, type, actions, ...(query ? { query: new URLSearchParams(query) } : {}) };
}

export function parseScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s.length > 0);
}

export function resourcePermissions(scopes: string[]): ResourcePermission[] {
  return scopes.map(parseResourceScope).filter((p): p is ResourcePermission => p !== undefined);
}

/** Human wording for the consent page. */
export function describeScope(scope: string): string {
  const fixed: Record<string, string> = {
    openid: 'Confirm your identity (OpenID Connect)',
    fhirUser: 'Know which clinician you are (fhirUser)',
    profile: 'Read your name and profile',
    launch: 'Open with the patient and encounter in context (EHR launch)',
    'launch/patient': 'Choose a patient when it starts',
    'launch/encounter': 'Choose an encounter when it starts',
    offline_access: 'Stay signed in after you close it (offline access)',
    online_access: 'Stay signed in while you are signed in to the EHR (online access)',
  };
  if (fixed[scope]) return fixed[scope];
  const permission = parseResourceScope(scope);
  if (!permission) return 'Unrecognized scope (ignored)';
  const verbs = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };
  const what = permission.type === '*' ? 'all resources' : `${permission.type} resources`;
  const whose = permission.context === 'patient' ? 'of the patient in context' : 'you can access';
  const filter = permission.query ? ` where ${permission.query.toString()}` : '';
  return `${[...permission.actions].map((a) => verbs[a]).join(', ')} ${what} ${whose}${filter}`;
}
