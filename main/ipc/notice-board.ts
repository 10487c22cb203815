import type { AppNotice } from '../../common/view-models';
import type { EventHub } from './event-hub';

export const MAX_KEPT_NOTICES = 20;

/**
 * The notices service: raises a notice for the clinician and keeps the last ones for a renderer that listens late.
 * A notice is said once: the same words again (the keychain refusing each session in turn) raise nothing, and one
 * the clinician dismissed stays dismissed for the run, also after the window reloads.
 */
export interface NoticeBoard {
  notify(notice: AppNotice): void;
  /** Notices raised so far and not dismissed, oldest first (some arrive before the renderer listens: a recovered file, an invalid policy). */
  list(): AppNotice[];
  /** The clinician closed the notice with these words. */
  dismiss(message: string): null;
}

export function createNoticeBoard(events: EventHub): NoticeBoard {
  const kept: AppNotice[] = [];
  /** Every message said in this run, kept or dismissed. */
  const said = new Set<string>();
  return {
    notify(notice) {
      if (said.has(notice.message)) return;
      said.add(notice.message);
      kept.push(notice);
      if (kept.length > MAX_KEPT_NOTICES) kept.shift();
      events.emit('app:notice', notice);
    },
    list: () => [...kept],
    dismiss(message) {
      const index = kept.findIndex((notice) => notice.message === message);
      if (index >= 0) kept.splice(index, 1);
      return null;
    },
  };
}
