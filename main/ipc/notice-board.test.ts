import { describe, expect, it } from 'vitest';
import type { AppNotice } from '../../common/view-models';
import { createEventHub } from './event-hub';
import { createNoticeBoard, MAX_KEPT_NOTICES } from './notice-board';

const notice = (n: number): AppNotice => ({ level: 'info', message: `notice ${n}`, connectionId: null });

describe('the notice board', () => {
  it('sends each notice to the renderer and keeps it for one that listens later', () => {
    const events = createEventHub();
    const sent: unknown[] = [];
    events.subscribe((event, payload) => sent.push([event, payload]));
    const board = createNoticeBoard(events);
    board.notify(notice(1));
    expect(sent).toEqual([['app:notice', notice(1)]]);
    expect(board.list()).toEqual([notice(1)]);
  });

  it(`keeps the last ${MAX_KEPT_NOTICES} only, and hands out a copy`, () => {
    const board = createNoticeBoard(createEventHub());
    for (let n = 1; n <= MAX_KEPT_NOTICES + 5; n++) board.notify(notice(n));
    const kept = board.list();
    expect(kept).toHaveLength(MAX_KEPT_NOTICES);
    expect(kept[0]).toEqual(notice(6));
    kept.length = 0;
    expect(board.list()).toHaveLength(MAX_KEPT_NOTICES);
  });
});
