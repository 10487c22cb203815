import type { ChartDocument } from '../../../common/chart-document';
import { runChartCommand } from '../chart-command';

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
