import { LRUCache } from 'lru-cache';
import type { PatientBanner, SectionRows, WithdrawnCounts } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';

export interface CachedSection<S extends ChartSectionId = ChartSectionId> {
  rows: Array<SectionRows[S]>;
  total: number | null;
  /** Entries left out because they named another patient, to warn again when the section is shown from here. */
  otherPatient: number;
  /** What the EHR said about the section (results it withheld): shown again with the cached rows. */
  notices: string[];
  /** Records the EHR marks withdrawn, left out, by status: said again when the section is shown from here. */
  withdrawn: WithdrawnCounts;
}

/** Replaced, never changed in place: lru-cache weighs an entry when it is set. */
interface PatientEntry {
  readonly banner: PatientBanner | null;
  readonly sections: ReadonlyMap<ChartSectionId, CachedSection>;
  /** When the load that filled the sections began (ms since the epoch): what the chart is "as of". */
  readonly loadedAt: number | null;
}

const EMPTY: PatientEntry = { banner: null, sections: new Map(), loadedAt: null };

/** A patient weighs its rows; one with none yet (a banner only) weighs one. */
const weight = (entry: PatientEntry) =>
  Math.max(
    1,
    [...entry.sections.values()].reduce((sum, cached) => sum + cached.rows.length, 0),
  );

/**
 * Charts already loaded in this session, in memory only, so returning to a patient is instant.
 * Per connection the least recently opened patients are dropped beyond `maxPatients` or beyond
 * `maxRows` rows in all (a 50,000-observation chart holds about 60 MB); a section larger than
 * `maxRows` on its own is not kept, nor a patient whose sections together pass it. A chart older than
 * `maxAgeMs` is never answered from here: it is read again (issue 18: a cache without a time limit
 * showed a chart long after the EHR had stopped). A connection's entries go at sign-out (`clear`).
 */
export class ChartCache {
  private readonly connections = new Map<string, LRUCache<string, PatientEntry>>();

  constructor(
    private readonly maxPatients = 20,
    private readonly maxRows = 200_000,
    private readonly maxAgeMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The patient's entry while it is young enough to show; an older one is dropped. */
  private entry(connectionId: string, patientId: string): PatientEntry | undefined {
    const patients = this.connections.get(connectionId);
    const entry = patients?.get(patientId);
    if (entry?.loadedAt != null && this.now() - entry.loadedAt > this.maxAgeMs) {
      patients?.delete(patientId);
      return undefined;
    }
    return entry;
  }

  banner(connectionId: string, patientId: string): PatientBanner | null {
    return this.entry(connectionId, patientId)?.banner ?? null;
  }

  /** When the cached sections were read from the EHR (ms since the epoch), null when none are. */
  loadedAt(connectionId: string, patientId: string): number | null {
    return this.entry(connectionId, patientId)?.loadedAt ?? null;
  }

  /** A load from the EHR begins: the patient's sections are forgotten and will be stored as this load reads them. */
  startLoad(connectionId: string, patientId: string, at: number): void {
    this.update(connectionId, patientId, (entry) => ({ ...entry, sections: new Map(), loadedAt: at }));
  }

  /** Forgets the patient's chart (a refresh reads it all again). */
  dropPatient(connectionId: string, patientId: string): void {
    this.connections.get(connectionId)?.delete(patientId);
  }

  setBanner(connectionId: string, patientId: string, banner: PatientBanner): void {
    this.update(connectionId, patientId, (entry) => ({ ...entry, banner }));
  }

  section<S extends ChartSectionId>(connectionId: string, patientId: string, section: S): CachedSection<S> | null {
    const cached = this.entry(connectionId, patientId)?.sections.get(section);
    return (cached as CachedSection<S> | undefined) ?? null;
  }

  setSection<S extends ChartSectionId>(connectionId: string, patientId: string, section: S, value: CachedSection<S>): void {
    if (value.rows.length > this.maxRows) return;
    this.update(connectionId, patientId, (entry) => ({
      ...entry,
      sections: new Map(entry.sections).set(section, value as CachedSection),
    }));
  }

  dropSection(connectionId: string, patientId: string, section: ChartSectionId): void {
    const entry = this.connections.get(connectionId)?.get(patientId);
    if (!entry) return;
    const sections = new Map(entry.sections);
    sections.delete(section);
    this.update(connectionId, patientId, () => ({ ...entry, sections }));
  }

  clear(connectionId: string): void {
    this.connections.delete(connectionId);
  }

  /** Stores the patient's changed entry as the most recently opened; others go when the limits are passed. */
  private update(connectionId: string, patientId: string, change: (entry: PatientEntry) => PatientEntry): void {
    let patients = this.connections.get(connectionId);
    if (!patients) {
      patients = new LRUCache({ max: this.maxPatients, maxSize: this.maxRows, sizeCalculation: weight });
      this.connections.set(connectionId, patients);
    }
    patients.set(patientId, change(patients.get(patientId) ?? EMPTY));
  }
}
