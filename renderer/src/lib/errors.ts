import { BridgeError } from './api';

/**
 * The text to show the clinician for a failed request. Main writes BridgeError messages for
 * them; anything else is a fault of ours whose message would mean nothing to them.
 */
export function messageOf(error: unknown, fallback = 'Something went wrong.'): string {
  return error instanceof BridgeError && error.message ? error.message : fallback;
}
