import type { PatientSearchResult } from '../../common/chart';

/** Patients opened in this session, most recent first, per connection. Memory only: never written to disk. */
export class RecentPatients {
  private readonly lists = new Map<string, PatientSearchResult[]>();

  constructor(private readonly limit = 20) {}

  list(connectionId: string): PatientSearchResult[] {
    return [...(this.lists.get(connectionId) ?? [])];
  }

  add(connectionId: string, patient: PatientSearchResult): void {
    const others = (this.lists.get(connectionId) ?? []).filter((item) => item.id !== patient.id);
    this.lists.set(connectionId, [patient, ...others].slice(0, this.limit));
  }

  clear(connectionId: string): void {
    this.lists.delete(connectionId);
  }
}
