import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeIdle } from '../testing/idle';
import { inIdleSlices } from './idle-slices';

describe('inIdleSlices', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('runs a slice per idle period while the idle time lasts, until the work says it is done', () => {
    const idle = fakeIdle();
    const seen: boolean[] = [];
    let left = 3;
    inIdleSlices((timeLeft) => {
      seen.push(timeLeft());
      left -= 1;
      return left > 0;
    });
    expect(idle.pending.size).toBe(1);
    idle.run(() => 5);
    idle.run(() => 0);
    expect(seen).toEqual([true, false]);
    expect(idle.pending.size).toBe(1);
    idle.run(() => 5);
    expect(idle.pending.size).toBe(0);
  });

  it('gives a slice forced by the timeout a few milliseconds, and stops when cancelled', () => {
    const idle = fakeIdle();
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const answers: boolean[] = [];
    const stop = inIdleSlices((timeLeft) => {
      answers.push(timeLeft());
      now += 10;
      answers.push(timeLeft());
      return true;
    });
    idle.run(() => 0, true);
    expect(answers).toEqual([true, false]);
    expect(idle.pending.size).toBe(1);
    stop();
    expect(idle.pending.size).toBe(0);
  });

  it('runs its slices on timers where there is no requestIdleCallback', () => {
    vi.stubGlobal('requestIdleCallback', undefined);
    vi.useFakeTimers();
    let slices = 0;
    inIdleSlices(() => ++slices < 3);
    vi.runAllTimers();
    expect(slices).toBe(3);
  });
});
