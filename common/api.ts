import type { EventContract, EventName, InvokeArgs, InvokeChannel, InvokeResult } from './ipc-contract';
import type { IpcResult } from './ipc-envelope';

/** How a bridge reaches main: Electron IPC in the preload, HTTP in the browser view. */
export interface BridgeTransport {
  invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<IpcResult<InvokeResult<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventContract[E]) => void): () => void;
}

type Invoker<C extends InvokeChannel> = (...args: InvokeArgs<C>) => Promise<IpcResult<InvokeResult<C>>>;
type Subscriber<E extends EventName> = (listener: (payload: EventContract[E]) => void) => () => void;

/** The intent-level API the renderer sees as `window.chartdesk`. No generic invoke, no raw IPC. */
export interface ChartDeskApi {
  appInfo: Invoker<'app:info'>;
  policyStatus: Invoker<'policy:status'>;
  notices: Invoker<'app:notices'>;
  listConnections: Invoker<'connections:list'>;
  connectionTemplates: Invoker<'connections:templates'>;
  addConnection: Invoker<'connections:add'>;
  updateConnection: Invoker<'connections:update'>;
  removeConnection: Invoker<'connections:remove'>;
  checkEndpoint: Invoker<'connections:check'>;
  signIn: Invoker<'session:sign-in'>;
  cancelSignIn: Invoker<'session:cancel'>;
  signOut: Invoker<'session:sign-out'>;
  signOutAll: Invoker<'session:sign-out-all'>;
  sessionStyle: Invoker<'session:style'>;
  forgetDevice: Invoker<'device:forget'>;
  rotateDeviceKey: Invoker<'device:rotate-key'>;
  answerLaunch: Invoker<'launch:answer'>;
  searchPatients: Invoker<'patients:search'>;
  recentPatients: Invoker<'patients:recent'>;
  openChart: Invoker<'chart:open'>;
  closeChart: Invoker<'chart:close'>;
  retrySection: Invoker<'chart:retry-section'>;
  onConnectionsChanged: Subscriber<'connections:changed'>;
  onChartPage: Subscriber<'chart:page'>;
  onLaunchConfirm: Subscriber<'launch:confirm'>;
  onNotice: Subscriber<'app:notice'>;
}

/** Builds the API once for every transport, so preload and the browser view cannot drift apart. */
export function createChartDeskApi(t: BridgeTransport): ChartDeskApi {
  return {
    appInfo: () => t.invoke('app:info', []),
    policyStatus: () => t.invoke('policy:status', []),
    notices: () => t.invoke('app:notices', []),
    listConnections: () => t.invoke('connections:list', []),
    connectionTemplates: () => t.invoke('connections:templates', []),
    addConnection: (settings) => t.invoke('connections:add', [settings]),
    updateConnection: (id, settings) => t.invoke('connections:update', [id, settings]),
    removeConnection: (id) => t.invoke('connections:remove', [id]),
    checkEndpoint: (url, clientId) => t.invoke('connections:check', [url, clientId]),
    signIn: (id) => t.invoke('session:sign-in', [id]),
    cancelSignIn: (id) => t.invoke('session:cancel', [id]),
    signOut: (id) => t.invoke('session:sign-out', [id]),
    signOutAll: () => t.invoke('session:sign-out-all', []),
    sessionStyle: (id) => t.invoke('session:style', [id]),
    forgetDevice: (id) => t.invoke('device:forget', [id]),
    rotateDeviceKey: (id) => t.invoke('device:rotate-key', [id]),
    answerLaunch: (id, accept) => t.invoke('launch:answer', [id, accept]),
    searchPatients: (id, query) => t.invoke('patients:search', [id, query]),
    recentPatients: (id) => t.invoke('patients:recent', [id]),
    openChart: (request) => t.invoke('chart:open', [request]),
    closeChart: (id, loadId) => t.invoke('chart:close', [id, loadId]),
    retrySection: (id, loadId, section) => t.invoke('chart:retry-section', [id, loadId, section]),
    onConnectionsChanged: (listener) => t.subscribe('connections:changed', listener),
    onChartPage: (listener) => t.subscribe('chart:page', listener),
    onLaunchConfirm: (listener) => t.subscribe('launch:confirm', listener),
    onNotice: (listener) => t.subscribe('app:notice', listener),
  };
}
