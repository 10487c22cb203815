import { randomBytes } from 'node:crypto';
import type { Connection } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { LaunchConfirmation } from '../../common/view-models';
import type { ConnectionStore } from '../connections/connection-store';
import type { SessionPartDeps } from './live-sessions';
import { PENDING_SIGN_IN_TTL_MS } from './pending-sign-ins';

export interface EhrLaunchesDeps extends Pick<SessionPartDeps, 'now' | 'log' | 'onNotice'> {
  store: ConnectionStore;
  /** Starts the sign-in that carries the EHR's `launch`. */
  signIn: (connection: Connection, launch: string) => Promise<void>;
  /** Whether the connection has a sign-in waiting for its browser. */
  signingIn: (connectionId: string) => boolean;
  /** Whether a chart of the connection is on screen (the launch may be for another patient). */
  chartOpen: (connectionId: string) => boolean;
  onLaunchConfirm: (confirmation: LaunchConfirmation) => void;
}

/**
 * EHR launches. From a configured EHR the sign-in starts at once, unless it would cancel a sign-in in progress or
 * replace the chart on screen: then the clinician is asked. From an unknown EHR, only where a connection allows it,
 * and only after the clinician confirms, as a new connection copied from that template: nothing is fetched from an
 * unknown issuer before that answer (a launch link is anyone's to craft), so the dialog names it by its host.
 */
export interface EhrLaunches {
  handle(iss: string, launch: string): Promise<void>;
  answer(confirmationId: string, accept: boolean): Promise<void>;
}

interface LaunchRequest {
  iss: string;
  launch: string;
  /** The configured connection it goes to, or the template a new connection is copied from. */
  connectionId: string | null;
  templateId: string | null;
  expiresAt: number;
}

export function createEhrLaunches(deps: EhrLaunchesDeps): EhrLaunches {
  const waiting = new Map<string, LaunchRequest>();
  const sweep = () => {
    for (const [id, request] of waiting) if (request.expiresAt <= deps.now()) waiting.delete(id);
  };

  const ask = (request: Omit<LaunchRequest, 'expiresAt'>, confirmation: Omit<LaunchConfirmation, 'id' | 'issuer' | 'host'>) => {
    const id = randomBytes(12).toString('base64url');
    waiting.set(id, { ...request, expiresAt: deps.now() + PENDING_SIGN_IN_TTL_MS });
    deps.log.info('ehr-launch.confirmation-asked', { iss: request.iss, reason: confirmation.reason });
    deps.onLaunchConfirm({ id, issuer: request.iss, host: new URL(request.iss).host, ...confirmation });
  };

  async function signIn(connection: Connection, launch: string): Promise<void> {
    // Nobody awaits a deep link: a failure to start is told to the clinician here.
    await deps
      .signIn(connection, launch)
      .catch((error: ChartDeskError) => deps.onNotice({ level: 'error', message: error.message, connectionId: connection.id }));
  }

  return {
    async handle(iss, launch) {
      sweep();
      const known = deps.store.findByFhirBase(iss);
      if (known) {
        const busy = deps.signingIn(known.id) ? 'sign-in-in-progress' : deps.chartOpen(known.id) ? 'chart-open' : null;
        if (busy) {
          ask({ iss, launch, connectionId: known.id, templateId: null }, { reason: busy, connectionName: known.name });
          return;
        }
        deps.log.info('ehr-launch.accepted', { connectionId: known.id });
        await signIn(known, launch);
        return;
      }
      const template = deps.store.list().find((connection) => connection.allowUnknownEhrLaunch);
      if (!template || !deps.store.canAdd()) {
        deps.log.warn('ehr-launch.rejected', { reason: 'issuer not configured', iss });
        deps.onNotice({
          level: 'error',
          message: `An EHR launch from ${iss} was refused: this EHR is not configured in ChartDesk.`,
          connectionId: null,
        });
        return;
      }
      ask({ iss, launch, connectionId: null, templateId: template.id }, { reason: 'unknown-ehr', connectionName: null });
    },

    async answer(confirmationId, accept) {
      sweep();
      const request = waiting.get(confirmationId);
      waiting.delete(confirmationId);
      if (!request) throw new ChartDeskError('not-found', 'This EHR launch has expired. Launch ChartDesk from the EHR again.');
      if (!accept) {
        deps.log.info('ehr-launch.declined', { iss: request.iss });
        return;
      }
      if (request.connectionId !== null) {
        const known = deps.store.get(request.connectionId);
        if (!known) throw new ChartDeskError('not-found', 'This connection does not exist (any more).');
        deps.log.info('ehr-launch.accepted', { connectionId: known.id, confirmed: true });
        await signIn(known, request.launch);
        return;
      }
      const template = request.templateId === null ? null : deps.store.get(request.templateId);
      if (!template?.allowUnknownEhrLaunch)
        throw new ChartDeskError('forbidden', 'Launches from unknown EHRs are no longer allowed.');
      const { id: _id, managed: _managed, ...templateSettings } = template;
      const connection = await deps.store.add({
        ...templateSettings,
        name: new URL(request.iss).host,
        fhirBaseUrl: request.iss,
        allowUnknownEhrLaunch: false,
      });
      deps.log.info('ehr-launch.accepted', { connectionId: connection.id, confirmed: true });
      await deps.signIn(connection, request.launch);
    },
  };
}
