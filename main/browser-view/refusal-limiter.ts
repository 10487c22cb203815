import type { Logger } from '../logging/logger';

/**
 * Requests the bridge refuses before they are authenticated: anyone on this computer can send them, as fast as they
 * like. Beyond `limit` in a window they are answered 429 at once, and the log gets at most one line per window,
 * with how many were refused since the last one, so that nobody can fill the log from outside.
 */
export interface RefusalLimiter {
  /** Counts a refused request; false when it is over the limit (answer 429 and nothing else). */
  refuse(reason: string): boolean;
}

export function createRefusalLimiter(options: {
  log: Logger;
  now?: () => number;
  windowMs?: number;
  limit?: number;
}): RefusalLimiter {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 10_000;
  const limit = options.limit ?? 50;
  let windowStart = -Infinity;
  let inWindow = 0;
  let unlogged = 0;
  return {
    refuse(reason) {
      if (now() - windowStart >= windowMs) {
        options.log.warn('bridge.refused', { reason, refusedSinceLastLine: unlogged });
        windowStart = now();
        inWindow = 0;
        unlogged = 0;
      } else {
        unlogged += 1;
      }
      inWindow += 1;
      return inWindow <= limit;
    },
  };
}
