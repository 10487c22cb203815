/**
 * Writing to the EHR, least privilege first: a connection writes nothing until the clinician (or IT's policy) turns
 * on a kind of writing, and only then does ChartDesk ask the EHR for the scopes that kind needs. What each action
 * needs, and why an action is not offered, is decided here once for the renderer's forms and main's write service.
 */

/** The kinds of writing a connection may be allowed, each one a switch in the connection's settings. */
export const WRITE_KINDS = ['vitals', 'notes', 'medication-orders'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/** What the clinician can do once a kind is on and the EHR granted it. */
export const WRITE_ACTIONS = ['record-vitals', 'write-note', 'propose-medication', 'discontinue-medication'] as const;
export type WriteAction = (typeof WRITE_ACTIONS)[number];

/** The SMART permission an action needs: create (`c`) or update (`u`) of one resource type. */
export interface WriteNeed {
  kind: WriteKind;
  resourceType: string;
  permission: 'c' | 'u';
  /** The category a granular grant must name to cover the action (`Observation.c?category=…|vital-signs`). */
  category: string | null;
}

export const WRITE_NEEDS: Record<WriteAction, WriteNeed> = {
  'record-vitals': { kind: 'vitals', resourceType: 'Observation', permission: 'c', category: 'vital-signs' },
  'write-note': { kind: 'notes', resourceType: 'DocumentReference', permission: 'c', category: 'clinical-note' },
  'propose-medication': { kind: 'medication-orders', resourceType: 'MedicationRequest', permission: 'c', category: null },
  'discontinue-medication': { kind: 'medication-orders', resourceType: 'MedicationRequest', permission: 'u', category: null },
};

export const WRITE_KIND_LABELS: Record<WriteKind, string> = {
  vitals: 'Vital signs',
  notes: 'Notes',
  'medication-orders': 'Medication orders (propose, discontinue)',
};

/** What the clinician does, in words: "record vital signs". */
export const WRITE_ACTION_WORDS: Record<WriteAction, string> = {
  'record-vitals': 'record vital signs',
  'write-note': 'write a note',
  'propose-medication': 'propose a medication',
  'discontinue-medication': 'discontinue a medication',
};

/** The kinds in their fixed order, each once: how they are stored and compared. */
export function normalizeWriteKinds(kinds: readonly WriteKind[] | undefined): WriteKind[] {
  return WRITE_KINDS.filter((kind) => kinds?.includes(kind));
}

export function sameWriteKinds(a: readonly WriteKind[] | undefined, b: readonly WriteKind[] | undefined): boolean {
  return normalizeWriteKinds(a).join(' ') === normalizeWriteKinds(b).join(' ');
}

/** The resource types and permissions a set of kinds asks the EHR for, merged per type ("MedicationRequest" → "cu"). */
export function writePermissions(kinds: readonly WriteKind[]): Array<{ resourceType: string; permissions: string }> {
  const merged = new Map<string, string>();
  for (const action of WRITE_ACTIONS) {
    const need = WRITE_NEEDS[action];
    if (!kinds.includes(need.kind)) continue;
    const have = merged.get(need.resourceType) ?? '';
    if (!have.includes(need.permission)) merged.set(need.resourceType, have + need.permission);
  }
  // SMART writes permissions in the order c, r, u, d, s.
  return [...merged].map(([resourceType, letters]) => ({
    resourceType,
    permissions: [...'cruds'].filter((letter) => letters.includes(letter)).join(''),
  }));
}

/** Whether an action is offered, and if not, why, in a sentence for the clinician. */
export type WriteAvailability = { offered: true } | { offered: false; reason: string };

export interface WriteContext {
  /** The kinds IT's policy lets any connection turn on (all of them without a policy). */
  policyAllowed: readonly WriteKind[];
  /** The kinds the connection has turned on. */
  connectionKinds: readonly WriteKind[] | undefined;
  /** Actions the EHR granted at sign-in, and those it was asked for and refused (GrantedScopeSummary). */
  granted: readonly WriteAction[];
  refused: readonly WriteAction[];
}

export function writeAvailability(action: WriteAction, context: WriteContext): WriteAvailability {
  const { kind } = WRITE_NEEDS[action];
  const words = WRITE_ACTION_WORDS[action];
  if (!context.policyAllowed.includes(kind)) {
    return { offered: false, reason: `Your IT department does not allow ChartDesk to ${words}.` };
  }
  if (!normalizeWriteKinds(context.connectionKinds).includes(kind)) {
    return {
      offered: false,
      reason: `Writing ${WRITE_KIND_LABELS[kind].toLowerCase()} is off for this connection. Turn it on in the connection's settings, then sign in again.`,
    };
  }
  if (context.granted.includes(action)) return { offered: true };
  const need = WRITE_NEEDS[action];
  const permission = need.permission === 'c' ? 'create' : 'update';
  if (context.refused.includes(action)) {
    return {
      offered: false,
      reason: `The EHR did not grant ChartDesk permission to ${permission} ${need.resourceType} resources, so it cannot ${words}. Ask your EHR administrator.`,
    };
  }
  return { offered: false, reason: `This session was not asked for permission to ${words}. Sign out and sign in again.` };
}
