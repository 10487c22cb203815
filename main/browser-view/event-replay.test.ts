import { describe, expect, it } from 'vitest';
import { createEventReplay } from './event-replay';

describe("the browser view's recent events", () => {
  it('numbers each event, and gives a stream that comes back what followed the last one it had, in order', () => {
    const replay = createEventReplay();
    expect(replay.record('{"n":1}')).toBe('id: 1\ndata: {"n":1}\n\n');
    replay.record('{"n":2}');
    replay.record('{"n":3}');
    expect(replay.since('1')).toEqual(['id: 2\ndata: {"n":2}\n\n', 'id: 3\ndata: {"n":3}\n\n']);
    expect(replay.since('3')).toEqual([]);
  });

  it('says when what was missed is no longer all kept, or the id is not one it gave', () => {
    const frame = createEventReplay().record('{"n":1}');
    // Room for two frames of this size.
    const replay = createEventReplay(frame.length * 2);
    for (let n = 1; n <= 4; n += 1) replay.record(`{"n":${n}}`);
    expect(replay.since('2')).toEqual(['id: 3\ndata: {"n":3}\n\n', 'id: 4\ndata: {"n":4}\n\n']);
    expect(replay.since('1')).toBeNull();
    for (const id of ['5', '-1', '2.5', 'abc', '', '9'.repeat(40)]) expect(replay.since(id), id).toBeNull();
  });

  it('keeps the newest event even when it alone is over the limit', () => {
    const replay = createEventReplay(10);
    replay.record('{"n":1}');
    replay.record('{"big":"' + 'x'.repeat(100) + '"}');
    expect(replay.since('1')).toHaveLength(1);
  });
});
