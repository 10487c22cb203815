/**
 * SMART launch context: the one-time launch values minted for EHR launches, and the context
 * (user, patient, encounter) bound to each grant once the user approves.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedError } from '../types.js';

export interface SmartContext {
  userId: string;
  patient?: string;
  encounter?: string;
  /** Set when the authorization came through an EHR launch. */
  ehrLaunch: boolean;
  simulateError?: SimulatedError;
}

export interface PendingLaunch {
  userId: string;
  patient: string;
  encounter?: string;
  simulateError?: SimulatedError;
}

const LAUNCH_TTL_MS = 60 * 60_000;

export class ContextStore {
  readonly #launches = new Map<string, PendingLaunch & { expires: number }>();
  readonly #grants = new Map<string, SmartContext>();

  mintLaunch(launch: PendingLaunch): string {
    const value = randomBytes(18).toString('base64url');
    this.#launches.set(value, { ...launch, expires: Date.now() + LAUNCH_TTL_MS });
    return value;
  }

  /** The launch, if it exists, is unused and has not expired. */
  peekLaunch(value: string): PendingLaunch | undefined {
    const launch = this.#launches.get(value);
    if (!launch || launch.expires < Date.now()) return undefined;
    return launch;
  }

  /** Launch values are single-use: consumed when the authorization completes. */
  consumeLaunch(value: string): void {
    this.#launches.delete(value);
  }

  bindGrant(grantId: string, context: SmartContext): void {
    this.#grants.set(grantId, context);
  }

  grant(grantId: string | undefined): SmartContext | undefined {
    return grantId ? this.#grants.get(grantId) : undefined;
  }

  grantIds(): string[] {
    return [...this.#grants.keys()];
  }
}
