import type { ChartOpened, ChartOpenRequest, PatientSearchQuery, PatientSearchResult } from '../common/chart';
import type { Connection, ConnectionSettings, ConnectionTemplate } from '../common/connections';
import type { EndpointReport } from '../common/endpoint-report';
import type { SmartStyle } from '../common/smart-style';
import type { ChartSectionId, ConnectionWithSession } from '../common/sessions';
import type { AppInfo, AppNotice, PolicyStatus } from '../common/view-models';
import type { DeepLink } from './deep-link/parse-deep-link';

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
  /** The EHR's SMART style for this session, fetched and reduced to safe values, or null. */
  style(connectionId: string): Promise<SmartStyle | null>;
  /** Deletes this device's registration at the EHR and its key (issue 9). */
  forgetDevice(connectionId: string): Promise<null>;
  rotateDeviceKey(connectionId: string): Promise<null>;
  answerLaunch(confirmationId: string, accept: boolean): Promise<null>;
}

export interface ChartPort {
  searchPatients(connectionId: string, query: PatientSearchQuery): Promise<PatientSearchResult[]>;
  recentPatients(connectionId: string): PatientSearchResult[];
  open(request: ChartOpenRequest): Promise<ChartOpened>;
  close(connectionId: string, loadId: string): null;
  retrySection(connectionId: string, loadId: string, section: ChartSectionId): Promise<null>;
}

/** The main process's capabilities, free of Electron: the shell and the browser bridge both drive this (main/compose.ts builds it). */
export interface MainServices {
  appInfo(): AppInfo;
  policyStatus(): PolicyStatus;
  /** Notices raised so far (some arrive before the renderer listens: a recovered file, an invalid policy). */
  notices(): AppNotice[];
  connections: ConnectionsPort;
  sessions: SessionsPort;
  chart: ChartPort;
  /** Acts on a link the OS handed over (already parsed, so hostile input has been turned away). */
  handleDeepLink(link: DeepLink): void;
}
