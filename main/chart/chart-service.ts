import type {
  ChartOpened,
  ChartOpenRequest,
  PatientSearchQuery,
  PatientSearchResult,
  RecentPatient,
  SectionPage,
} from '../../common/chart';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import { toChartDeskError } from './chart-errors';
import { type ChartLoaderOptions, createChartLoader } from './chart-loader';
import { FHIR_ID } from '../../common/fhir-patterns';
import { createFhirClient, type FhirClient, type FhirClientOptions, type TokenSource } from '../fhir/fhir-client';
import { searchPatients } from './patient-search';
import { RecentPatients } from './recent-patients';

/** What the chart needs of a signed-in session. */
export interface ChartSession {
  fhirBaseUrl: string;
  tokens: TokenSource;
  grantedSections: ChartSectionId[];
}

export interface ChartServiceDeps {
  /** The connection's live session, or null when it is signed out. */
  sessionFor(connectionId: string): ChartSession | null;
  fetch: typeof fetch;
  /** Sends a page to the renderer (the `chart:page` event). */
  emit(page: SectionPage): void;
  log: Logger;
  now(): Date;
  options?: { client?: Partial<FhirClientOptions>; loader?: Partial<ChartLoaderOptions>; recentPatients?: number };
}

/** The chart service: what the renderer asks of charts (common/ipc-contract.ts routes those channels here). */
export interface ChartService {
  searchPatients(connectionId: string, query: PatientSearchQuery): Promise<PatientSearchResult[]>;
  /** The patients opened on every signed-in connection, most recent first. */
  recentPatients(): RecentPatient[];
  open(request: ChartOpenRequest): Promise<ChartOpened>;
  close(connectionId: string, loadId: string): null;
  retrySection(connectionId: string, loadId: string, section: ChartSectionId): Promise<null>;
  /** At sign-out: stops the connection's load, forgets its cached charts and its recent patients. */
  clear(connectionId: string): void;
  /** Clears every connection but these (the signed-in ones): a chart never outlives its session or its connection. */
  keepOnly(connectionIds: ReadonlySet<string>): void;
}

export function createChartService(deps: ChartServiceDeps): ChartService {
  const loader = createChartLoader({ emit: deps.emit, log: deps.log, now: deps.now, options: deps.options?.loader });
  const recent = new RecentPatients(deps.options?.recentPatients);
  const clients = new Map<string, { session: ChartSession; client: FhirClient }>();

  /** The session and a client on it; one client per session so a refresh after 401 is shared. */
  function connect(connectionId: string): { session: ChartSession; client: FhirClient } {
    const session = deps.sessionFor(connectionId);
    if (!session) throw new ChartDeskError('auth', 'Sign in to this EHR to see its charts.');
    const known = clients.get(connectionId);
    if (known && known.session.fhirBaseUrl === session.fhirBaseUrl && known.session.tokens === session.tokens) return known;
    const client = createFhirClient({
      baseUrl: session.fhirBaseUrl,
      tokens: session.tokens,
      fetch: deps.fetch,
      log: deps.log,
      options: deps.options?.client,
    });
    const connected = { session, client };
    clients.set(connectionId, connected);
    return connected;
  }

  return {
    async searchPatients(connectionId: string, query: PatientSearchQuery): Promise<PatientSearchResult[]> {
      try {
        return await searchPatients(connect(connectionId).client, query);
      } catch (error) {
        throw toChartDeskError(error);
      }
    },

    recentPatients: () => recent.list(),

    async open(request: ChartOpenRequest): Promise<ChartOpened> {
      if (!FHIR_ID.test(request.patientId)) throw new ChartDeskError('invalid-input', 'That is not a FHIR patient id.');
      const { session, client } = connect(request.connectionId);
      let opened: ChartOpened;
      try {
        opened = await loader.open({ ...request, grantedSections: session.grantedSections, client });
      } catch (error) {
        // A refresh that failed elsewhere ends the session and stops this load: what the clinician must do is sign in.
        if (error instanceof ChartDeskError && error.code === 'cancelled' && deps.sessionFor(request.connectionId) === null) {
          throw new ChartDeskError('auth', 'Your session with this EHR has ended. Sign in again to open the chart.');
        }
        throw error;
      }
      const { name, birthDate, sex, mrn } = opened.banner;
      recent.add(request.connectionId, { id: request.patientId, name, birthDate, sex, mrn }, deps.now());
      return opened;
    },

    close(connectionId, loadId) {
      loader.close(connectionId, loadId);
      return null;
    },

    async retrySection(connectionId, loadId, section) {
      await loader.retrySection(connectionId, loadId, section);
      return null;
    },

    clear,

    keepOnly(connectionIds) {
      for (const connectionId of [...clients.keys()]) if (!connectionIds.has(connectionId)) clear(connectionId);
    },
  };

  function clear(connectionId: string): void {
    loader.clear(connectionId);
    recent.clear(connectionId);
    clients.delete(connectionId);
  }
}
