import type { ChartDocument } from '../../../common/chart-document';
import { memoryLogger } from '../../logging/testing/memory-logger';
import { runChartCommand } from '../chart-command';
import { loadChartHeadless, type LoadedChart } from '../headless-chart';

/** `chart <base> --patient <id> --json` run in process: its exit code and the one JSON document it printed. */
export async function chartCommandJson(
  fhirBase: string,
  patientId: string,
  now: () => Date,
): Promise<{ code: number; document: ChartDocument }> {
  const written: string[] = [];
  const code = await runChartCommand([fhirBase, '--patient', patientId, '--json'], {
    fetch,
    env: {},
    write: (text) => written.push(text),
    error: () => undefined,
    now,
  });
  return { code, document: JSON.parse(written.join('')) as ChartDocument };
}

/** The chart the command loads (headless-chart.ts), from an open FHIR base such as a replay server. */
export function loadOpenChart(fhirBase: string, patientId: string, now: () => Date): Promise<LoadedChart> {
  return loadChartHeadless({ fhirBaseUrl: fhirBase, patientId, bearerToken: null, fetch, log: memoryLogger(), now });
}
