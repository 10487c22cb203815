/** The time now. A Date read once and replaced, never changed in place (so no SvelteDate is needed). */
export function currentTime(): Date {
  return new Date();
}
