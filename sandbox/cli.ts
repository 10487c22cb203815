/**
 * `npm run sandbox -- [--port N] [--profile P] [--data DIR] [--auto-approve[ user=<id>,patient=<id>]] [--big N] …`
 * starts one Sandbox EHR on 127.0.0.1; `npm run sandbox -- launch --patient <id> [--encounter <id>]`
 * asks a running one for an EHR launch link.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PROFILE_NAMES } from './profiles.js';
import {
  SIMULATED_ERRORS,
  startSandbox,
  type AutoApproveOptions,
  type ClientRegistration,
  type ProfileName,
  type SandboxOptions,
  type SimulatedError,
} from './index.js';

export const DEFAULT_CLI_PORT = 4010;

const USAGE = `Usage:
  npm run sandbox -- [--port N] [--profile ${PROFILE_NAMES.join('|')}] [--data DIR] [--auto-approve[ user=<id>,patient=<id>]]
                     [--big N] [--no-rotation] [--simulate-error NAME] [--clients FILE.json] [--storage memory|sqlite]
                     [--access-token-lifetime SECONDS] [--no-id-token] [--refresh-id-token-without-aud]
                     [--consent-denial redirect|json-401] [--no-revocation] [--sim OPTIONS|none] [--max-parallel N] [--quiet]
  npm run sandbox -- launch --patient <id> [--encounter <id>] [--user <id>] [--port N]`;

export class UsageError extends Error {}

/**
 * `--auto-approve` takes an optional value, which node's parseArgs cannot express: fold it into one token. Bare
 * (last, or before another option) it becomes `--auto-approve=`; followed by `user=…,patient=…` it takes that.
 */
function foldAutoApprove(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg !== '--auto-approve') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    const takesNext = next !== undefined && !next.startsWith('-') && next.includes('=');
    out.push(`--auto-approve=${takesNext ? next : ''}`);
    if (takesNext) i += 1;
  }
  return out;
}

function parseAutoApprove(value: string | undefined): true | AutoApproveOptions {
  if (value === undefined || value === '' || value === 'true') return true;
  const options: AutoApproveOptions = {};
  for (const pair of value.split(',')) {
    const [key, v] = pair.split('=');
    if ((key !== 'user' && key !== 'patient') || !v)
      throw new UsageError(`--auto-approve expects user=<id>,patient=<id>, got ${pair}`);
    options[key] = v;
  }
  return options;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} expects a non-negative integer, got ${value}`);
  return n;
}

function readClients(file: string | undefined): ClientRegistration[] | undefined {
  if (!file) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const valid = (c: unknown): c is ClientRegistration =>
    typeof (c as ClientRegistration)?.client_id === 'string' && Array.isArray((c as ClientRegistration).redirect_uris);
  if (!Array.isArray(parsed) || !parsed.every(valid))
    throw new UsageError(`${file} must hold a JSON array of { client_id, redirect_uris[] }`);
  return parsed;
}

export function serveOptions(argv: string[]): SandboxOptions {
  const { values } = parseArgs({
    args: foldAutoApprove(argv),
    options: {
      port: { type: 'string' },
      profile: { type: 'string' },
      data: { type: 'string' },
      'auto-approve': { type: 'string' },
      big: { type: 'string' },
      'no-rotation': { type: 'boolean' },
      'simulate-error': { type: 'string' },
      clients: { type: 'string' },
      storage: { type: 'string' },
      'access-token-lifetime': { type: 'string' },
      'no-id-token': { type: 'boolean' },
      'refresh-id-token-without-aud': { type: 'boolean' },
      'consent-denial': { type: 'string' },
      'no-revocation': { type: 'boolean' },
      sim: { type: 'string' },
      'max-parallel': { type: 'string' },
      quiet: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (values.profile && !PROFILE_NAMES.includes(values.profile as ProfileName))
    throw new UsageError(`unknown profile ${values.profile}`);
  const simulated = values['simulate-error'];
  if (simulated && !SIMULATED_ERRORS.includes(simulated as SimulatedError))
    throw new UsageError(`unknown simulated error ${simulated}`);
  if (values.storage && values.storage !== 'memory' && values.storage !== 'sqlite')
    throw new UsageError('--storage is memory or sqlite');
  const denial = values['consent-denial'];
  if (denial !== undefined && denial !== 'redirect' && denial !== 'json-401')
    throw new UsageError('--consent-denial is redirect or json-401');
  if (values.sim !== undefined && values.profile !== 'launcher-like')
    throw new UsageError('--sim is for --profile launcher-like');
  const clients = readClients(values.clients);
  const big = integer('big', values.big);
  const lifetime = integer('access-token-lifetime', values['access-token-lifetime']);
  const maxParallel = integer('max-parallel', values['max-parallel']);
  if (maxParallel === 0) throw new UsageError('--max-parallel expects a positive integer, got 0');
  return {
    port: integer('port', values.port) ?? DEFAULT_CLI_PORT,
    quiet: values.quiet ?? false,
    ...(values.profile ? { profile: values.profile as ProfileName } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values['auto-approve'] !== undefined ? { autoApprove: parseAutoApprove(values['auto-approve']) } : {}),
    ...(big !== undefined ? { bigObservations: big } : {}),
    ...(values['no-rotation'] ? { refreshRotation: false } : {}),
    ...(simulated ? { simulateError: simulated as SimulatedError } : {}),
    ...(clients ? { clients } : {}),
    ...(values.storage ? { storage: values.storage as 'memory' | 'sqlite' } : {}),
    ...(lifetime !== undefined ? { accessTokenLifetimeSeconds: lifetime } : {}),
    ...(values['no-id-token'] ? { omitIdToken: true } : {}),
    ...(values['refresh-id-token-without-aud'] ? { refreshIdTokenWithoutAud: true } : {}),
    ...(denial ? { consentDenial: denial } : {}),
    ...(values['no-revocation'] ? { revocation: false } : {}),
    ...(values.sim !== undefined ? { sim: values.sim === 'none' ? null : values.sim } : {}),
    ...(maxParallel !== undefined ? { maxParallel } : {}),
  };
}

async function serve(argv: string[]): Promise<void> {
  const options = serveOptions(argv);
  const sandbox = await startSandbox(options);
  // Before anything is printed: whoever reads "Press Ctrl-C" may press it at once.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const lines = [
    `FHIR base URL: ${sandbox.fhirBaseUrl}`,
    'Users (username / password):',
    ...sandbox.users.map((u) => `  ${u.username} / ${u.password}  (${u.displayName}, Practitioner/${u.practitionerId})`),
    `Profile: ${sandbox.profile}`,
    `Issuer: ${sandbox.issuer}`,
    `Client: chartdesk (public, PKCE S256), redirect URIs org.chartdesk.desktop:/oauth2/callback and http://127.0.0.1:<any port>/oauth2/callback`,
    `EHR launch page: ${sandbox.origin}/ehr/launch`,
    `Patients: ${sandbox
      .patients()
      .slice(0, 5)
      .map((p) => `${p.id} (${p.name})`)
      .join(', ')}${sandbox.patients().length > 5 ? `, … ${sandbox.patients().length} in all` : ''}`,
    ...(options.autoApprove ? ['Auto-approve: on (no sign-in, picker or consent pages)'] : []),
    ...(options.maxParallel ? [`Max parallel: ${options.maxParallel} FHIR requests in flight per client, then 429`] : []),
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
}

async function launch(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { patient: { type: 'string' }, encounter: { type: 'string' }, user: { type: 'string' }, port: { type: 'string' } },
  });
  if (!values.patient) throw new UsageError('launch needs --patient <id>');
  const port = integer('port', values.port) ?? DEFAULT_CLI_PORT;
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/ehr/launch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ patient: values.patient, encounter: values.encounter, user: values.user }),
    });
  } catch {
    throw new UsageError(`no sandbox answers on port ${port}: start one with \`npm run sandbox\` first`);
  }
  const body = (await response.json()) as { link?: string; launch?: string; error?: string };
  if (!response.ok || !body.link) throw new UsageError(body.error ?? `the sandbox answered ${response.status}`);
  console.log(`Launch value: ${body.launch}`);
  console.log(`EHR launch link: ${body.link}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, ...rest] = process.argv.slice(2);
  const run = command === 'launch' ? launch(rest) : serve(command === undefined ? [] : [command, ...rest]);
  run.catch((error: unknown) => {
    console.error(
      error instanceof UsageError || error instanceof TypeError
        ? `${(error as Error).message}\n\n${USAGE}`
        : (error as Error).message,
    );
    process.exit(2);
  });
}
