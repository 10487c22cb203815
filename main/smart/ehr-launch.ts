import { randomBytes } from 'node:crypto';
import type { Connection } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { LaunchConfirmation } from '../../common/view-models';
import type { ConnectionStore } from '../connections/connection-store';
import { readEhrName } from './discovery';
import type { SessionPartDeps } from './live-sessions';
import { PENDING_SIGN_IN_TTL_MS } from './pending-sign-ins';

export interface EhrLaunchesDeps extends Pick<SessionPartDeps, 'fetch' | 'now' | 'log' | 'onNotice'> {
  store: ConnectionStore;
  /** Starts the sign-in that carries the EHR's `launch`. */
  signIn: (connection: Connection, launch: string) => Promise<void>;
  onLaunchConfirm: (confirmation: LaunchConfirmation) => void;
}

/**
 * EHR launches: from a configured EHR the sign-in starts at once; from an unknown one, only where a connection
 * allows it and after the clinician confirms, as a new connection copied from that template.
 */
export interface EhrLaunches {
  handle(iss: string, launch: string): Promise<void>;
  answer(confirmationId: string, accept: boolean): Promise<void>;
}

interface LaunchRequest {
  iss: string;
  launch: string;
  ehrName: string | null;
  templateId: string;
  expiresAt: number;
}

export function createEhrLaunches(deps: EhrLaunchesDeps): EhrLaunches {
  const waiting = new Map<string, LaunchRequest>();
  const sweep = () => {
    for (const [id, request] of waiting) if (request.expiresAt <= deps.now()) waiting.delete(id);
  };

  return {
    async handle(iss, launch) {
      sweep();
      const known = deps.store.findByFhirBase(iss);
      if (known) {
        deps.log.info('ehr-launch.accepted', { connectionId: known.id });
        // Nobody awaits a deep link: a failure to start is told to the clinician here.
        await deps
          .signIn(known, launch)
          .catch((error: ChartDeskError) => deps.onNotice({ level: 'error', message: error.message, connectionId: known.id }));
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
      const id = randomBytes(12).toString('base64url');
      const ehrName = await readEhrName(iss, { fetch: deps.fetch });
      waiting.set(id, { iss, launch, ehrName, templateId: template.id, expiresAt: deps.now() + PENDING_SIGN_IN_TTL_MS });
      deps.log.info('ehr-launch.confirmation-asked', { iss });
      deps.onLaunchConfirm({ id, issuer: iss, ehrName });
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
      const template = deps.store.get(request.templateId);
      if (!template?.allowUnknownEhrLaunch)
        throw new ChartDeskError('forbidden', 'Launches from unknown EHRs are no longer allowed.');
      const { id: _id, managed: _managed, ...templateSettings } = template;
      const connection = await deps.store.add({
        ...templateSettings,
        name: request.ehrName ?? new URL(request.iss).host,
        fhirBaseUrl: request.iss,
        allowUnknownEhrLaunch: false,
      });
      deps.log.info('ehr-launch.accepted', { connectionId: connection.id, confirmed: true });
      await deps.signIn(connection, request.launch);
    },
  };
}
