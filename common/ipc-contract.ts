import type { SessionView } from './sessions';
import type { AppInfo } from './view-models';

/**
 * The one IPC contract. Main implements every invoke channel, preload exposes each
 * as a named method, the renderer sees only `ChartDeskApi`.
 */
export interface InvokeContract {
  'app:info': { args: []; result: AppInfo };
  'session:list': { args: []; result: SessionView[] };
}

/** Main-to-renderer events and their payloads. */
export interface EventContract {
  'session:changed': SessionView[];
}

export type InvokeChannel = keyof InvokeContract;
export type EventName = keyof EventContract;
export type InvokeArgs<C extends InvokeChannel> = InvokeContract[C]['args'];
export type InvokeResult<C extends InvokeChannel> = InvokeContract[C]['result'];

/** Every channel, listed once; the `satisfies` clauses fail the build when one is missing or unknown. */
const invokeChannelSet = {
  'app:info': true,
  'session:list': true,
} as const satisfies Record<InvokeChannel, true>;
export const INVOKE_CHANNELS = Object.keys(invokeChannelSet) as InvokeChannel[];

const eventNameSet = { 'session:changed': true } as const satisfies Record<EventName, true>;
export const EVENT_NAMES = Object.keys(eventNameSet) as EventName[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeChannelSet, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(eventNameSet, value);
}
