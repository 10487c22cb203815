import { describe, expect, it } from 'vitest';
import { InFlightThrottle } from './throttle.js';

describe('the in-flight limit per client', () => {
  it('admits up to the limit per client, counts refusals, and admits again once a request is answered', () => {
    const throttle = new InFlightThrottle(2);
    const first = throttle.admit('a');
    const second = throttle.admit('a');
    expect(first && second).toBeTruthy();
    expect(throttle.admit('a')).toBeNull();
    expect(throttle.admit('b')).not.toBeNull();
    first?.();
    first?.(); // a second release of the same request frees nothing more
    expect(throttle.admit('a')).not.toBeNull();
    expect(throttle.admit('a')).toBeNull();
    expect(throttle.refused).toBe(2);
  });

  it('has no limit by default, and refuses a limit that is not a positive integer', () => {
    const throttle = new InFlightThrottle();
    for (let i = 0; i < 100; i += 1) expect(throttle.admit('a')).not.toBeNull();
    expect(() => throttle.set(0)).toThrow(RangeError);
    expect(() => throttle.set(1.5)).toThrow(RangeError);
  });
});
