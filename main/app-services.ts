import type { ChartOpened, ChartOpenRequest, PatientSearchQuery, PatientSearchResult } from '../common/chart';
import type { Connection, ConnectionSettings, ConnectionTemplate } from '../common/connections';
import type { EndpointReport } from '../common/endpoint-report';
import { ChartDeskError } from '../common/ipc-envelope';
import type { ChartSectionId, ConnectionWithSession } from '../common/sessions';
import type { AppInfo, PolicyStatus } from '../common/view-models';
import type { DeepLink } from './deep-link/parse-deep-link';
import type { EventHub } from './ipc/event-hub';
import type { Logger } from './logging/logger';

export interface ConnectionsPort {
  list(): ConnectionWithSession[] | Promise<ConnectionWithSession[]>;
  templates(): ConnectionTemplate[];
  add(settings: ConnectionSettings): Promise<Connection>;
  update(id: string, settings: ConnectionSettings): Promise<Connection>;
  remove(id: string): Promise<null>;
  check(fhirBaseUrl: string, clientId: string | null): Promise<EndpointReport>;
}

export interface SessionsPort {
  signIn(connectionId: string): Promise<null>;
  cancel(connectionId: string): Promise<null>;
  signOut(connectionId: string): Promise<null>;
  signOutAll(): Promise<null>;
  answerLaunch(confirmationId: string, accept: boolean): Promise<null>;
}

export interface ChartPort {
  searchPatients(connectionId: string, query: PatientSearchQuery): Promise<PatientSearchResult[]>;
  recentPatients(connectionId: string): PatientSearchResult[];
  open(request: ChartOpenRequest): Promise<ChartOpened>;
  close(connectionId: string, loadId: string): null;
  retrySection(connectionId: string, loadId: string, section: ChartSectionId): Promise<null>;
}

/** The main process's capabilities, free of Electron: the shell and the browser bridge both drive this. */
export interface MainServices {
  appInfo(): AppInfo;
  policyStatus(): PolicyStatus;
  connections: ConnectionsPort;
  sessions: SessionsPort;
  chart: ChartPort;
  /** Acts on a link the OS handed over (already parsed, so hostile input has been turned away). */
  handleDeepLink(link: DeepLink): void;
}

export interface MainServicesDeps {
  appInfo: AppInfo;
  events: EventHub;
  log: Logger;
}

const notYet = (): never => {
  throw new ChartDeskError('internal', 'This part of ChartDesk is not available in this build yet.');
};

export function createMainServices(deps: MainServicesDeps): MainServices {
  return {
    appInfo: () => deps.appInfo,
    policyStatus: () => ({ source: null, applied: false, error: null, allowAddConnections: true, idleLockMinutes: 15 }),
    connections: { list: () => [], templates: () => [], add: notYet, update: notYet, remove: notYet, check: notYet },
    sessions: { signIn: notYet, cancel: notYet, signOut: notYet, signOutAll: notYet, answerLaunch: notYet },
    chart: { searchPatients: notYet, recentPatients: () => [], open: notYet, close: () => null, retrySection: notYet },
    handleDeepLink(link) {
      if (link.kind === 'rejected') {
        deps.log.warn('deep-link.rejected', { reason: link.reason });
        return;
      }
      deps.log.info('deep-link.received', { kind: link.kind });
    },
  };
}
