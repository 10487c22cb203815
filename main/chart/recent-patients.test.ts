import { describe, expect, it } from 'vitest';
import { RecentPatients } from './recent-patients';

const patient = (id: string) => ({ id, name: `Patient ${id}`, birthDate: null, sex: null, mrn: null });
const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute));

describe('RecentPatients', () => {
  it('keeps the patients of every connection in one list, most recent first, each once per connection', () => {
    const recent = new RecentPatients(3);
    recent.add('epic', patient('a'), at(1));
    recent.add('cerner', patient('a'), at(2));
    recent.add('epic', patient('b'), at(3));
    recent.add('epic', patient('a'), at(4));
    expect(recent.list().map((entry) => `${entry.connectionId}/${entry.id}@${entry.openedAt.slice(14, 16)}`)).toEqual([
      'epic/a@04',
      'epic/b@03',
      'cerner/a@02',
    ]);
    recent.add('athena', patient('c'), at(5));
    expect(recent.list()).toHaveLength(3);
  });

  it("forgets a connection's patients when it signs out, and keeps the others", () => {
    const recent = new RecentPatients();
    recent.add('epic', patient('a'), at(1));
    recent.add('cerner', patient('b'), at(2));
    recent.clear('epic');
    expect(recent.list().map((entry) => entry.id)).toEqual(['b']);
  });
});
