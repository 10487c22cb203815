/**
 * Structured logger. Every field passes through `redact` first, so a token cannot reach a
 * log line even when a caller hands over a whole object by mistake.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (line: string) => void;

const SECRET_KEY = /token|secret|password|verifier|authorization|assertion|^code$|^state$|^nonce$|^launch$|^key$|cookie|private/i;
/** The private members of a JWK (RFC 7518 §6): a key object is recognised by its `kty`. */
const PRIVATE_JWK_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']);
const BEARER = /\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** Parameter names whose values are secrets; an underscore may come percent-encoded (`refresh%5Ftoken`). */
const SECRET_PARAMETERS = [
  'code',
  'state',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'registration_access_token',
  'code_verifier',
  'launch',
  'assertion',
  'client_secret',
  'client_assertion',
]
  .map((name) => name.replaceAll('_', '(?:_|%5F)'))
  .join('|');
// Query strings, fragments and form bodies (where the secret may come first).
const SECRET_QUERY = new RegExp(`((?:^|[?&#\\s])(?:${SECRET_PARAMETERS})=)[^&#\\s]+`, 'gi');
// Token responses, registrations and keys logged as JSON text.
const SECRET_JSON = new RegExp(`("(?:${SECRET_PARAMETERS}|nonce|password|d)"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi');
const MAX_DEPTH = 5;
/** Enough of a stack to find the fault; the first line (the message) is logged on its own. */
const MAX_STACK_FRAMES = 8;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(SECRET_QUERY, `$1${REDACTED}`)
    .replace(SECRET_JSON, `$1${REDACTED}"`);
}

/** Copies a value with every secret-looking field and string replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) {
    const frames = (value.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, MAX_STACK_FRAMES)
      .map((line) => redactText(line.trim()));
    return {
      name: value.name,
      message: redactText(value.message),
      ...(frames.length > 0 ? { stack: frames } : {}),
      ...(value.cause !== undefined ? { cause: redact(value.cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  const jwk = typeof (value as { kty?: unknown }).kty === 'string';
  for (const [key, item] of Object.entries(value)) {
    const secret = SECRET_KEY.test(key) || (jwk && PRIVATE_JWK_MEMBERS.has(key));
    out[key] = secret ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', now: () => Date = () => new Date()): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const write = (level: LogLevel, event: string, fields?: Record<string, unknown>) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    sink(JSON.stringify({ time: now().toISOString(), level, event, ...(redact(fields ?? {}) as object) }));
  };
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}

/** An error's message for logs and the clinician, shortened; the logger redacts anything token-like on top. */
export function errorReason(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}
