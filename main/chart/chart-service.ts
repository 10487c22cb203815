import type {
  AttachmentContent,
  AttachmentRequest,
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
import { readAttachment } from './attachments';
import { type ChartAction, toChartDeskError } from './chart-errors';
import { type ChartLoaderOptions, createChartLoader } from './chart-loader';
import { FHIR_ID } from '../../common/fhir-patterns';
import { createFhirClient, type FhirClient, type FhirClientOptions, type TokenSource } from '../fhir/fhir-client';
import { createInFlightLimiter, DEFAULT_MAX_REQUESTS_IN_FLIGHT, type InFlightLimiter } from '../fhir/in-flight-limiter';
import { searchPatients } from './patient-search';
import { RecentPatients } from './recent-patients';
import { searchCapabilities, type SearchCapabilities, UNKNOWN_CAPABILITIES } from './search-capabilities';

/** What the chart needs of a signed-in session. */
export interface ChartSession {
  fhirBaseUrl: string;
  tokens: TokenSource;
  grantedSections: ChartSectionId[];
  /** Binary was granted: note and report content kept apart (by URL) may be read. */
  documentContent: boolean;
  /** Tells the session the name of a patient whose banner was read (its patient in context shows it: read once). */
  notePatientName?: (patientId: string, name: string | null) => void;
}

export interface ChartServiceDeps {
  /**
   * The connection's session when it can be used; otherwise throws the `auth` ChartDeskError whose message the
   * connection row shows as well (signed out, expired, ended by the EHR).
   */
  sessionFor(connectionId: string): ChartSession;
  fetch: typeof fetch;
  /** Sends a page to the renderer (the `chart:page` event). */
  emit(page: SectionPage): void;
  log: Logger;
  now(): Date;
  options?: {
    client?: Partial<FhirClientOptions>;
    loader?: Partial<ChartLoaderOptions>;
    recentPatients?: number;
    /** Requests in flight to one EHR at a time, all sections and patients of the connection together (IT policy). */
    maxRequestsInFlight?: number;
  };
}

/** The chart service: what the renderer asks of charts (common/ipc-contract.ts routes those channels here). */
export interface ChartService {
  searchPatients(connectionId: string, query: PatientSearchQuery): Promise<PatientSearchResult[]>;
  /** The patients opened on every signed-in connection, most recent first. */
  recentPatients(): RecentPatient[];
  open(request: ChartOpenRequest): Promise<ChartOpened>;
  close(connectionId: string, loadId: string): null;
  retrySection(connectionId: string, loadId: string, section: ChartSectionId): Promise<null>;
  /** One attachment of a note or report of the patient, for the viewer (main/chart/attachments.ts). */
  attachment(connectionId: string, request: AttachmentRequest): Promise<AttachmentContent>;
  /** At sign-out: stops the connection's load, forgets its cached charts and its recent patients. */
  clear(connectionId: string): void;
  /** Whether a chart of the connection is open in the renderer. */
  isOpen(connectionId: string): boolean;
  /** Clears every connection but these (the signed-in ones): a chart never outlives its session or its connection. */
  keepOnly(connectionIds: ReadonlySet<string>): void;
}

export function createChartService(deps: ChartServiceDeps): ChartService {
  const loader = createChartLoader({ emit: deps.emit, log: deps.log, now: deps.now, options: deps.options?.loader });
  const recent = new RecentPatients(deps.options?.recentPatients);
  const clients = new Map<string, { session: ChartSession; client: FhirClient }>();
  const limiters = new Map<string, InFlightLimiter>();
  /** Per FHIR base: what its searches can do. It says nothing about patients, so it outlives sign-outs. */
  const capabilities = new Map<string, SearchCapabilities | Promise<SearchCapabilities>>();

  /** The session and a client on it; one client per session so a refresh after 401 is shared, one in-flight limit per connection. */
  function connect(connectionId: string): { session: ChartSession; client: FhirClient } {
    const session = deps.sessionFor(connectionId);
    const known = clients.get(connectionId);
    if (known && known.session.fhirBaseUrl === session.fhirBaseUrl && known.session.tokens === session.tokens) return known;
    let limiter = limiters.get(connectionId);
    if (!limiter) {
      limiter = createInFlightLimiter(deps.options?.maxRequestsInFlight ?? DEFAULT_MAX_REQUESTS_IN_FLIGHT);
      limiters.set(connectionId, limiter);
    }
    const client = createFhirClient({
      baseUrl: session.fhirBaseUrl,
      tokens: session.tokens,
      fetch: deps.fetch,
      log: deps.log,
      limiter,
      options: deps.options?.client,
    });
    const connected = { session, client };
    clients.set(connectionId, connected);
    return connected;
  }

  /** Read once per FHIR base; a failed read is not kept, and the load goes on as if nothing were advertised. */
  function capabilitiesOf(client: FhirClient): SearchCapabilities | Promise<SearchCapabilities> {
    const known = capabilities.get(client.baseUrl);
    if (known) return known;
    const reading = client.capabilities().then(
      (statement) => {
        const found = searchCapabilities(statement);
        capabilities.set(client.baseUrl, found);
        deps.log.info('chart.capabilities', { ...found });
        return found;
      },
      (error: unknown) => {
        capabilities.delete(client.baseUrl);
        deps.log.warn('chart.capabilities.unread', { error: error instanceof Error ? error.message : String(error) });
        return UNKNOWN_CAPABILITIES;
      },
    );
    capabilities.set(client.baseUrl, reading);
    return reading;
  }

  return {
    async searchPatients(connectionId: string, query: PatientSearchQuery): Promise<PatientSearchResult[]> {
      const { client } = connect(connectionId);
      try {
        return await searchPatients(client, query);
      } catch (error) {
        throw failure(connectionId, error, 'patient-search');
      }
    },

    recentPatients: () => recent.list(),

    async open(request: ChartOpenRequest): Promise<ChartOpened> {
      if (!FHIR_ID.test(request.patientId)) throw new ChartDeskError('invalid-input', 'That is not a FHIR patient id.');
      const { session, client } = connect(request.connectionId);
      let opened: ChartOpened;
      try {
        opened = await loader.open({
          ...request,
          grantedSections: session.grantedSections,
          client,
          capabilities: () => capabilitiesOf(client),
        });
      } catch (error) {
        throw failure(request.connectionId, error, 'open');
      }
      const { name, birthDate, sex, mrn } = opened.banner;
      session.notePatientName?.(request.patientId, name);
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

    async attachment(connectionId, request) {
      const { session, client } = connect(connectionId);
      try {
        return await readAttachment({ client, documentContent: session.documentContent }, request);
      } catch (error) {
        const refused = failure(connectionId, error, 'attachment');
        // A refusal or an EHR failure, said to the clinician; an internal error was logged with its cause already.
        if (refused.code !== 'internal') {
          deps.log.warn('chart.attachment.refused', { resourceType: request.resourceType, code: refused.code });
        }
        throw refused;
      }
    },

    clear,

    isOpen: (connectionId) => loader.isOpen(connectionId),

    keepOnly(connectionIds) {
      for (const connectionId of [...clients.keys()]) if (!connectionIds.has(connectionId)) clear(connectionId);
    },
  };

  /**
   * A failure as the clinician should read it. A refused or cancelled request may mean that the session ended
   * meanwhile (the load is stopped then): the session's own message is the answer, the one the row shows.
   */
  function failure(connectionId: string, error: unknown, action: ChartAction): ChartDeskError {
    const chartError = toChartDeskError(error, deps.log, action);
    if (chartError.code === 'auth' || chartError.code === 'cancelled') {
      try {
        deps.sessionFor(connectionId);
      } catch (ended) {
        if (ended instanceof ChartDeskError) return ended;
      }
    }
    return chartError;
  }

  function clear(connectionId: string): void {
    loader.clear(connectionId);
    recent.clear(connectionId);
    clients.delete(connectionId);
    limiters.delete(connectionId);
  }
}
