/**
 * `npm run doctor -- <fhir-base-url> [--json] [--client-id ID]`: checks an EHR's SMART endpoint for IT.
 * Exit 0 when ChartDesk can sign in, 1 when it cannot, 2 when the endpoint cannot be reached or read.
 */
import { pathToFileURL } from 'node:url';
import { checkEndpoint, exitCodeFor, formatReport } from '../main/smart/endpoint-report';

const USAGE = 'Usage: npm run doctor -- <fhir-base-url> [--json] [--client-id ID]\n';

export async function runDoctor(
  argv: readonly string[],
  io: { fetch: typeof fetch; write: (text: string) => void; error: (text: string) => void },
): Promise<number> {
  let url: string | null = null;
  let json = false;
  let clientId: string | null = null;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--client-id') clientId = argv[++index] ?? null;
    else if (arg.startsWith('--client-id=')) clientId = arg.slice('--client-id='.length);
    else if (!arg.startsWith('-') && url === null) url = arg;
    else {
      io.error(`Unknown argument: ${arg}\n${USAGE}`);
      return 2;
    }
  }
  if (url === null || clientId === '') {
    io.error(USAGE);
    return 2;
  }
  const report = await checkEndpoint(url, { fetch: io.fetch, clientId });
  io.write(json ? `${JSON.stringify(report)}\n` : formatReport(report));
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
