/**
 * `--max-parallel N`: at most N FHIR requests in flight from one client; one more is answered 429
 * Too Many Requests with Retry-After (RFC 6585) and an OperationOutcome with issue code `throttled`.
 * Modelled on published throttles: CMS's BCDA FHIR API answers a request made while the client's
 * previous one is still processing with 429 and Retry-After; Practice Fusion and Health New Zealand's
 * SDHR API answer 429 with a `throttled` OperationOutcome. Epic and Oracle Health publish no numbers
 * (their limits are set per app); N stands for such a limit. A client is its bearer token, or its
 * address when it sends none.
 */

export const THROTTLE_RETRY_AFTER_SECONDS = 1;

export class InFlightThrottle {
  #max: number | null = null;
  readonly #inFlight = new Map<string, number>();
  #refused = 0;

  constructor(max: number | null = null) {
    this.set(max);
  }

  /** Null: no limit. */
  set(max: number | null): void {
    if (max !== null && !(Number.isInteger(max) && max >= 1)) throw new RangeError('maxParallel must be a positive integer');
    this.#max = max;
  }

  /** Admits a request, or answers null when its client already has the maximum in flight; call the release once it is answered. */
  admit(client: string): (() => void) | null {
    const current = this.#inFlight.get(client) ?? 0;
    if (this.#max !== null && current >= this.#max) {
      this.#refused += 1;
      return null;
    }
    this.#inFlight.set(client, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(client) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(client, left);
      else this.#inFlight.delete(client);
    };
  }

  get max(): number | null {
    return this.#max;
  }

  /** Requests answered 429 so far. */
  get refused(): number {
    return this.#refused;
  }
}
