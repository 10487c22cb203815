import type { PatientSearchResult, RecentPatient } from '../../common/chart';

/**
 * Patients opened since the app started, across connections, most recent first. Memory only, never written to
 * disk: a list of names and birth dates is PHI, and a file of them would outlive the sessions that were allowed
 * to read them. A connection's entries go as soon as it is signed out (ChartService.clear, keepOnly).
 */
export class RecentPatients {
  private entries: RecentPatient[] = [];

  constructor(private readonly limit = 30) {}

  list(): RecentPatient[] {
    return [...this.entries];
  }

  add(connectionId: string, patient: PatientSearchResult, openedAt: Date): void {
    const others = this.entries.filter((entry) => entry.connectionId !== connectionId || entry.id !== patient.id);
    this.entries = [{ ...patient, connectionId, openedAt: openedAt.toISOString() }, ...others].slice(0, this.limit);
  }

  clear(connectionId: string): void {
    this.entries = this.entries.filter((entry) => entry.connectionId !== connectionId);
  }
}
