/**
 * The EHR's launch page at /ehr/launch: pick a patient (and encounter, user) and get the EHR launch
 * link. With a JSON body it is the API behind `npm run sandbox -- launch`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendHtml, sendJson } from '../http-util.js';
import type { LaunchContext, PatientSummary, SandboxUser } from '../types.js';
import { errorPage, launchPage } from './pages.js';

export const LAUNCH_PAGE_PATH = '/ehr/launch';

export interface LaunchPageDeps {
  fhirBaseUrl: string;
  patients: PatientSummary[];
  users: SandboxUser[];
  mintLaunch(ctx: LaunchContext): Promise<string>;
  ehrLaunchLink(launch: string): string;
}

function parseFields(raw: string, json: boolean): Record<string, unknown> | undefined {
  if (!json) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function createLaunchPageHandler(deps: LaunchPageDeps) {
  const render = (result?: { launch: string; link: string }) => launchPage(LAUNCH_PAGE_PATH, deps.patients, deps.users, result);

  return async function handleLaunchPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendHtml(res, 200, render());
    const json = req.headers['content-type']?.startsWith('application/json') ?? false;
    const fields = parseFields(await readBody(req), json);
    if (!fields) return sendJson(res, 400, { error: 'the body is not a JSON object' });
    const text = (name: string) => {
      const value = fields[name];
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    const encounter = text('encounter');
    const user = text('user');
    let launch: string;
    try {
      launch = await deps.mintLaunch({
        patient: text('patient') ?? '',
        ...(user ? { user } : {}),
        ...(encounter ? { encounter } : {}),
      });
    } catch (error) {
      const message = (error as Error).message;
      return json ? sendJson(res, 400, { error: message }) : sendHtml(res, 400, errorPage('invalid_request', message));
    }
    const link = deps.ehrLaunchLink(launch);
    if (json) return sendJson(res, 200, { launch, link, iss: deps.fhirBaseUrl });
    sendHtml(res, 200, render({ launch, link }));
  };
}
