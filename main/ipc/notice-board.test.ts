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

  it('says a notice once: the same words again raise nothing, and a dismissed one stays away after a reload', () => {
    const events = createEventHub();
    const sent: unknown[] = [];
    events.subscribe((event, payload) => sent.push(payload));
    const board = createNoticeBoard(events);
    const keychain = (connectionId: string | null): AppNotice => ({
      level: 'warning',
      message: 'The OS keychain is not available',
      connectionId,
    });
    board.notify(keychain(null));
    board.notify(keychain('conn-1'));
    board.notify(keychain('conn-2'));
    expect(sent).toHaveLength(1);
    expect(board.list()).toEqual([keychain(null)]);
    // A reloaded window reads the list again: a dismissed notice is not in it, and is not raised again.
    expect(board.dismiss('The OS keychain is not available')).toBeNull();
    expect(board.list()).toEqual([]);
    board.notify(keychain(null));
    expect(sent).toHaveLength(1);
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
