/**
 * Reads that the sections of one chart load share, so that no request goes out twice: a referenced
 * resource (a prescriber, a Medication, an encounter's clinician or organization) is read once
 * whichever section names it first, or taken from any section's _include entries; and the lab
 * panels come from the reports section's own DiagnosticReport search when it runs in the same load,
 * instead of a second search for the same reports. Shared reads run under the load's signal, so one
 * section stopped (a retry) does not fail another that waits on the same read.
 */
import type { LabPanel } from '../../common/chart';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import type { Logger } from '../logging/logger';
import { gatherLabPanels, panelsUnavailable, readLabPanels } from './lab-panels';

export interface LoadReadsOptions {
  patientId: string;
  pageSize: number;
  /** The reports section searches DiagnosticReport in this load: the lab panels are taken from its pages. */
  panelsFromReports: boolean;
}

export class LoadReads {
  /** Settled reads by reference (null: the read failed, the row keeps what the reference says). */
  readonly #resources = new Map<string, FhirResource | null>();
  readonly #reading = new Map<string, Promise<void>>();
  #panels: Promise<Map<string, LabPanel>> | null = null;
  #settlePanels: ((panels: Map<string, LabPanel>) => void) | null = null;
  /** Panels gathered from the reports section's pages so far; a fresh run of the section starts them again. */
  #gathered = new Map<string, LabPanel>();
  /** Whether the panels came whole from a search that ended well; if not, a later labs search reads them itself. */
  #panelsWhole = false;

  constructor(
    readonly client: FhirClient,
    readonly signal: AbortSignal,
    readonly log: Logger,
    readonly options: LoadReadsOptions,
  ) {
    if (options.panelsFromReports) {
      this.#panels = new Promise((resolve) => (this.#settlePanels = resolve));
    }
  }

  /** What a read or an _include brought for a reference; null when unknown or unreadable. */
  lookup(reference: string): FhirResource | null {
    return this.#resources.get(reference) ?? null;
  }

  /** Resources an _include brought: known to every section from now on. */
  addIncluded(resources: readonly FhirResource[]): void {
    for (const resource of resources) {
      if (typeof resource.id === 'string') this.#resources.set(`${resource.resourceType}/${resource.id}`, resource);
    }
  }

  /**
   * Reads the references not known yet, at most `concurrency` at a time; one already being read by
   * another section is waited for, not asked again. Answers the messages of the reads that failed here.
   */
  async read(references: readonly string[], concurrency: number): Promise<string[]> {
    const wanted = [...new Set(references)].filter((reference) => !this.#resources.has(reference));
    const missing = wanted.filter((reference) => !this.#reading.has(reference));
    const failures: string[] = [];
    const next = async (): Promise<void> => {
      const reference = missing.shift();
      if (reference === undefined) return;
      if (!this.#reading.has(reference)) this.#reading.set(reference, this.#readOne(reference, failures));
      await this.#reading.get(reference);
      await next();
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, missing.length) }, next));
    // Reads another section started: waited for, their failures are that section's to report.
    await Promise.all(wanted.map((reference) => this.#reading.get(reference)));
    return failures;
  }

  async #readOne(reference: string, failures: string[]): Promise<void> {
    try {
      this.#resources.set(reference, await this.client.readReference(reference, this.signal));
    } catch (error) {
      if (this.signal.aborted) throw error;
      this.#resources.set(reference, null);
      failures.push(error instanceof Error ? error.message : String(error));
    } finally {
      this.#reading.delete(reference);
    }
  }

  /** The lab panels by the id of each result they list: from the reports section's search, else read here once. */
  labPanels(): Promise<Map<string, LabPanel>> {
    if (this.#panels && (this.#settlePanels || this.#panelsWhole)) return this.#panels;
    this.#panels = readLabPanels(this.client, this.options.patientId, this.options.pageSize, this.signal, this.log);
    this.#panelsWhole = true;
    return this.#panels;
  }

  /** The reports section begins its search (again, after a retry): panels gathered before are dropped. */
  reportsStarted(): void {
    this.#gathered = new Map();
  }

  /** Reports of this patient (already held to the patient) from one of the reports section's pages. */
  reportsRead(reports: readonly FhirResource[]): void {
    if (this.#settlePanels) gatherLabPanels(this.#gathered, reports);
  }

  /** The reports section's search ended: whole, or failed (the labs are shown with the panels known so far). */
  reportsEnded(whole: boolean, error?: unknown): void {
    const settle = this.#settlePanels;
    if (!settle) return;
    this.#settlePanels = null;
    this.#panelsWhole = whole;
    if (!whole) panelsUnavailable(this.log, error, this.#gathered.size);
    settle(this.#gathered);
  }
}
