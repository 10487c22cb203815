/**
 * The `chart` command (scripts/chart.ts runs it): loads one chart exactly as the app does
 * (headless-chart.ts) and prints what the clinician would see, for IT checking an EHR's data and for
 * tests against recorded EHR responses. The token may come from CHARTDESK_BEARER_TOKEN instead of the
 * command line (where other users of the computer could see it); it never appears in the output or the
 * log. Exit 0 when the chart loaded (sections that failed say so in their state and notices), 1 when
 * the EHR answered but the chart could not be opened, 2 when the server could not be reached, 64 for a
 * usage error.
 */
import { parseArgs } from 'node:util';
import { chartDocument } from '../../common/chart-document';
import { readFhirBase } from '../../common/fhir-base';
import { FHIR_ID } from '../../common/fhir-patterns';
import { ChartDeskError } from '../../common/ipc-envelope';
import { createLogger, errorReason } from '../logging/logger';
import { formatChartReport } from './chart-report';
import { loadChartHeadless } from './headless-chart';

const USAGE = 'Usage: npm run -s chart -- <fhir-base-url> --patient <id> [--bearer <token>] [--json]\n';
export const EXIT = { loaded: 0, notLoaded: 1, unreachable: 2, usage: 64 } as const;

export interface ChartCommandIo {
  fetch: typeof fetch;
  env: Record<string, string | undefined>;
  write: (text: string) => void;
  error: (text: string) => void;
  now?: () => Date;
}

export async function runChartCommand(argv: readonly string[], io: ChartCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { patient: { type: 'string' }, bearer: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    io.error(`${errorReason(error)}\n${USAGE}`);
    return EXIT.usage;
  }
  const [url, extra] = parsed.positionals;
  const patientId = parsed.values.patient;
  if (url === undefined || extra !== undefined || patientId === undefined) {
    io.error(USAGE);
    return EXIT.usage;
  }
  const base = readFhirBase(url);
  if (!base.ok) {
    io.error(`The FHIR base URL ${base.problem}.\n`);
    return EXIT.usage;
  }
  if (!FHIR_ID.test(patientId)) {
    io.error('The patient id is not a FHIR id (letters, digits, "-" and ".", at most 64).\n');
    return EXIT.usage;
  }
  const bearerToken = parsed.values.bearer ?? io.env.CHARTDESK_BEARER_TOKEN ?? null;
  // "Could not be reached" means no HTTP answer at all: every request failed before a response came.
  let answered = false;
  const fetchNoting: typeof fetch = async (input, init) => {
    const response = await io.fetch(input, init);
    answered = true;
    return response;
  };
  const log = createLogger((line) => io.error(`${line}\n`), 'warn');
  try {
    const now = io.now ?? (() => new Date());
    const chart = await loadChartHeadless({ fhirBaseUrl: base.value, patientId, bearerToken, fetch: fetchNoting, log, now });
    const document = chartDocument(chart.banner, chart.sections, now());
    io.write(parsed.values.json ? `${JSON.stringify(document, null, 2)}\n` : formatChartReport(document));
    return EXIT.loaded;
  } catch (error) {
    const message =
      error instanceof ChartDeskError ? error.message : 'The chart could not be loaded because of an internal error.';
    if (!(error instanceof ChartDeskError)) log.error('chart-command.failed', { error: errorReason(error) });
    io.error(`${message}\n`);
    return answered ? EXIT.notLoaded : EXIT.unreachable;
  }
}
