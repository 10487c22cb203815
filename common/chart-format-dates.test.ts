import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDate, formatDateTime } from './chart-format';

describe('formatDate and formatDateTime', () => {
  it('writes every month by its short English name, keeping partial dates partial', () => {
    const months = Array.from({ length: 12 }, (_, index) => formatDate(`2019-${String(index + 1).padStart(2, '0')}`));
    expect(months).toEqual([
      'Jan 2019',
      'Feb 2019',
      'Mar 2019',
      'Apr 2019',
      'May 2019',
      'Jun 2019',
      'Jul 2019',
      'Aug 2019',
      'Sep 2019',
      'Oct 2019',
      'Nov 2019',
      'Dec 2019',
    ]);
    expect(formatDate('2019-04-02')).toBe('2 Apr 2019');
    expect(formatDate('2019')).toBe('2019');
    expect(formatDate('2019-13')).toBe('2019');
    expect(formatDate(null)).toBe('—');
  });

  it('adds the local time of day, on a 24-hour clock, when the value carries one', () => {
    expect(formatDateTime(new Date(2019, 3, 2, 21, 5).toISOString())).toBe('2 Apr 2019 21:05');
    expect(formatDateTime(new Date(2019, 8, 30, 0, 7).toISOString())).toBe('30 Sep 2019 00:07');
    expect(formatDateTime('2019-04-02')).toBe('2 Apr 2019');
    expect(formatDateTime('2019-04-02Tnonsense')).toBe('2 Apr 2019');
  });

  describe('in other time zones', () => {
    afterEach(() => void vi.unstubAllEnvs());

    /**
     * What formatDateTime wrote with Intl's formatToParts before it read the Date's local fields itself, in the
     * current TZ (a formatter keeps the time zone of its making).
     */
    function byIntl(): (value: string) => string {
      const intl = new Intl.DateTimeFormat('en-US', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      return (value) => {
        const parts = intl.formatToParts(new Date(value));
        const part = (type: string) => parts.find((each) => each.type === type)?.value;
        return `${part('day')} ${part('month')} ${part('year')} ${part('hour')}:${part('minute')}`;
      };
    }

    // Minutes behind UTC on 1 January 2024 (Lord Howe and Chatham are on summer time then).
    it.each([
      ['America/New_York', 300],
      ['Asia/Kolkata', -330],
      ['Australia/Lord_Howe', -660],
      ['Pacific/Chatham', -825],
      ['UTC', 0],
    ])('writes what Intl writes in %s, across daylight-saving changes and at midnight', (zone, offset) => {
      vi.stubEnv('TZ', zone);
      expect(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset()).toBe(offset);
      const reference = byIntl();
      // Every 7 hours and 13 minutes over three years: every hour of the day, both clock changes of each year.
      const start = Date.UTC(2023, 0, 1);
      for (let time = start; time < start + 3 * 365 * 86_400_000; time += (7 * 60 + 13) * 60_000) {
        const value = new Date(time).toISOString();
        expect(formatDateTime(value)).toBe(reference(value));
      }
      expect(formatDateTime('1970-01-01T00:00:00Z')).toBe(reference('1970-01-01T00:00:00Z'));
      expect(formatDateTime('0999-06-15T12:00:00Z')).toBe(reference('0999-06-15T12:00:00Z'));
    });
  });
});
