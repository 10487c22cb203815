import type { ChartSectionId, GrantedScopeSummary } from '../../common/sessions';
import { WRITE_ACTIONS, WRITE_NEEDS, writePermissions, type WriteAction, type WriteKind } from '../../common/write-kinds';
import {
  formatScope,
  formatScopes,
  parseScopeString,
  type ResourceScope,
  type Scope,
  type ScopeSyntaxVersion,
} from '../../common/smart-scopes';

/**
 * The resource types the chart reads, scoped to the patient in context (INF#46, INF#148): read and search, and
 * read only for what is only ever read by a reference: Binary (a note's or report's content kept apart from it,
 * fetched by its URL), Practitioner and Organization (the prescriber or the encounter's provider when the EHR sent a
 * bare reference without its name: main/chart/mappers/references.ts).
 */
const CHART_RESOURCES: ReadonlyArray<{ resourceType: string; permissions: 'rs' | 'r' }> = [
  ...[
    'Patient',
    'Observation',
    'Condition',
    'MedicationRequest',
    'Medication',
    'AllergyIntolerance',
    'Immunization',
    'Encounter',
    'DocumentReference',
    'DiagnosticReport',
    'Procedure',
  ].map((resourceType) => ({ resourceType, permissions: 'rs' as const })),
  { resourceType: 'Binary', permissions: 'r' },
  { resourceType: 'Practitioner', permissions: 'r' },
  { resourceType: 'Organization', permissions: 'r' },
];

export type LaunchKind = 'standalone' | 'ehr';

/** ChartDesk's least-privilege default request for the chart. */
export function defaultChartScopes(syntax: ScopeSyntaxVersion, launch: LaunchKind): string {
  const resources: Scope[] = CHART_RESOURCES.map(({ resourceType, permissions }) => ({
    kind: 'resource',
    context: 'patient',
    resourceType,
    permissions,
    query: null,
  }));
  const context = launch === 'ehr' ? 'launch' : 'launch/patient';
  return [formatScopes(resources, syntax), context, 'openid', 'fhirUser', 'offline_access'].join(' ');
}

/**
 * The write scopes of the kinds of writing a connection turned on, for the patient in context: `patient/Observation.c`
 * in v2, `patient/Observation.write` in v1 (which cannot say create without update and delete). None when none is on.
 */
export function writeScopes(kinds: readonly WriteKind[], syntax: ScopeSyntaxVersion): string {
  const scopes: Scope[] = writePermissions(kinds).map(({ resourceType, permissions }) => ({
    kind: 'resource',
    context: 'patient',
    resourceType,
    permissions,
    query: null,
  }));
  return formatScopes(scopes, syntax);
}

/**
 * The scope string actually sent: the connection's own or the default, then the write scopes of the kinds of writing
 * turned on, with the `launch` scope present exactly when an EHR launch echoes a `launch` value (INF#35, INF#36,
 * INF#161).
 */
export function requestScopes(
  configured: string,
  syntax: ScopeSyntaxVersion,
  launch: LaunchKind,
  writeKinds: readonly WriteKind[] = [],
): string {
  const base = configured.trim() === '' ? defaultChartScopes(syntax, launch) : configured;
  const tokens = `${base} ${writeScopes(writeKinds, syntax)}`
    .split(/\s+/)
    .filter((token) => token.length > 0 && token !== 'launch');
  if (launch === 'ehr') tokens.unshift('launch');
  return [...new Set(tokens)].join(' ');
}

/** Which syntax to request: the connection's choice, or v2 when the server advertises `permission-v2`. */
export function chooseSyntax(setting: 'v1' | 'v2' | 'auto', capabilities: readonly string[]): ScopeSyntaxVersion {
  if (setting !== 'auto') return setting;
  return capabilities.includes('permission-v2') ? 'v2' : 'v1';
}

/** Permissions granted for one resource type (and, for granular grants, one category), merged over all grants. */
function grantedPermissions(granted: readonly Scope[], resourceType: string, category: string | null): string {
  let merged = '';
  for (const scope of granted) {
    if (scope.kind !== 'resource' || scope.context === 'system') continue;
    if (scope.resourceType !== '*' && scope.resourceType.toLowerCase() !== resourceType.toLowerCase()) continue;
    if (scope.query !== null && !queryAllowsCategory(scope.query, category)) continue;
    merged += scope.permissions;
  }
  return merged;
}

/** A granular grant covers a section only when it restricts to that section's category. */
function queryAllowsCategory(query: string, category: string | null): boolean {
  if (category === null) return false;
  const params = new URLSearchParams(query);
  const keys = [...params.keys()];
  if (keys.some((key) => key !== 'category')) return false;
  return params.getAll('category').some((value) => value.split(',').some((code) => code.split('|').pop() === category));
}

interface SectionSource {
  resourceType: string;
  /** Observation category code (http://terminology.hl7.org/CodeSystem/observation-category). */
  category: string | null;
}

export const CHART_SECTION_SOURCES: Record<ChartSectionId, SectionSource> = {
  vitals: { resourceType: 'Observation', category: 'vital-signs' },
  labs: { resourceType: 'Observation', category: 'laboratory' },
  problems: { resourceType: 'Condition', category: null },
  medications: { resourceType: 'MedicationRequest', category: null },
  allergies: { resourceType: 'AllergyIntolerance', category: null },
  immunizations: { resourceType: 'Immunization', category: null },
  encounters: { resourceType: 'Encounter', category: null },
  notes: { resourceType: 'DocumentReference', category: null },
  reports: { resourceType: 'DiagnosticReport', category: null },
  procedures: { resourceType: 'Procedure', category: null },
};

const SECTION_ORDER = Object.keys(CHART_SECTION_SOURCES) as ChartSectionId[];

function sectionsReadable(scopes: readonly Scope[]): ChartSectionId[] {
  return SECTION_ORDER.filter((section) => {
    const { resourceType, category } = CHART_SECTION_SOURCES[section];
    // Reading a section means read or search access to its resource type.
    return /[rs]/.test(grantedPermissions(scopes, resourceType, category));
  });
}

/** The write actions a set of scopes allows (a create or update permission on the action's resource type). */
function writableActions(scopes: readonly Scope[]): WriteAction[] {
  return WRITE_ACTIONS.filter((action) => {
    const { resourceType, category, permission } = WRITE_NEEDS[action];
    return grantedPermissions(scopes, resourceType, category).includes(permission);
  });
}

/**
 * Compares the grant with the request and says which chart sections can be shown (INF#147), and what may be written.
 * A token response without `scope` means the request was granted as asked (RFC 6749 §5.1).
 */
export function summarizeGrant(requested: string, granted: string | undefined): GrantedScopeSummary {
  const requestedScopes = parseScopeString(requested);
  const grantedScopes = granted === undefined ? requestedScopes : parseScopeString(granted);
  const wanted = sectionsReadable(requestedScopes);
  const grantedSections = sectionsReadable(grantedScopes);
  // Only what was asked for is offered: an EHR that grants more than the request writes nothing more.
  const wantedWrites = writableActions(requestedScopes);
  const writeActions = writableActions(grantedScopes).filter((action) => wantedWrites.includes(action));
  return {
    grantedSections,
    missingSections: wanted.filter((section) => !grantedSections.includes(section)),
    writeActions,
    missingWriteActions: wantedWrites.filter((action) => !writeActions.includes(action)),
    documentContent: grantedPermissions(grantedScopes, 'Binary', null).includes('r'),
    offlineAccess: grantedScopes.some((scope) => scope.kind === 'other' && scope.value.toLowerCase() === 'offline_access'),
    raw: grantedScopes.map((scope) => formatScope(scope, 'v2')).join(' '),
  };
}

/** Requested scopes the grant does not cover, written as they were requested. */
export function missingScopes(requested: string, granted: string | undefined): string[] {
  if (granted === undefined) return [];
  const grantedScopes = parseScopeString(granted);
  return parseScopeString(requested)
    .filter((scope) => !isCovered(scope, grantedScopes))
    .map((scope) => formatScope(scope, 'v2'));
}

function isCovered(scope: Scope, granted: readonly Scope[]): boolean {
  if (scope.kind === 'other') {
    return granted.some((other) => other.kind === 'other' && other.value.toLowerCase() === scope.value.toLowerCase());
  }
  const have = granted
    .filter(
      (other): other is ResourceScope =>
        other.kind === 'resource' &&
        (other.resourceType === '*' || other.resourceType.toLowerCase() === scope.resourceType.toLowerCase()) &&
        (other.query === null || other.query === scope.query) &&
        (other.context === scope.context || other.context === 'unknown' || other.context === 'user'),
    )
    .map((other) => other.permissions)
    .join('');
  return [...scope.permissions].every((letter) => have.includes(letter));
}
