/**
 * One scenario: one patient at one server delay and in-flight limit, loaded in turn by ChartDesk
 * and by fhirclient (both ways), each load in a fresh child process. The order rotates and
 * reverses from run to run, so no client always goes first.
 */
import { CLIENT_NAMES, type ClientName, type LoadOutcome } from './load-types';
import { runLoadChild } from './load-child';
import type { Subject } from './subjects';

export interface ScenarioSetting {
  /** Added to every FHIR request by the sandbox (latency). */
  delayMs: number;
  /** The server answers 429 beyond this many requests in flight, and both clients keep to it; null: no limit. */
  maxInFlight: number | null;
}

export interface ScenarioRuns extends ScenarioSetting {
  subject: Subject;
  /** Index i of every list ran in the same round. */
  runs: Record<ClientName, LoadOutcome[]>;
  /** Requests the server refused with 429 during each run (its cold and warm loads). */
  throttled: Record<ClientName, number[]>;
  /** The server's CPU time per load: the sandbox process's CPU over the run (two loads), halved. */
  serverCpuMs: Record<ClientName, number[]>;
}

/** Rotated every other run and reversed in between: six runs go through every order of the three clients. */
export function runOrder(run: number): ClientName[] {
  const shift = Math.floor(run / 2);
  const rotated = CLIENT_NAMES.map((_name, i) => CLIENT_NAMES[(i + shift) % CLIENT_NAMES.length] as ClientName);
  return run % 2 === 0 ? rotated : rotated.reverse();
}

export async function runScenario(
  script: string,
  subject: Subject,
  setting: ScenarioSetting,
  options: { runs: number; pageSize: number },
): Promise<ScenarioRuns> {
  const { sandbox } = subject;
  sandbox.setFaults(setting.delayMs > 0 ? { delayMs: setting.delayMs } : null);
  sandbox.setMaxParallel(setting.maxInFlight);
  const runs = Object.fromEntries(CLIENT_NAMES.map((name) => [name, []])) as unknown as Record<ClientName, LoadOutcome[]>;
  // The sandbox runs in this process, which does nothing else while a child loads: its CPU time is the server's.
  const perClient = () => Object.fromEntries(CLIENT_NAMES.map((name) => [name, []])) as unknown as Record<ClientName, number[]>;
  const throttled = perClient();
  const serverCpuMs = perClient();
  try {
    for (let i = 0; i < options.runs; i += 1) {
      for (const client of runOrder(i)) {
        const refusedBefore = sandbox.stats().throttled;
        const cpuBefore = process.cpuUsage();
        runs[client].push(
          await runLoadChild(script, {
            client,
            fhirBaseUrl: sandbox.fhirBaseUrl,
            patientId: subject.session.patientId,
            grantedSections: subject.session.grantedSections,
            pageSize: options.pageSize,
            maxInFlight: setting.maxInFlight,
            now: new Date().toISOString(),
            accessToken: subject.session.accessToken,
          }),
        );
        const cpu = process.cpuUsage(cpuBefore);
        serverCpuMs[client].push((cpu.user + cpu.system) / 1000 / 2);
        throttled[client].push(sandbox.stats().throttled - refusedBefore);
      }
    }
  } finally {
    sandbox.setFaults(null);
    sandbox.setMaxParallel(null);
  }
  return { ...setting, subject, runs, throttled, serverCpuMs };
}
