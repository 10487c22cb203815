import { describe, expect, it } from 'vitest';
import { newerMayCome } from './newest';

describe('whether a newer value may still come', () => {
  it('says yes while loading until the newest rows are in, then only for older values', () => {
    expect(newerMayCome('2026-11-01T08:00:00Z', 'loading', null)).toBe(true);
    expect(newerMayCome('2026-11-01T08:00:00Z', 'loading', '2026-06-01T00:00:00Z')).toBe(false);
    expect(newerMayCome('2026-06-01T00:00:00Z', 'loading', '2026-06-01T00:00:00Z')).toBe(false);
    expect(newerMayCome('2019-03-02', 'loading', '2026-06-01T00:00:00Z')).toBe(true);
    expect(newerMayCome(null, 'loading', '2026-06-01T00:00:00Z')).toBe(true);
  });

  it('says no once the section is complete, or ended (its notice says the list is incomplete)', () => {
    expect(newerMayCome('2019-03-02', 'complete', null)).toBe(false);
    expect(newerMayCome('2019-03-02', 'error', null)).toBe(false);
  });
});
