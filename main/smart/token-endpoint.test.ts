import { describe, expect, it } from 'vitest';
import { accessTokenExpiry, DEFAULT_EXPIRES_IN_SECONDS, MAX_EXPIRES_IN_SECONDS } from './token-endpoint';

describe('accessTokenExpiry', () => {
  const now = 1_000_000;
  it('follows expires_in', () => expect(accessTokenExpiry(now, 570)).toBe(now + 570_000));
  it('assumes a short lifetime when expires_in is missing', () =>
    expect(accessTokenExpiry(now, undefined)).toBe(now + DEFAULT_EXPIRES_IN_SECONDS * 1000));
  it('does not believe an absurd lifetime', () => {
    expect(accessTokenExpiry(now, 1e308)).toBe(now + MAX_EXPIRES_IN_SECONDS * 1000);
    expect(accessTokenExpiry(now, Number.POSITIVE_INFINITY)).toBe(now + DEFAULT_EXPIRES_IN_SECONDS * 1000);
    expect(accessTokenExpiry(now, -5)).toBe(now);
  });
});
