/** The text to show the clinician for a failed request: BridgeError messages are written for them already. */
export function messageOf(error: unknown, fallback = 'Something went wrong.'): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
