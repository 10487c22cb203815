import type { ChartDeskApi } from '../../../../common/api';
import type { PatientSearchResult, RecentPatient } from '../../../../common/chart';
import { unwrap } from '../api';
import { messageOf } from '../errors';
import { toPatientQuery, type PatientQueryDraft } from '../patient-query';

/**
 * Patient search on one connection, and the patients recently opened on every signed-in connection (main keeps
 * that list in memory only).
 */
export class PatientSelection {
  results = $state.raw<PatientSearchResult[] | null>(null);
  recent = $state.raw<RecentPatient[]>([]);
  searching = $state(false);
  error = $state<string | null>(null);

  readonly #api: ChartDeskApi;
  /** Only the latest search may fill the results. */
  #ticket = 0;

  constructor(
    api: ChartDeskApi,
    readonly connectionId: string,
  ) {
    this.#api = api;
  }

  async loadRecent(): Promise<void> {
    try {
      this.recent = await unwrap(this.#api.recentPatients());
    } catch (error) {
      this.error = messageOf(error, 'The recent patients could not be read.');
    }
  }

  async search(draft: PatientQueryDraft): Promise<void> {
    const checked = toPatientQuery(draft);
    const ticket = ++this.#ticket;
    if ('error' in checked) {
      this.error = checked.error;
      return;
    }
    this.error = null;
    this.searching = true;
    try {
      const results = await unwrap(this.#api.searchPatients(this.connectionId, checked.query));
      if (ticket === this.#ticket) this.results = results;
    } catch (error) {
      if (ticket === this.#ticket) this.error = messageOf(error, 'The search failed.');
    } finally {
      if (ticket === this.#ticket) this.searching = false;
    }
  }
}
