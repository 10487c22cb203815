/** How long a slice forced by the timeout may run: half a frame at 60 Hz. */
const FORCED_SLICE_MS = 8;
/** A slice runs within this long even if the browser is never idle. */
const IDLE_TIMEOUT_MS = 2000;

/**
 * Runs work in the browser's idle periods, a slice at a time, so that no frame waits for it: `work` is told whether
 * time is left and returns whether anything is left to do. A slice forced by the timeout, or run on a timer where
 * there is no requestIdleCallback (jsdom), gets FORCED_SLICE_MS. Returns what stops the rest.
 */
export function inIdleSlices(work: (timeLeft: () => boolean) => boolean): () => void {
  let cancel = () => {};
  const slice = (deadline?: IdleDeadline) => {
    const until = performance.now() + FORCED_SLICE_MS;
    const timeLeft = deadline && !deadline.didTimeout ? () => deadline.timeRemaining() > 0 : () => performance.now() < until;
    if (work(timeLeft)) schedule();
  };
  function schedule(): void {
    if (typeof requestIdleCallback === 'function') {
      const idle = requestIdleCallback(slice, { timeout: IDLE_TIMEOUT_MS });
      cancel = () => cancelIdleCallback(idle);
    } else {
      const timer = setTimeout(slice, 0);
      cancel = () => clearTimeout(timer);
    }
  }
  schedule();
  return () => cancel();
}
