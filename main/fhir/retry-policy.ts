/** When to try a FHIR request again, and how long to wait first. */

export interface RetryPolicy {
  /** Total tries for one request, the first included (429, 503 and dropped connections only). */
  maxAttempts: number;
  backoffBaseMs: number;
  maxBackoffMs: number;
  /** A Retry-After beyond this is not waited for: the request fails at once with a clear message. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  backoffBaseMs: 500,
  maxBackoffMs: 8_000,
  maxRetryAfterMs: 30_000,
};

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** Retry-After (RFC 9110 §10.2.3) as milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Exponential backoff for the given failed attempt (1-based), capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxBackoffMs, policy.backoffBaseMs * 2 ** (attempt - 1));
}
