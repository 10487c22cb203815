/**
 * One scenario: one patient at one server delay, loaded alternately by ChartDesk and fhirclient
 * (ABBA order, so neither always goes first), each load in a fresh child process.
 */
import type { ClientName, LoadOutcome } from './load-types';
import { runLoadChild } from './load-child';
import type { Subject } from './subjects';

export interface ScenarioRuns {
  subject: Subject;
  delayMs: number;
  /** Index i of both lists ran back to back. */
  runs: Record<ClientName, LoadOutcome[]>;
}

export async function runScenario(
  script: string,
  subject: Subject,
  delayMs: number,
  options: { runs: number; pageSize: number },
): Promise<ScenarioRuns> {
  subject.sandbox.setFaults(delayMs > 0 ? { delayMs } : null);
  const runs: Record<ClientName, LoadOutcome[]> = { chartdesk: [], fhirclient: [] };
  try {
    for (let i = 0; i < options.runs; i += 1) {
      const order: ClientName[] = i % 2 === 0 ? ['chartdesk', 'fhirclient'] : ['fhirclient', 'chartdesk'];
      for (const client of order) {
        runs[client].push(
          await runLoadChild(script, {
            client,
            fhirBaseUrl: subject.sandbox.fhirBaseUrl,
            patientId: subject.session.patientId,
            grantedSections: subject.session.grantedSections,
            pageSize: options.pageSize,
            accessToken: subject.session.accessToken,
          }),
        );
      }
    }
  } finally {
    subject.sandbox.setFaults(null);
  }
  return { subject, delayMs, runs };
}
