import type { z } from 'zod';
import type { AttachmentContent, ChartOpened, PatientSearchResult, RecentPatient, SectionPage } from './chart';
import type { Connection, ConnectionTemplate } from './connections';
import type { EndpointReport } from './endpoint-report';
import type { INVOKE_ARGS } from './ipc-schemas';
import type { ConnectionWithSession } from './sessions';
import type { SmartStyle } from './smart-style';
import type {
  DraftSummary,
  MedicationChoice,
  ResumedForm,
  UnfinishedSummary,
  WriteAvailabilities,
  WritePreview,
  WriteResult,
} from './writes';
import type { AppInfo, AppNotice, LaunchConfirmation, PolicyStatus } from './view-models';

/**
 * The one IPC contract, one entry per channel: the renderer's method (`api`, on `window.chartdesk`), the main
 * service and method that answer it, and the type of its result. The run-time schema of its arguments is the
 * channel's entry in `INVOKE_ARGS` (common/ipc-schemas.ts), kept apart so that the preload bundle carries no
 * validation code; the compiler refuses a channel that lacks one. The preload's API (common/api.ts), main's service
 * types (main/app-services.ts) and the dispatcher (main/ipc/dispatcher.ts) are derived from these two tables.
 * Results are JSON: `null` stands for "nothing".
 */
export const INVOKE = {
  'app:info': { api: 'appInfo', service: 'app', method: 'info', result: type<AppInfo>() },
  'policy:status': { api: 'policyStatus', service: 'app', method: 'policyStatus', result: type<PolicyStatus>() },
  'app:notices': { api: 'notices', service: 'notices', method: 'list', result: type<AppNotice[]>() },
  'app:dismiss-notice': { api: 'dismissNotice', service: 'notices', method: 'dismiss', result: null },
  'connections:list': { api: 'listConnections', service: 'sessions', method: 'list', result: type<ConnectionWithSession[]>() },
  'connections:templates': {
    api: 'connectionTemplates',
    service: 'connections',
    method: 'templates',
    result: type<ConnectionTemplate[]>(),
  },
  'connections:add': { api: 'addConnection', service: 'connections', method: 'add', result: type<Connection>() },
  'connections:update': { api: 'updateConnection', service: 'sessions', method: 'updateConnection', result: type<Connection>() },
  'connections:remove': { api: 'removeConnection', service: 'sessions', method: 'removeConnection', result: null },
  'connections:check': { api: 'checkEndpoint', service: 'connections', method: 'check', result: type<EndpointReport>() },
  'session:sign-in': { api: 'signIn', service: 'sessions', method: 'signIn', result: null },
  'session:cancel': { api: 'cancelSignIn', service: 'sessions', method: 'cancel', result: null },
  'session:sign-out': { api: 'signOut', service: 'sessions', method: 'signOut', result: null },
  'session:sign-out-all': { api: 'signOutAll', service: 'sessions', method: 'signOutAll', result: null },
  'session:style': { api: 'sessionStyle', service: 'styles', method: 'forConnection', result: type<SmartStyle | null>() },
  'device:forget': { api: 'forgetDevice', service: 'sessions', method: 'forgetDevice', result: null },
  'device:rotate-key': { api: 'rotateDeviceKey', service: 'sessions', method: 'rotateDeviceKey', result: null },
  'launch:answer': { api: 'answerLaunch', service: 'sessions', method: 'answerLaunch', result: null },
  'patients:search': { api: 'searchPatients', service: 'chart', method: 'searchPatients', result: type<PatientSearchResult[]>() },
  'patients:recent': { api: 'recentPatients', service: 'chart', method: 'recentPatients', result: type<RecentPatient[]>() },
  'chart:open': { api: 'openChart', service: 'chart', method: 'open', result: type<ChartOpened>() },
  'chart:close': { api: 'closeChart', service: 'chart', method: 'close', result: null },
  'chart:retry-section': { api: 'retrySection', service: 'chart', method: 'retrySection', result: null },
  'write:availability': {
    api: 'writeAvailability',
    service: 'writes',
    method: 'availability',
    result: type<WriteAvailabilities>(),
  },
  'write:preview': { api: 'previewWrite', service: 'writes', method: 'preview', result: type<WritePreview>() },
  'write:submit': { api: 'submitWrite', service: 'writes', method: 'submit', result: type<WriteResult>() },
  'write:drafts': { api: 'listDrafts', service: 'writes', method: 'drafts', result: type<DraftSummary[]>() },
  'write:discard': { api: 'discardDraft', service: 'writes', method: 'discard', result: null },
  'write:keep-unfinished': { api: 'keepUnfinishedWrite', service: 'writes', method: 'keepUnfinished', result: null },
  'write:unfinished': {
    api: 'listUnfinishedWrites',
    service: 'writes',
    method: 'unfinished',
    result: type<UnfinishedSummary[]>(),
  },
  'write:resume-unfinished': {
    api: 'resumeUnfinishedWrite',
    service: 'writes',
    method: 'resumeUnfinished',
    result: type<ResumedForm>(),
  },
  'medications:search': {
    api: 'searchMedications',
    service: 'writes',
    method: 'searchMedications',
    result: type<MedicationChoice[]>(),
  },
  'chart:attachment': { api: 'openAttachment', service: 'chart', method: 'attachment', result: type<AttachmentContent>() },
} as const satisfies Record<string, { api: string; service: string; method: string; result: unknown }>;

/** Main-to-renderer events: the renderer's subscription method and the payload. */
export const EVENTS = {
  'connections:changed': { api: 'onConnectionsChanged', payload: type<ConnectionWithSession[]>() },
  'chart:page': { api: 'onChartPage', payload: type<SectionPage>() },
  'launch:confirm': { api: 'onLaunchConfirm', payload: type<LaunchConfirmation>() },
  'app:notice': { api: 'onNotice', payload: type<AppNotice>() },
} as const satisfies Record<string, { api: string; payload: unknown }>;

/** A type carried by the tables for the compiler only (a channel's result, an event's payload). */
function type<T>(): T {
  return undefined as T;
}

export type Invoke = typeof INVOKE;
export type InvokeChannel = keyof Invoke;
export type EventName = keyof typeof EVENTS;
export type InvokeArgs<C extends InvokeChannel> = z.output<(typeof INVOKE_ARGS)[C]>;
export type InvokeResult<C extends InvokeChannel> = Invoke[C]['result'];
export type EventContract = { [E in EventName]: (typeof EVENTS)[E]['payload'] };

export const INVOKE_CHANNELS = Object.keys(INVOKE) as InvokeChannel[];
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(INVOKE, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(EVENTS, value);
}
