/**
 * Fault injection for FHIR resource requests: delays, throttling and outage statuses with
 * Retry-After, random 500s, connections cut mid-body and malformed JSON. Decisions come from a
 * seeded generator, so a given seed and request order always yields the same faults.
 */
import { createRng, type Rng } from './data/rng.js';
import type { FaultOptions } from './types.js';

export type FaultPlan =
  | { kind: 'status'; status: 429 | 500 | 503; delayMs: number; retryAfterSeconds?: number }
  | { kind: 'body'; delayMs: number; body: 'intact' | 'drop' | 'malformed' };

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`faults.${name} must be within [0, 1]`);
}

function validate(options: FaultOptions): void {
  checkRate('errorRate500', options.errorRate500);
  checkRate('dropConnectionRate', options.dropConnectionRate);
  checkRate('malformedJsonRate', options.malformedJsonRate);
  for (const name of ['delayMs', 'status429Every', 'status503Every', 'retryAfterSeconds'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      throw new RangeError(`faults.${name} must be a non-negative number`);
  }
  const range = options.randomDelayMs;
  if (range && !(range[0] >= 0 && range[1] >= range[0]))
    throw new RangeError('faults.randomDelayMs must be [min, max] with 0 <= min <= max');
}

export class FaultInjector {
  #options: FaultOptions | null = null;
  #rng: Rng = createRng(1);
  #count = 0;

  constructor(options: FaultOptions | null = null) {
    this.set(options);
  }

  /** Replaces the fault settings and restarts the request count and the generator. */
  set(options: FaultOptions | null): void {
    if (options) validate(options);
    this.#options = options;
    this.#rng = createRng(options?.seed ?? 1);
    this.#count = 0;
  }

  plan(): FaultPlan {
    const o = this.#options;
    if (!o) return { kind: 'body', delayMs: 0, body: 'intact' };
    this.#count += 1;
    const n = this.#count;
    const random = o.randomDelayMs ? this.#rng.between(o.randomDelayMs[0], o.randomDelayMs[1]) : 0;
    const delayMs = (o.delayMs ?? 0) + random;
    const retryAfterSeconds = o.retryAfterSeconds ?? 1;
    if (o.status429Every && n % o.status429Every === 0) return { kind: 'status', status: 429, delayMs, retryAfterSeconds };
    if (o.status503Every && n % o.status503Every === 0) return { kind: 'status', status: 503, delayMs, retryAfterSeconds };
    const roll = this.#rng.next();
    const p500 = o.errorRate500 ?? 0;
    const pDrop = o.dropConnectionRate ?? 0;
    const pMalformed = o.malformedJsonRate ?? 0;
    if (roll < p500) return { kind: 'status', status: 500, delayMs };
    if (roll < p500 + pDrop) return { kind: 'body', delayMs, body: 'drop' };
    if (roll < p500 + pDrop + pMalformed) return { kind: 'body', delayMs, body: 'malformed' };
    return { kind: 'body', delayMs, body: 'intact' };
  }
}
