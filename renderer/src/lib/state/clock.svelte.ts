import { currentTime } from '../time';

/**
 * The time as the screen shows it, moved on every `intervalMs`: how old a chart is, whether a session's
 * "until" is still ahead. A reading of the clock that never moves would leave both wrong.
 */
export class Clock {
  now = $state.raw(currentTime());
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(intervalMs = 30_000) {
    this.#timer = setInterval(() => (this.now = currentTime()), intervalMs);
  }

  dispose(): void {
    clearInterval(this.#timer);
  }
}
