import type { AppNotice } from '../../common/view-models';
import type { EventHub } from './event-hub';

export const MAX_KEPT_NOTICES = 20;

/** The notices service: raises a notice for the clinician and keeps the last ones for a renderer that listens late. */
export interface NoticeBoard {
  notify(notice: AppNotice): void;
  /** Notices raised so far, oldest first (some arrive before the renderer listens: a recovered file, an invalid policy). */
  list(): AppNotice[];
}

export function createNoticeBoard(events: EventHub): NoticeBoard {
  const kept: AppNotice[] = [];
  return {
    notify(notice) {
      kept.push(notice);
      if (kept.length > MAX_KEPT_NOTICES) kept.shift();
      events.emit('app:notice', notice);
    },
    list: () => [...kept],
  };
}
