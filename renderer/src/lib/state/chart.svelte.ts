import type { ChartDeskApi } from '../../../../common/api';
import type {
  ChartOpened,
  PatientBanner,
  SectionPage,
  SectionRows,
  SectionState,
  WithdrawnCounts,
} from '../../../../common/chart';
import type { ChartSectionId } from '../../../../common/sessions';
import { applyPage, type SectionSnapshot } from '../../../../common/section-view';
import { noneWithdrawn } from '../../../../common/withdrawn';
import type { WrittenRows } from '../../../../common/writes';
import { BridgeError, unwrap } from '../api';
import { messageOf } from '../errors';
import { currentTime } from '../time';
import { DocumentViewer } from './document-viewer.svelte';

/** One section of the open chart. Rows only ever grow while its pages arrive, so they are replaced, not deeply tracked. */
export class SectionStore<S extends ChartSectionId = ChartSectionId> implements SectionSnapshot<S> {
  state = $state<SectionState>('loading');
  rows = $state.raw<ReadonlyArray<SectionRows[S]>>([]);
  error = $state<string | null>(null);
  total = $state<number | null>(null);
  notices = $state.raw<readonly string[]>([]);
  /** Entries the EHR sent for another patient, left out by main: the section says so while any were. */
  otherPatient = $state(0);
  /** Records the EHR marks entered in error or cancelled, left out by main: the section says how many. */
  withdrawn = $state.raw<WithdrawnCounts>(noneWithdrawn());
  /** While loading: every row dated from this instant on is in (SectionPage.newestSince). */
  newestSince = $state<string | null>(null);

  constructor(
    readonly id: S,
    initial: SectionState,
  ) {
    this.state = initial;
  }

  /** Takes one page, as common/section-view.ts applies it (the `chart` command applies pages the same way). */
  apply(page: SectionPage): void {
    const next = applyPage<S>(this, page);
    this.rows = next.rows;
    this.total = next.total;
    this.notices = next.notices;
    this.otherPatient = next.otherPatient;
    this.withdrawn = next.withdrawn;
    this.newestSince = next.newestSince;
    this.state = next.state;
    this.error = next.error;
  }

  /**
   * Puts rows in at once, ahead of any reload: a row with the id of one already here replaces it (an order just
   * discontinued), a new one goes first.
   */
  merge(rows: ReadonlyArray<SectionRows[S]>): void {
    if (rows.length === 0) return;
    // A write brings a handful of rows: a scan per row costs less than indexing a 10,000-row section.
    const replaced = this.rows.map((row) => rows.find((next) => next.id === row.id) ?? row);
    const added = rows.filter((next) => !this.rows.some((row) => row.id === next.id));
    this.rows = [...added, ...replaced];
  }

  /** Forgets what was received, before the section is fetched again. */
  reset(): void {
    this.rows = [];
    this.total = null;
    this.notices = [];
    this.otherPatient = 0;
    this.withdrawn = noneWithdrawn();
    this.newestSince = null;
    this.error = null;
    this.state = 'loading';
  }
}

export type ChartSections = { [S in ChartSectionId]: SectionStore<S> };

/**
 * The chart of one patient on one connection. Every view is keyed by (connection, patient,
 * loadId): a page whose key is not the current one is dropped, so a late answer for the
 * previous patient can never show up under the next one.
 */
export class ChartState {
  patientId = $state<string | null>(null);
  loadId = $state<string | null>(null);
  banner = $state.raw<PatientBanner | null>(null);
  sections = $state.raw<ChartSections | null>(null);
  /** The notes and reports viewer of this chart: a new one per chart, gone with it. */
  documents = $state.raw<DocumentViewer | null>(null);
  fromCache = $state(false);
  opening = $state(false);
  openError = $state<string | null>(null);
  /** When the chart on screen was read from the EHR (ISO time). */
  asOf = $state<string | null>(null);
  /** The EHR could not be reached: the chart on screen may be out of date. Says when it was tried. */
  offlineSince = $state<string | null>(null);
  refreshing = $state(false);
  /** Why the last Refresh failed (the chart on screen stays, as of its own time). */
  refreshError = $state<string | null>(null);

  readonly #api: ChartDeskApi;
  readonly #unsubscribe: () => void;
  readonly #now: () => Date;
  /** Bumped by every open and close; an answer carrying an older ticket is stale. */
  #ticket = 0;
  /** Pages that arrived for the patient being opened before main told us its loadId. */
  #early: SectionPage[] = [];

  constructor(
    api: ChartDeskApi,
    readonly connectionId: string,
    now: () => Date = currentTime,
  ) {
    this.#api = api;
    this.#now = now;
    this.#unsubscribe = api.onChartPage((page) => this.#receive(page));
  }

  async open(patientId: string): Promise<void> {
    this.close();
    const ticket = this.#ticket;
    this.patientId = patientId;
    this.opening = true;
    try {
      const opened = await unwrap(this.#api.openChart({ connectionId: this.connectionId, patientId }));
      if (ticket !== this.#ticket) {
        void this.#api.closeChart(this.connectionId, opened.loadId);
        return;
      }
      this.#show(opened, patientId);
    } catch (error) {
      if (ticket === this.#ticket) this.openError = messageOf(error, 'The chart could not be opened.');
    } finally {
      if (ticket === this.#ticket) this.opening = false;
    }
  }

  /**
   * Reads the whole chart again from the EHR. If that fails, the chart on screen stays, as of its own
   * time, and says so: an EHR that cannot be reached is an offline warning, not an empty chart.
   */
  async refresh(): Promise<void> {
    const patientId = this.patientId;
    if (!patientId || this.opening || this.refreshing) return;
    this.#ticket += 1;
    const ticket = this.#ticket;
    this.refreshing = true;
    this.refreshError = null;
    this.#early = [];
    try {
      const opened = await unwrap(this.#api.openChart({ connectionId: this.connectionId, patientId, refresh: true }));
      if (ticket !== this.#ticket) {
        void this.#api.closeChart(this.connectionId, opened.loadId);
        return;
      }
      this.#show(opened, patientId);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.refreshError = messageOf(error, 'The chart could not be read again.');
      if (error instanceof BridgeError && error.code === 'network') this.offlineSince = this.#now().toISOString();
    } finally {
      if (ticket === this.#ticket) this.refreshing = false;
    }
  }

  #show(opened: ChartOpened, patientId: string): void {
    this.loadId = opened.loadId;
    this.banner = opened.banner;
    this.fromCache = opened.fromCache;
    this.asOf = opened.asOf;
    this.offlineSince = opened.offline ? this.#now().toISOString() : null;
    this.refreshError = null;
    this.sections = createSections(opened.sections);
    // The viewer is the chart's: a Refresh keeps the document it shows, another patient gets a new one (close()).
    this.documents ??= new DocumentViewer(this.#api, this.connectionId, patientId);
    const early = this.#early.filter((page) => page.loadId === opened.loadId);
    this.#early = [];
    for (const page of early) this.#apply(page);
  }

  /** Leaves the patient: main stops fetching, and nothing of this chart stays on screen. */
  close(): void {
    this.#ticket += 1;
    if (this.loadId) void this.#api.closeChart(this.connectionId, this.loadId);
    this.#early = [];
    this.patientId = null;
    this.loadId = null;
    this.banner = null;
    this.sections = null;
    this.documents?.close();
    this.documents = null;
    this.fromCache = false;
    this.opening = false;
    this.openError = null;
    this.asOf = null;
    this.offlineSince = null;
    this.refreshing = false;
    this.refreshError = null;
  }

  async retry(sectionId: ChartSectionId): Promise<void> {
    const section = this.sections?.[sectionId];
    const loadId = this.loadId;
    if (!section || !loadId) return;
    section.reset();
    try {
      await unwrap(this.#api.retrySection(this.connectionId, loadId, sectionId));
    } catch (error) {
      if (this.loadId !== loadId) return;
      section.state = 'error';
      section.error = messageOf(error, 'The section could not be loaded again.');
    }
  }

  /** Rows just written from ChartDesk (or an order as the EHR now has it, after a conflict), for this patient only. */
  showRows(patientId: string, rows: Partial<WrittenRows>): void {
    const sections = this.sections;
    if (patientId !== this.patientId || !sections) return;
    for (const id of Object.keys(rows) as Array<keyof WrittenRows>) {
      (sections[id] as SectionStore).merge(rows[id] ?? []);
    }
  }

  dispose(): void {
    this.close();
    this.#unsubscribe();
  }

  #receive(page: SectionPage): void {
    if (page.connectionId !== this.connectionId || page.patientId !== this.patientId) return;
    // Pages of a load whose id main has not answered with yet: kept until it has.
    if ((this.opening && this.loadId === null) || (this.refreshing && page.loadId !== this.loadId)) {
      this.#early.push(page);
      return;
    }
    if (page.loadId === this.loadId) this.#apply(page);
  }

  #apply(page: SectionPage): void {
    (this.sections?.[page.section] as SectionStore | undefined)?.apply(page);
  }
}

function createSections(initial: Record<ChartSectionId, SectionState>): ChartSections {
  const make = <S extends ChartSectionId>(id: S) => new SectionStore(id, initial[id] ?? 'not-granted');
  return {
    vitals: make('vitals'),
    labs: make('labs'),
    problems: make('problems'),
    medications: make('medications'),
    allergies: make('allergies'),
    immunizations: make('immunizations'),
    encounters: make('encounters'),
    notes: make('notes'),
    reports: make('reports'),
    procedures: make('procedures'),
  };
}
