import type { ChartOpened, ChartOpenRequest, PatientSearchQuery, PatientSearchResult, SectionPage } from './chart';
import type { Connection, ConnectionSettings, ConnectionTemplate } from './connections';
import type { EndpointReport } from './endpoint-report';
import type { ChartSectionId, ConnectionWithSession } from './sessions';
import type { SmartStyle } from './smart-style';
import type { AppInfo, AppNotice, LaunchConfirmation, PolicyStatus } from './view-models';

/**
 * The one IPC contract. Main implements every invoke channel, preload exposes each as a named
 * method, the renderer sees only `ChartDeskApi`. Results are JSON: `null` stands for "nothing".
 */
export interface InvokeContract {
  'app:info': { args: []; result: AppInfo };
  'policy:status': { args: []; result: PolicyStatus };
  'app:notices': { args: []; result: AppNotice[] };
  'connections:list': { args: []; result: ConnectionWithSession[] };
  'connections:templates': { args: []; result: ConnectionTemplate[] };
  'connections:add': { args: [settings: ConnectionSettings]; result: Connection };
  'connections:update': { args: [connectionId: string, settings: ConnectionSettings]; result: Connection };
  'connections:remove': { args: [connectionId: string]; result: null };
  'connections:check': { args: [fhirBaseUrl: string, clientId: string | null]; result: EndpointReport };
  'session:sign-in': { args: [connectionId: string]; result: null };
  'session:cancel': { args: [connectionId: string]; result: null };
  'session:sign-out': { args: [connectionId: string]; result: null };
  'session:sign-out-all': { args: []; result: null };
  'session:style': { args: [connectionId: string]; result: SmartStyle | null };
  'device:forget': { args: [connectionId: string]; result: null };
  'device:rotate-key': { args: [connectionId: string]; result: null };
  'launch:answer': { args: [confirmationId: string, accept: boolean]; result: null };
  'patients:search': { args: [connectionId: string, query: PatientSearchQuery]; result: PatientSearchResult[] };
  'patients:recent': { args: [connectionId: string]; result: PatientSearchResult[] };
  'chart:open': { args: [request: ChartOpenRequest]; result: ChartOpened };
  'chart:close': { args: [connectionId: string, loadId: string]; result: null };
  'chart:retry-section': { args: [connectionId: string, loadId: string, section: ChartSectionId]; result: null };
}

/** Main-to-renderer events and their payloads. */
export interface EventContract {
  'connections:changed': ConnectionWithSession[];
  'chart:page': SectionPage;
  'launch:confirm': LaunchConfirmation;
  'app:notice': AppNotice;
}

export type InvokeChannel = keyof InvokeContract;
export type EventName = keyof EventContract;
export type InvokeArgs<C extends InvokeChannel> = InvokeContract[C]['args'];
export type InvokeResult<C extends InvokeChannel> = InvokeContract[C]['result'];

/** Every channel, listed once; the `satisfies` clauses fail the build when one is missing or unknown. */
const invokeChannelSet = {
  'app:info': true,
  'policy:status': true,
  'app:notices': true,
  'connections:list': true,
  'connections:templates': true,
  'connections:add': true,
  'connections:update': true,
  'connections:remove': true,
  'connections:check': true,
  'session:sign-in': true,
  'session:cancel': true,
  'session:sign-out': true,
  'session:sign-out-all': true,
  'session:style': true,
  'device:forget': true,
  'device:rotate-key': true,
  'launch:answer': true,
  'patients:search': true,
  'patients:recent': true,
  'chart:open': true,
  'chart:close': true,
  'chart:retry-section': true,
} as const satisfies Record<InvokeChannel, true>;
export const INVOKE_CHANNELS = Object.keys(invokeChannelSet) as InvokeChannel[];

const eventNameSet = {
  'connections:changed': true,
  'chart:page': true,
  'launch:confirm': true,
  'app:notice': true,
} as const satisfies Record<EventName, true>;
export const EVENT_NAMES = Object.keys(eventNameSet) as EventName[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeChannelSet, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(eventNameSet, value);
}
