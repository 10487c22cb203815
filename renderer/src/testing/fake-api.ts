import { vi } from 'vitest';
import type { ChartDeskApi } from '../../../common/api';
import type { ChartOpened, PatientBanner, SectionPage } from '../../../common/chart';
import { type Connection, CONNECTION_DEFAULTS } from '../../../common/connections';
import type { EventContract, EventName } from '../../../common/ipc-contract';
import type { IpcResult } from '../../../common/ipc-envelope';
import type { ChartSectionId, ConnectionWithSession, SessionView } from '../../../common/sessions';
import { WRITE_ACTIONS } from '../../../common/write-kinds';
import type { WriteAvailabilities } from '../../../common/writes';
import { noneWithdrawn } from '../../../common/withdrawn';

/** What a connection that writes nothing answers for every action (writing is off by default). */
export const NOTHING_OFFERED: WriteAvailabilities = Object.fromEntries(
  WRITE_ACTIONS.map((action) => [action, { offered: false, reason: 'Writing is off for this connection.' }]),
) as WriteAvailabilities;

/** A ChartDeskApi double: every invoker is a vi.fn answering `ok(null)` unless a test says otherwise; events are emitted by hand. */
export function ok<T>(value: T): Promise<IpcResult<T>> {
  return Promise.resolve({ ok: true, value });
}

export function fail(code: 'network' | 'cancelled' | 'auth' | 'invalid-input', message: string): Promise<IpcResult<never>> {
  return Promise.resolve({ ok: false, error: { code, message } });
}

/** A promise the test settles when it chooses: how a slow server is simulated. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

export function createFakeApi() {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const subscribe =
    <E extends EventName>(event: E) =>
    (listener: (payload: EventContract[E]) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    };
  const api = {
    appInfo: vi.fn<ChartDeskApi['appInfo']>(() =>
      ok({ name: 'ChartDesk', version: '0.1.0', platform: 'linux', shell: 'web' as const }),
    ),
    policyStatus: vi.fn<ChartDeskApi['policyStatus']>(() =>
      ok({
        source: null,
        applied: false,
        error: null,
        allowAddConnections: true,
        idleLockMinutes: 0,
        allowedWriteKinds: ['vitals', 'notes', 'medication-orders'],
      }),
    ),
    notices: vi.fn<ChartDeskApi['notices']>(() => ok([])),
    dismissNotice: vi.fn<ChartDeskApi['dismissNotice']>(() => ok(null)),
    sessionStyle: vi.fn<ChartDeskApi['sessionStyle']>(() => ok(null)),
    forgetDevice: vi.fn<ChartDeskApi['forgetDevice']>(() => ok(null)),
    rotateDeviceKey: vi.fn<ChartDeskApi['rotateDeviceKey']>(() => ok(null)),
    listConnections: vi.fn<ChartDeskApi['listConnections']>(() => ok<ConnectionWithSession[]>([])),
    connectionTemplates: vi.fn<ChartDeskApi['connectionTemplates']>(() => ok([])),
    addConnection: vi.fn<ChartDeskApi['addConnection']>(),
    updateConnection: vi.fn<ChartDeskApi['updateConnection']>(),
    removeConnection: vi.fn<ChartDeskApi['removeConnection']>(() => ok(null)),
    checkEndpoint: vi.fn<ChartDeskApi['checkEndpoint']>(),
    signIn: vi.fn<ChartDeskApi['signIn']>(() => ok(null)),
    cancelSignIn: vi.fn<ChartDeskApi['cancelSignIn']>(() => ok(null)),
    signOut: vi.fn<ChartDeskApi['signOut']>(() => ok(null)),
    signOutAll: vi.fn<ChartDeskApi['signOutAll']>(() => ok(null)),
    answerLaunch: vi.fn<ChartDeskApi['answerLaunch']>(() => ok(null)),
    searchPatients: vi.fn<ChartDeskApi['searchPatients']>(() => ok([])),
    recentPatients: vi.fn<ChartDeskApi['recentPatients']>(() => ok([])),
    openChart: vi.fn<ChartDeskApi['openChart']>(),
    closeChart: vi.fn<ChartDeskApi['closeChart']>(() => ok(null)),
    retrySection: vi.fn<ChartDeskApi['retrySection']>(() => ok(null)),
    writeAvailability: vi.fn<ChartDeskApi['writeAvailability']>(() => ok(NOTHING_OFFERED)),
    previewWrite: vi.fn<ChartDeskApi['previewWrite']>(),
    submitWrite: vi.fn<ChartDeskApi['submitWrite']>(),
    listDrafts: vi.fn<ChartDeskApi['listDrafts']>(() => ok([])),
    discardDraft: vi.fn<ChartDeskApi['discardDraft']>(() => ok(null)),
    keepUnfinishedWrite: vi.fn<ChartDeskApi['keepUnfinishedWrite']>(() => ok(null)),
    listUnfinishedWrites: vi.fn<ChartDeskApi['listUnfinishedWrites']>(() => ok([])),
    resumeUnfinishedWrite: vi.fn<ChartDeskApi['resumeUnfinishedWrite']>(),
    searchMedications: vi.fn<ChartDeskApi['searchMedications']>(() => ok([])),
    openAttachment: vi.fn<ChartDeskApi['openAttachment']>(),
    onConnectionsChanged: subscribe('connections:changed'),
    onChartPage: subscribe('chart:page'),
    onLaunchConfirm: subscribe('launch:confirm'),
    onNotice: subscribe('app:notice'),
  } satisfies ChartDeskApi;
  return {
    api,
    emit<E extends EventName>(event: E, payload: EventContract[E]): void {
      for (const listener of listeners.get(event) ?? []) (listener as (value: EventContract[E]) => void)(payload);
    },
    listenerCount(event: EventName): number {
      return listeners.get(event)?.size ?? 0;
    },
  };
}

export function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'conn-1',
    name: 'Sandbox',
    fhirBaseUrl: 'http://127.0.0.1:8080/fhir',
    clientId: 'chartdesk',
    ...CONNECTION_DEFAULTS,
    managed: 'no',
    ...overrides,
  };
}

export function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    connectionId: 'conn-1',
    connectionName: 'Sandbox',
    status: 'signed-out',
    message: null,
    userDisplayName: null,
    fhirUser: null,
    patient: null,
    encounterId: null,
    needPatientBanner: true,
    smartStyleUrl: null,
    scopes: null,
    expiresAt: null,
    persisted: true,
    ...overrides,
  };
}

export function banner(overrides: Partial<PatientBanner> = {}): PatientBanner {
  return {
    id: 'pat-1',
    name: 'Ada Lovelace',
    birthDate: '1980-12-10',
    ageYears: 45,
    sex: 'female',
    deceased: false,
    deceasedDate: null,
    mrn: 'MRN-001',
    identifiers: [{ label: 'SSN', value: '•••-••-3456', sensitive: true }],
    inactive: false,
    replacedBy: null,
    ...overrides,
  };
}

const ALL_LOADING: Record<ChartSectionId, 'loading'> = {
  vitals: 'loading',
  labs: 'loading',
  problems: 'loading',
  medications: 'loading',
  allergies: 'loading',
  immunizations: 'loading',
  encounters: 'loading',
  notes: 'loading',
  reports: 'loading',
  procedures: 'loading',
};

export function opened(
  loadId: string,
  patient: Partial<PatientBanner> = {},
  sections = {},
  fields: Partial<Pick<ChartOpened, 'fromCache' | 'asOf' | 'offline'>> = {},
): ChartOpened {
  return {
    loadId,
    banner: banner(patient),
    sections: { ...ALL_LOADING, ...sections },
    fromCache: false,
    asOf: '2026-03-10T09:00:00.000Z',
    offline: false,
    ...fields,
  };
}

export function page<S extends ChartSectionId>(
  key: { connectionId?: string; patientId: string; loadId: string },
  section: S,
  rows: SectionPage<S>['rows'],
  end: Partial<
    Pick<SectionPage, 'done' | 'state' | 'error' | 'total' | 'notices' | 'otherPatient' | 'withdrawn' | 'newestSince'>
  > = {},
): SectionPage<S> {
  return {
    connectionId: key.connectionId ?? 'conn-1',
    patientId: key.patientId,
    loadId: key.loadId,
    section,
    rows,
    done: end.done ?? false,
    state: end.state ?? 'loading',
    error: end.error ?? null,
    total: end.total ?? null,
    notices: end.notices ?? [],
    otherPatient: end.otherPatient ?? 0,
    withdrawn: end.withdrawn ?? noneWithdrawn(),
    newestSince: end.newestSince ?? null,
  };
}
