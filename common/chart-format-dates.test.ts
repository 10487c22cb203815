import { describe, expect, it } from 'vitest';
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
});
