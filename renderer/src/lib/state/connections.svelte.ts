import type { ChartDeskApi } from '../../../../common/api';
import type { Connection, ConnectionSettings, ConnectionTemplate } from '../../../../common/connections';
import type { EndpointReport } from '../../../../common/endpoint-report';
import type { IpcResult } from '../../../../common/ipc-envelope';
import type { ConnectionWithSession } from '../../../../common/sessions';
import type { AppNotice, LaunchConfirmation, PolicyStatus } from '../../../../common/view-models';
import { BridgeError, unwrap } from '../api';
import { messageOf } from '../errors';

export interface ShownNotice extends AppNotice {
  id: number;
}

/**
 * The connections and their sessions as main reports them, plus what the clinician must see or
 * answer: notices and EHR-launch confirmations. Main is the source of truth: every change comes
 * back through `connections:changed`, never from optimistic local edits.
 */
export class ConnectionsState {
  items = $state.raw<ConnectionWithSession[]>([]);
  templates = $state.raw<ConnectionTemplate[]>([]);
  policy = $state.raw<PolicyStatus | null>(null);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  notices = $state.raw<ShownNotice[]>([]);
  /** EHR launches from unknown issuers waiting for the clinician, oldest first. */
  confirmations = $state.raw<LaunchConfirmation[]>([]);

  readonly #api: ChartDeskApi;
  readonly #unsubscribe: Array<() => void>;
  #nextNoticeId = 1;

  constructor(api: ChartDeskApi) {
    this.#api = api;
    this.#unsubscribe = [
      api.onConnectionsChanged((list) => {
        this.items = list;
      }),
      api.onNotice((notice) => this.notify(notice)),
      api.onLaunchConfirm((confirmation) => {
        this.confirmations = [...this.confirmations, confirmation];
      }),
    ];
  }

  get canAdd(): boolean {
    return this.policy?.allowAddConnections ?? true;
  }

  find(connectionId: string): ConnectionWithSession | undefined {
    return this.items.find((item) => item.connection.id === connectionId);
  }

  async load(): Promise<void> {
    try {
      const [list, templates, policy] = await Promise.all([
        unwrap(this.#api.listConnections()),
        unwrap(this.#api.connectionTemplates()),
        unwrap(this.#api.policyStatus()),
      ]);
      this.items = list;
      this.templates = templates;
      this.policy = policy;
      this.loadError = null;
    } catch (error) {
      this.loadError = messageOf(error, 'ChartDesk could not read its connections.');
    } finally {
      this.loaded = true;
    }
    await this.#loadEarlyNotices();
  }

  /** Notices main raised before this window listened (a locked keychain at start-up, a rejected launch link). */
  async #loadEarlyNotices(): Promise<void> {
    try {
      for (const notice of await unwrap(this.#api.notices())) this.notify(notice);
    } catch (error) {
      this.notify({
        level: 'warning',
        message: messageOf(error, 'Earlier messages from ChartDesk could not be read.'),
        connectionId: null,
      });
    }
  }

  /** Re-reads the sessions from main (after the idle lock); throws so the caller can say it failed. */
  async refresh(): Promise<void> {
    const [list, policy] = await Promise.all([unwrap(this.#api.listConnections()), unwrap(this.#api.policyStatus())]);
    this.items = list;
    this.policy = policy;
  }

  /** Add and update throw BridgeError so the form can show main's message beside its fields. */
  add(settings: ConnectionSettings): Promise<Connection> {
    return unwrap(this.#api.addConnection(settings));
  }

  update(connectionId: string, settings: ConnectionSettings): Promise<Connection> {
    return unwrap(this.#api.updateConnection(connectionId, settings));
  }

  check(fhirBaseUrl: string, clientId: string | null): Promise<EndpointReport> {
    return unwrap(this.#api.checkEndpoint(fhirBaseUrl, clientId));
  }

  remove(connectionId: string): Promise<void> {
    return this.#run(this.#api.removeConnection(connectionId), connectionId);
  }

  signIn(connectionId: string): Promise<void> {
    return this.#run(this.#api.signIn(connectionId), connectionId);
  }

  cancelSignIn(connectionId: string): Promise<void> {
    return this.#run(this.#api.cancelSignIn(connectionId), connectionId);
  }

  signOut(connectionId: string): Promise<void> {
    return this.#run(this.#api.signOut(connectionId), connectionId);
  }

  forgetDevice(connectionId: string): Promise<void> {
    return this.#run(this.#api.forgetDevice(connectionId), connectionId);
  }

  rotateDeviceKey(connectionId: string): Promise<void> {
    return this.#run(this.#api.rotateDeviceKey(connectionId), connectionId);
  }

  signOutAll(): Promise<void> {
    return this.#run(this.#api.signOutAll(), null);
  }

  async answerLaunch(confirmationId: string, accept: boolean): Promise<void> {
    this.confirmations = this.confirmations.filter((confirmation) => confirmation.id !== confirmationId);
    await this.#run(this.#api.answerLaunch(confirmationId, accept), null);
  }

  notify(notice: AppNotice): void {
    this.notices = [...this.notices, { ...notice, id: this.#nextNoticeId++ }];
  }

  /** Closes the notice here and in main, so it does not come back when the window reloads. */
  dismiss(noticeId: number): void {
    const notice = this.notices.find((each) => each.id === noticeId);
    this.notices = this.notices.filter((each) => each.id !== noticeId);
    if (notice) void this.#run(this.#api.dismissNotice(notice.message), null);
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }

  /** Runs an action whose outcome arrives as `connections:changed`; a failure becomes a notice. Cancelling is not a failure. */
  async #run(pending: Promise<IpcResult<null>>, connectionId: string | null): Promise<void> {
    try {
      await unwrap(pending);
    } catch (error) {
      if (error instanceof BridgeError && error.code === 'cancelled') return;
      this.notify({ level: 'error', message: messageOf(error), connectionId });
    }
  }
}
