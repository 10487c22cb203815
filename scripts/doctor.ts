/**
 * `npm run doctor -- <fhir-base-url> [--json] [--client-id ID]`: checks an EHR's SMART endpoint for IT.
 * Exit 0 when ChartDesk can sign in, 1 when it cannot, 2 when the endpoint cannot be reached or read, 3 when only an
 * EHR launch will work there (a standalone sign-in is refused).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkEndpoint, exitCodeFor, formatReport } from '../main/smart/endpoint-report';

const USAGE = 'Usage: npm run doctor -- <fhir-base-url> [--json] [--client-id ID]\n';

export async function runDoctor(
  argv: readonly string[],
  io: { fetch: typeof fetch; write: (text: string) => void; error: (text: string) => void },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean', default: false }, 'client-id': { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    const unknown = (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    io.error(`${unknown ? 'Unknown argument' : 'Bad argument'}: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [url, extra] = parsed.positionals;
  if (extra !== undefined) {
    io.error(`Unknown argument: ${extra}\n${USAGE}`);
    return 2;
  }
  const clientId = parsed.values['client-id'] ?? null;
  if (url === undefined || clientId === '') {
    io.error(USAGE);
    return 2;
  }
  const report = await checkEndpoint(url, { fetch: io.fetch, clientId });
  io.write(parsed.values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  return exitCodeFor(report);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runDoctor(process.argv.slice(2), {
    fetch,
    write: (text) => process.stdout.write(text),
    error: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
