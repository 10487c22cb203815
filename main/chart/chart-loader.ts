import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ChartOpened, PatientBanner, SectionPage, SectionRows, SectionState } from '../../common/chart';
import { ChartDeskError } from '../../common/ipc-envelope';
import { addWithdrawn, anyWithdrawn, noneWithdrawn } from '../../common/withdrawn';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import { ChartCache } from './chart-cache';
import { sectionFailure, toChartDeskError } from './chart-errors';
import type { FhirClient } from '../fhir/fhir-client';
import { mapPatientBanner } from './mappers/map-patient';
import { isFhirError, SESSION_ENDED_MESSAGE } from '../fhir/fhir-errors';
import { fetchNewestFirst } from './newest-first';
import type { SearchCapabilities } from './search-capabilities';
import { fetchPlainChain, SectionSearch, type SectionFetchOptions, type SectionSink } from './section-search';
import { LoadReads } from './load-reads';
import { PANEL_SOURCE_SECTION, SECTION_QUERIES } from './section-queries';
import { CHART_SECTION_IDS } from '../../common/sessions';

export interface ChartLoaderOptions extends SectionFetchOptions {
  /** Patients kept in the in-memory cache per connection. */
  cachedPatients: number;
  /** Rows kept in the cache per connection, all patients together. */
  cachedRows: number;
  /** A cached chart older than this is read again from the EHR. */
  cacheMaxAgeMs: number;
}

export const DEFAULT_CHART_LOADER_OPTIONS: ChartLoaderOptions = {
  pageSize: 1000,
  referenceConcurrency: 4,
  cachedPatients: 20,
  cachedRows: 200_000,
  cacheMaxAgeMs: 10 * 60_000,
};

/** Listeners a load's signal may have: sections, their searches and their shared reads waiting for a request slot. */
const LOAD_SIGNAL_LISTENERS = 200;

export interface ChartLoaderDeps {
  emit(page: SectionPage): void;
  log: Logger;
  now(): Date;
  options?: Partial<ChartLoaderOptions>;
  newLoadId?: () => string;
}

export interface OpenChart {
  connectionId: string;
  patientId: string;
  /** Ignore the cache: read the whole chart again. */
  refresh?: boolean;
  grantedSections: readonly ChartSectionId[];
  client: FhirClient;
  /** What the EHR's Observation searches can do; asked for only after the Patient read has gone out. */
  capabilities(): SearchCapabilities | Promise<SearchCapabilities>;
}

export interface ChartLoader {
  /** Reads the banner, answers at once, then streams every granted section as SectionPage events. */
  open(request: OpenChart): Promise<ChartOpened>;
  /** Stops a load: requests in flight are aborted and nothing more is emitted for it. */
  close(connectionId: string, loadId: string): void;
  /** Fetches one section of the current load again, from the server (the renderer clears its rows first). */
  retrySection(connectionId: string, loadId: string, section: ChartSectionId): Promise<void>;
  /** Sign-out: stops the connection's load and forgets its cached charts. */
  clear(connectionId: string): void;
  /** Whether a chart of the connection is open (opened and not closed since). */
  isOpen(connectionId: string): boolean;
}

interface Load {
  request: OpenChart;
  loadId: string;
  controller: AbortController;
  sectionControllers: Map<ChartSectionId, AbortController>;
  /** Pages that arrived before open() answered: the renderer learns the loadId first. Null once released. */
  held: SectionPage[] | null;
  /** Stopped because the session ended (signed out, or expired after a refused refresh). */
  sessionEnded: boolean;
  /** References and lab panels read once for all the load's sections. */
  reads: LoadReads;
}

/**
 * One load per connection at a time. "No wrong-patient views": every page carries connection,
 * patient and load id, and a page is emitted only while its load is the connection's current
 * one, so a late answer for the previous patient is dropped here already.
 */
export function createChartLoader(deps: ChartLoaderDeps): ChartLoader {
  const options = { ...DEFAULT_CHART_LOADER_OPTIONS, ...deps.options };
  const cache = new ChartCache(options.cachedPatients, options.cachedRows, options.cacheMaxAgeMs, () => deps.now().getTime());
  const current = new Map<string, Load>();
  const newLoadId = deps.newLoadId ?? randomUUID;

  const isCurrent = (load: Load) => current.get(load.request.connectionId) === load && !load.controller.signal.aborted;

  function stop(connectionId: string): void {
    const load = current.get(connectionId);
    if (!load) return;
    current.delete(connectionId);
    load.controller.abort();
  }

  function emit<S extends ChartSectionId>(
    load: Load,
    section: S,
    rows: Array<SectionRows[S]>,
    fields: Pick<SectionPage, 'done' | 'state' | 'error' | 'total'> &
      Partial<Pick<SectionPage, 'newestSince' | 'otherPatient' | 'notices' | 'withdrawn'>>,
  ): void {
    if (!isCurrent(load)) return;
    const { connectionId, patientId } = load.request;
    const page: SectionPage = {
      connectionId,
      patientId,
      loadId: load.loadId,
      section,
      rows: rows as SectionPage['rows'],
      newestSince: null,
      otherPatient: 0,
      notices: [],
      withdrawn: noneWithdrawn(),
      ...fields,
    };
    if (load.held) load.held.push(page);
    else send(page);
  }

  function send(page: SectionPage): void {
    try {
      deps.emit(page);
    } catch (error) {
      deps.log.error('chart.emit-failed', { section: page.section, error });
    }
  }

  function release(load: Load): void {
    const held = load.held ?? [];
    load.held = null;
    if (isCurrent(load)) held.forEach(send);
  }

  /**
   * The patient is read from the EHR on every open, even when the sections come from the cache: the
   * banner stays current, and an EHR that cannot be reached is noticed. Then, and only then, a cached
   * chart is shown with the cached banner, marked offline.
   */
  async function readBanner(load: Load, chartCached: boolean): Promise<{ banner: PatientBanner; offline: boolean }> {
    const { connectionId, patientId, client } = load.request;
    let resource;
    try {
      resource = await client.read('Patient', patientId, load.controller.signal);
    } catch (error) {
      const cached = chartCached ? cache.banner(connectionId, patientId) : null;
      if (cached && isFhirError(error, 'network', 'timeout')) return { banner: cached, offline: true };
      throw error;
    }
    if (resource.id !== patientId) {
      // Never a banner: the chart would show this patient's sections under someone else's name.
      deps.log.warn('chart.patient-mismatch', { asked: patientId });
      throw new ChartDeskError(
        'internal',
        'The EHR answered with a different patient than the one asked for, so the chart was not opened. Tell your EHR team.',
      );
    }
    const banner = mapPatientBanner(resource, deps.now());
    if (!banner) throw new ChartDeskError('internal', 'The EHR did not answer with a patient.');
    cache.setBanner(connectionId, patientId, banner);
    return { banner, offline: false };
  }

  function replayFromCache(load: Load, section: ChartSectionId): boolean {
    const cached = cache.section(load.request.connectionId, load.request.patientId, section);
    if (!cached) return false;
    const chunk = options.pageSize;
    for (let start = 0; start === 0 || start < cached.rows.length; start += chunk) {
      const done = start + chunk >= cached.rows.length;
      emit(load, section, cached.rows.slice(start, start + chunk), {
        done,
        state: done ? 'complete' : 'loading',
        error: null,
        total: cached.total,
        otherPatient: start === 0 ? cached.otherPatient : 0,
        notices: start === 0 ? cached.notices : [],
        withdrawn: start === 0 ? cached.withdrawn : noneWithdrawn(),
      });
    }
    return true;
  }

  async function loadSection(
    load: Load,
    section: ChartSectionId,
    capabilities: SearchCapabilities | Promise<SearchCapabilities>,
  ): Promise<void> {
    load.sectionControllers.get(section)?.abort();
    const own = new AbortController();
    load.sectionControllers.set(section, own);
    const signal = AbortSignal.any([load.controller.signal, own.signal]);
    const { connectionId, patientId, client } = load.request;
    const rows: Array<SectionRows[ChartSectionId]> = [];
    const notices: string[] = [];
    let total: number | null = null;
    let newestSince: string | null = null;
    let otherPatient = 0;
    let withdrawn = noneWithdrawn();
    const started = performance.now();
    const sink: SectionSink<ChartSectionId> = (fresh, progress) => {
      const said = progress.notices.filter((notice) => !notices.includes(notice));
      const news =
        fresh.length > 0 ||
        said.length > 0 ||
        progress.otherPatient > 0 ||
        anyWithdrawn(progress.withdrawn) ||
        progress.newestSince !== newestSince ||
        (progress.total ?? total) !== total;
      if (signal.aborted || !news) return;
      rows.push(...fresh);
      notices.push(...said);
      total = progress.total ?? total;
      newestSince = progress.newestSince;
      otherPatient += progress.otherPatient;
      withdrawn = addWithdrawn(withdrawn, progress.withdrawn);
      emit(load, section, fresh, {
        done: false,
        state: 'loading',
        error: null,
        total,
        newestSince,
        otherPatient: progress.otherPatient,
        notices: said,
        withdrawn: progress.withdrawn,
      });
    };
    const panelSource = section === PANEL_SOURCE_SECTION;
    if (panelSource) load.reads.reportsStarted();
    try {
      const query = SECTION_QUERIES[section];
      const asks = query.resourceType === 'Observation' || query.includes !== undefined;
      // Known already (a connection's second chart): no await, so the section's first request keeps its place in line.
      const known = !asks ? null : capabilities instanceof Promise ? await capabilities : capabilities;
      const includes = query.includes?.filter((include) => known?.includes.includes(include)) ?? [];
      const search = new SectionSearch(client, section, patientId, signal, options, deps.log, { reads: load.reads, includes });
      if (query.resourceType === 'Observation' && known) {
        await fetchNewestFirst(search, known, deps.now(), sink);
      } else {
        await fetchPlainChain(search, sink);
      }
      if (signal.aborted) return;
      if (panelSource) load.reads.reportsEnded(true);
      emit(load, section, [], { done: true, state: 'complete', error: null, total });
      cache.setSection(connectionId, patientId, section, { rows, total, otherPatient, notices, withdrawn });
      deps.log.info('chart.section.loaded', { section, rows: rows.length, ms: Math.round(performance.now() - started) });
    } catch (error) {
      if (signal.aborted) return;
      if (panelSource) load.reads.reportsEnded(false, error);
      emit(load, section, [], { done: true, state: 'error', error: sectionFailure(error, section, deps.log), total });
    } finally {
      if (load.sectionControllers.get(section) === own) load.sectionControllers.delete(section);
    }
  }

  function startSections(load: Load): void {
    let capabilities: SearchCapabilities | Promise<SearchCapabilities> | null = null;
    for (const section of CHART_SECTION_IDS) {
      if (!load.request.grantedSections.includes(section)) {
        emit(load, section, [], { done: true, state: 'not-granted', error: null, total: null });
      } else if (!replayFromCache(load, section)) {
        capabilities ??= load.request.capabilities();
        void loadSection(load, section, capabilities);
      }
    }
  }

  return {
    async open(request) {
      stop(request.connectionId);
      if (request.refresh) cache.dropPatient(request.connectionId, request.patientId);
      const controller = new AbortController();
      // Each section, and each shared read waiting for a request slot, listens to the load's signal.
      setMaxListeners(LOAD_SIGNAL_LISTENERS, controller.signal);
      const reportsRead =
        request.grantedSections.includes(PANEL_SOURCE_SECTION) &&
        !cache.section(request.connectionId, request.patientId, PANEL_SOURCE_SECTION);
      const load: Load = {
        request,
        loadId: newLoadId(),
        controller,
        sectionControllers: new Map(),
        held: [],
        sessionEnded: false,
        reads: new LoadReads(request.client, controller.signal, deps.log, {
          patientId: request.patientId,
          pageSize: options.pageSize,
          panelsFromReports: reportsRead,
        }),
      };
      current.set(request.connectionId, load);
      const sections = {} as Record<ChartSectionId, SectionState>;
      let allCached = true;
      for (const section of CHART_SECTION_IDS) {
        const granted = request.grantedSections.includes(section);
        sections[section] = granted ? 'loading' : 'not-granted';
        if (granted && !cache.section(request.connectionId, request.patientId, section)) allCached = false;
      }
      // A chart is shown from the cache whole or not at all, so that it is "as of" one time.
      const loadedAt = allCached ? cache.loadedAt(request.connectionId, request.patientId) : null;
      const asOf = loadedAt ?? deps.now().getTime();
      if (loadedAt === null) cache.startLoad(request.connectionId, request.patientId, asOf);
      // The Patient read goes out first, so the banner never waits behind the searches (the EHR's
      // in-flight limit serves requests in order); the sections start beside it, not after it.
      const reading = readBanner(load, loadedAt !== null);
      startSections(load);
      let banner: PatientBanner;
      let offline: boolean;
      try {
        ({ banner, offline } = await reading);
      } catch (error) {
        const abortedElsewhere = load.controller.signal.aborted;
        if (current.get(request.connectionId) === load) stop(request.connectionId);
        // A session that ended while the patient was read aborts the load too; its "sign in again" is what matters,
        // also when a section's 401 ended it before the Patient read had its own answer (a slow or busy machine).
        if (load.sessionEnded && !isFhirError(error, 'auth')) throw new ChartDeskError('auth', SESSION_ENDED_MESSAGE);
        throw abortedElsewhere && !isFhirError(error, 'auth')
          ? new ChartDeskError('cancelled', 'Opening this chart was cancelled.')
          : toChartDeskError(error, deps.log, 'open');
      }
      if (!isCurrent(load)) throw new ChartDeskError('cancelled', 'Another chart was opened meanwhile.');
      // Pages held so far go out after this answer has reached the caller, so the renderer knows the loadId first.
      setImmediate(() => release(load));
      return {
        loadId: load.loadId,
        banner,
        sections,
        fromCache: loadedAt !== null,
        asOf: new Date(asOf).toISOString(),
        offline,
      };
    },

    close(connectionId, loadId) {
      if (current.get(connectionId)?.loadId === loadId) stop(connectionId);
    },

    async retrySection(connectionId, loadId, section) {
      const load = current.get(connectionId);
      if (!load || load.loadId !== loadId) throw new ChartDeskError('not-found', 'This chart is no longer open.');
      if (!load.request.grantedSections.includes(section)) {
        throw new ChartDeskError('forbidden', 'The EHR did not grant access to this section.');
      }
      cache.dropSection(connectionId, load.request.patientId, section);
      load.sectionControllers.get(section)?.abort();
      setImmediate(() => void loadSection(load, section, load.request.capabilities()));
    },

    clear(connectionId) {
      const load = current.get(connectionId);
      if (load) load.sessionEnded = true;
      stop(connectionId);
      cache.clear(connectionId);
    },

    isOpen: (connectionId) => current.has(connectionId),
  };
}
