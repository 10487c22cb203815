import { vi } from 'vitest';

/** The longest idle period a browser gives (requestIdleCallback's deadline is at most 50 ms away). */
const IDLE_PERIOD_MS = 50;

/**
 * requestIdleCallback under the test's control (jsdom has none): callbacks wait until the test runs them, with the
 * idle time it chooses, or drains them all as a browser with nothing else to do would.
 */
export function fakeIdle() {
  const pending = new Map<number, IdleRequestCallback>();
  let id = 0;
  vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback) => {
    pending.set(++id, callback);
    return id;
  });
  vi.stubGlobal('cancelIdleCallback', (handle: number) => pending.delete(handle));
  /** Runs the oldest waiting callback with `remaining()` ms left in its idle period, or as forced by its timeout. */
  function run(remaining: () => number, didTimeout = false): void {
    const [first] = pending;
    if (!first) throw new Error('no idle callback is waiting');
    pending.delete(first[0]);
    first[1]({ didTimeout, timeRemaining: remaining });
  }
  return {
    pending,
    run,
    /** Runs every waiting callback, and those they ask for, each with a whole idle period; returns how many ran. */
    drain(limit = 10_000): number {
      let ran = 0;
      for (; pending.size > 0; ran += 1) {
        if (ran === limit) throw new Error(`idle work still waiting after ${limit} idle periods`);
        const end = performance.now() + IDLE_PERIOD_MS;
        run(() => Math.max(0, end - performance.now()));
      }
      return ran;
    },
    restore: (): void => void vi.unstubAllGlobals(),
  };
}
