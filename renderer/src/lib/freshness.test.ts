import { describe, expect, it } from 'vitest';
import { freshness, STALE_AFTER_MS } from './freshness';

const READ = '2026-03-10T09:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(READ) + ms);

describe('freshness', () => {
  it('says nothing before a chart was read', () => {
    expect(freshness({ asOf: null, fromCache: false, offlineSince: null }, after(0))).toBeNull();
  });

  it('says when a chart was read, and whether it came from the cache, without a warning while it is recent', () => {
    const fresh = freshness({ asOf: READ, fromCache: false, offlineSince: null }, after(5 * 60_000));
    expect(fresh).toEqual({ asOf: expect.stringMatching(/^As of \d\d:\d\d$/), warning: null, kind: 'fresh' });
    const cached = freshness({ asOf: READ, fromCache: true, offlineSince: null }, after(STALE_AFTER_MS));
    expect(cached?.asOf).toMatch(/^From this session's cache, as of \d\d:\d\d$/);
    expect(cached?.kind).toBe('fresh');
  });

  it('marks a chart read more than 10 minutes ago as stale, saying how old it is and what to do', () => {
    const stale = freshness({ asOf: READ, fromCache: false, offlineSince: null }, after(STALE_AFTER_MS + 60_000));
    expect(stale?.kind).toBe('stale');
    expect(stale?.warning).toBe('This chart was read 11 minutes ago and may be out of date: Refresh to see newer data.');
  });

  it('warns that the EHR could not be reached, whatever the age of the chart', () => {
    const offline = freshness({ asOf: READ, fromCache: true, offlineSince: after(60_000).toISOString() }, after(2 * 60_000));
    expect(offline?.kind).toBe('offline');
    expect(offline?.warning).toMatch(
      /^The EHR could not be reached \(.+\)\. This chart is as of \d\d:\d\d and may be out of date: Refresh to try again\.$/,
    );
  });

  it('gives an earlier day its date', () => {
    const yesterday = freshness({ asOf: READ, fromCache: false, offlineSince: null }, after(86_400_000));
    expect(yesterday?.asOf).toMatch(/^As of 10 Mar 2026 \d\d:\d\d$/);
    expect(yesterday?.kind).toBe('stale');
    expect(yesterday?.warning).toMatch(/^This chart was read 24 hours ago/);
    expect(freshness({ asOf: READ, fromCache: false, offlineSince: null }, after(3 * 86_400_000))?.warning).toMatch(
      /read 3 days ago/,
    );
  });
});
