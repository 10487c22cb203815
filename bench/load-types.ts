/** What the bench hands a load child and what it answers. */
import type { ChartSectionId } from '../common/sessions';
import type { RequestRecord } from './request-log';

/** fhirclient runs twice: with `pageLimit: 0` and `flat` (its result as one array), and with `onPage` (its way for large results). */
export const CLIENT_NAMES = ['chartdesk', 'fhirclient', 'fhirclient-onpage'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export interface LoadRequest {
  client: ClientName;
  fhirBaseUrl: string;
  patientId: string;
  grantedSections: ChartSectionId[];
  /** `_count` asked by both clients. */
  pageSize: number;
  /** At most this many requests in flight (ChartDesk's own limit; fhirclient behind a limiting fetch); null: no limit. */
  maxInFlight: number | null;
  /** The instant "the last 365 days" are counted back from (ISO), and ChartDesk's clock for the load. */
  now: string;
  /** Only ever sent through the child's stdin, never printed. */
  accessToken: string;
}

export interface LoadTiming {
  /** Patient resource read (the banner). */
  bannerMs: number;
  /** First clinical rows available to show (the banner excluded). */
  firstDataMs: number | null;
  /** Every section complete. */
  fullChartMs: number;
  /** Every vitals and labs row of the 365 days before `now` delivered (ChartDesk only; null for fhirclient). */
  recentMs: number | null;
  /** Resources or rows delivered per section. */
  rows: Record<string, number>;
  /** Sections that ended in error, with the message. */
  errors: string[];
}

export interface MemoryFigures {
  /** RSS after start-up and a full GC, before the load. */
  baselineRssBytes: number;
  /** Highest RSS seen during the load (sampled every 2 ms, and the OS high-water mark). */
  peakRssBytes: number;
  /** What the load kept after a full GC (ChartDesk: its chart cache; fhirclient: the arrays it answered). */
  retainedRssBytes: number;
}

export interface LoadOutcome {
  /** First load in a fresh process: cold JIT and connections; memory is measured on this one. */
  cold: LoadTiming & { requests: RequestRecord[]; memory: MemoryFigures };
  /** Second load in the same process: the steady state of a running app. Timing figures use this one. */
  warm: LoadTiming & { requests: RequestRecord[] };
}

/** A loaded chart, kept referenced until the memory it holds has been measured. */
export interface LoadedChart {
  timing: LoadTiming;
  retained: unknown;
}
