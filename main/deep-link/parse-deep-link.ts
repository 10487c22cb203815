import { DEEP_LINK_SCHEME, EHR_LAUNCH_PATH, OAUTH_CALLBACK_PATH, REDIRECT_NAME } from '../../common/app-identity';
import { normalizeFhirBase } from '../../common/fhir-base';

/** What a deep link asks for, decided once, before anything acts on it. */
export type DeepLink =
  | {
      kind: 'oauth-callback';
      /** The connection's own redirect name the callback came to, or null for the shared path. */
      redirectName: string | null;
      state: string;
      /** RFC 9207 issuer identifier, when the server sent one. */
      iss: string | null;
      outcome: { type: 'code'; code: string } | { type: 'error'; error: string; description: string | null };
    }
  | { kind: 'ehr-launch'; iss: string; launch: string }
  | { kind: 'rejected'; reason: string };

export const MAX_DEEP_LINK_LENGTH = 8192;
const MAX_VALUE_LENGTH: Record<string, number> = {
  code: 4096,
  state: 512,
  launch: 4096,
  iss: 2048,
  error: 128,
  error_description: 1024,
};
const PREFIX = `${DEEP_LINK_SCHEME}:`;
// Scheme, then a path starting with one slash, then an optional query; no authority, no fragment.
const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):(\/[^?#]*)(?:\?([^#]*))?$/;
// C0 controls, DEL, C1 controls, and characters that reorder or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const OAUTH_ERROR_CODE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/; // RFC 6749 §4.1.2.1 error charset

const reject = (reason: string): DeepLink => ({ kind: 'rejected', reason });

/** Finds our link among command-line arguments; the OS may add its own arguments around it. */
export function findDeepLinkInArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(PREFIX)) ?? null;
}

/**
 * Parses a link handed over by the OS. Pure and strict: anything unexpected is rejected with
 * a reason that is safe to log (it never repeats a parameter's value).
 */
export function parseDeepLink(input: unknown): DeepLink {
  if (typeof input !== 'string') return reject('not a string');
  if (input.length === 0) return reject('empty link');
  if (input.length > MAX_DEEP_LINK_LENGTH) return reject(`longer than ${MAX_DEEP_LINK_LENGTH} characters`);
  if (UNSAFE_CHARS.test(input) || /\s/.test(input)) return reject('contains whitespace or control characters');

  const shape = SHAPE.exec(input);
  if (!shape) {
    if (input.includes('#')) return reject('fragments are not allowed');
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(input)) return reject('an authority (//host) is not allowed');
    return reject('not a ChartDesk link');
  }
  const [, scheme = '', rawPath = '', rawQuery] = shape;
  if (scheme.toLowerCase() !== DEEP_LINK_SCHEME) return reject('wrong scheme');
  if (rawPath.startsWith('//')) return reject('an authority (//host) is not allowed');

  const params = readQuery(rawQuery ?? '');
  if ('error' in params) return reject(params.error);

  if (rawPath === OAUTH_CALLBACK_PATH) return parseCallback(params.values, null);
  if (rawPath.startsWith(`${OAUTH_CALLBACK_PATH}/`)) {
    const name = rawPath.slice(OAUTH_CALLBACK_PATH.length + 1);
    return REDIRECT_NAME.test(name) ? parseCallback(params.values, name) : reject('unknown callback path');
  }
  if (rawPath === EHR_LAUNCH_PATH) return parseLaunch(params.values);
  return reject('unknown path');
}

function readQuery(rawQuery: string): { values: Map<string, string> } | { error: string } {
  if (/%(?![0-9A-Fa-f]{2})/.test(rawQuery)) return { error: 'malformed percent-encoding' };
  const values = new Map<string, string>();
  let decoded: URLSearchParams;
  try {
    decoded = new URLSearchParams(rawQuery);
  } catch {
    return { error: 'malformed query' };
  }
  for (const [name, value] of decoded) {
    if (values.has(name)) return { error: `parameter "${name.slice(0, 32)}" appears more than once` };
    if (UNSAFE_CHARS.test(value) || UNSAFE_CHARS.test(name)) {
      return { error: `parameter "${name.slice(0, 32)}" contains control characters` };
    }
    const max = MAX_VALUE_LENGTH[name];
    if (max !== undefined && value.length > max) return { error: `parameter "${name}" is too long` };
    values.set(name, value);
  }
  return { values };
}

function required(values: Map<string, string>, name: string): string | null {
  const value = values.get(name);
  return value === undefined || value.length === 0 ? null : value;
}

function parseCallback(values: Map<string, string>, redirectName: string | null): DeepLink {
  const state = required(values, 'state');
  if (state === null) return reject('callback without state');
  const issParam = values.get('iss');
  let iss: string | null = null;
  if (issParam !== undefined) {
    iss = normalizeFhirBase(issParam);
    if (iss === null) return reject('callback iss is not an https URL');
  }
  const code = required(values, 'code');
  const error = required(values, 'error');
  if (code !== null && error !== null) return reject('callback carries both code and error');
  if (code !== null) return { kind: 'oauth-callback', redirectName, state, iss, outcome: { type: 'code', code } };
  if (error !== null) {
    if (!OAUTH_ERROR_CODE.test(error)) return reject('callback error code has invalid characters');
    const description = values.get('error_description') ?? null;
    return { kind: 'oauth-callback', redirectName, state, iss, outcome: { type: 'error', error, description } };
  }
  return reject('callback without code or error');
}

function parseLaunch(values: Map<string, string>): DeepLink {
  const issParam = required(values, 'iss');
  const launch = required(values, 'launch');
  if (issParam === null) return reject('launch without iss');
  if (launch === null) return reject('launch without launch parameter');
  const iss = normalizeFhirBase(issParam);
  if (iss === null) return reject('launch iss is not an https URL');
  return { kind: 'ehr-launch', iss, launch };
}
