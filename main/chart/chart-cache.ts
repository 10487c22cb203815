import type { PatientBanner, SectionRows } from '../../common/chart';
import type { ChartSectionId } from '../../common/sessions';

export interface CachedSection<S extends ChartSectionId = ChartSectionId> {
  rows: Array<SectionRows[S]>;
  total: number | null;
}

interface PatientEntry {
  banner: PatientBanner | null;
  sections: Map<ChartSectionId, CachedSection>;
}

/**
 * Charts already loaded in this session, in memory only, so returning to a patient is instant.
 * Per connection the least recently opened patients are dropped beyond `maxPatients` or beyond
 * `maxRows` rows in all (a 50,000-observation chart holds about 60 MB); a section larger than
 * `maxRows` on its own is not kept. A connection's entries go at sign-out (`clear`).
 */
export class ChartCache {
  private readonly connections = new Map<string, Map<string, PatientEntry>>();

  constructor(
    private readonly maxPatients = 20,
    private readonly maxRows = 200_000,
  ) {}

  banner(connectionId: string, patientId: string): PatientBanner | null {
    return this.entry(connectionId, patientId, false)?.banner ?? null;
  }

  setBanner(connectionId: string, patientId: string, banner: PatientBanner): void {
    const entry = this.entry(connectionId, patientId, true);
    if (entry) entry.banner = banner;
  }

  section<S extends ChartSectionId>(connectionId: string, patientId: string, section: S): CachedSection<S> | null {
    return (this.entry(connectionId, patientId, false)?.sections.get(section) as CachedSection<S> | undefined) ?? null;
  }

  setSection<S extends ChartSectionId>(connectionId: string, patientId: string, section: S, value: CachedSection<S>): void {
    if (value.rows.length > this.maxRows) return;
    this.entry(connectionId, patientId, true)?.sections.set(section, value as CachedSection);
    this.evictBeyondRows(connectionId, patientId);
  }

  /** Drops the least recently opened other patients until the connection's rows fit. */
  private evictBeyondRows(connectionId: string, keep: string): void {
    const patients = this.connections.get(connectionId);
    if (!patients) return;
    const rowsOf = (entry: PatientEntry) => [...entry.sections.values()].reduce((sum, cached) => sum + cached.rows.length, 0);
    let total = [...patients.values()].reduce((sum, entry) => sum + rowsOf(entry), 0);
    for (const [patientId, entry] of patients) {
      if (total <= this.maxRows) break;
      if (patientId === keep) continue;
      total -= rowsOf(entry);
      patients.delete(patientId);
    }
  }

  dropSection(connectionId: string, patientId: string, section: ChartSectionId): void {
    this.entry(connectionId, patientId, false)?.sections.delete(section);
  }

  clear(connectionId: string): void {
    this.connections.delete(connectionId);
  }

  /** The patient's entry, moved to most-recent; created when `create` is set. */
  private entry(connectionId: string, patientId: string, create: boolean): PatientEntry | null {
    let patients = this.connections.get(connectionId);
    if (!patients) {
      if (!create) return null;
      patients = new Map();
      this.connections.set(connectionId, patients);
    }
    let entry = patients.get(patientId);
    if (!entry) {
      if (!create) return null;
      entry = { banner: null, sections: new Map() };
    }
    patients.delete(patientId);
    patients.set(patientId, entry);
    while (patients.size > this.maxPatients) {
      const oldest = patients.keys().next().value;
      if (oldest === undefined) break;
      patients.delete(oldest);
    }
    return entry;
  }
}
