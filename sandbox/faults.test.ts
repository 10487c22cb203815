import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults.js';

describe('FaultInjector', () => {
  it('passes everything through without faults', () => {
    expect(new FaultInjector().plan()).toEqual({ kind: 'body', delayMs: 0, body: 'intact' });
  });

  it('counts requests for every-Nth statuses and restarts the count when reset', () => {
    const faults = new FaultInjector({ status503Every: 2, retryAfterSeconds: 3 });
    expect([faults.plan(), faults.plan()].map((p) => (p.kind === 'status' ? p.status : 200))).toEqual([200, 503]);
    faults.set({ status503Every: 2 });
    expect(faults.plan().kind).toBe('body');
  });

  it('draws the same faults from the same seed, other faults from another', () => {
    const draw = (seed: number) => {
      const faults = new FaultInjector({ errorRate500: 0.3, malformedJsonRate: 0.3, randomDelayMs: [0, 50], seed });
      return Array.from({ length: 40 }, () => faults.plan());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((p) => p.delayMs >= 0 && p.delayMs <= 50)).toBe(true);
  });

  it('refuses rates outside [0, 1] and inverted delay ranges', () => {
    expect(() => new FaultInjector({ errorRate500: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector({ randomDelayMs: [10, 5] })).toThrow(RangeError);
  });
});
