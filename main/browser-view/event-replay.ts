/**
 * The browser view's recent events, numbered, for a page whose event stream dropped and came back: EventSource sends
 * the id of the last event it had (Last-Event-ID), and the stream gives it what followed, in order. A page that
 * missed more than is kept must start over: part of a chart's pages would show a section "complete" without all of
 * its rows, and none of them would leave it "loading" for ever.
 */
export const DEFAULT_REPLAY_BYTES = 8 * 1024 * 1024;

export interface EventReplay {
  /** Numbers an event (its JSON) and keeps it: the server-sent event frame to write. */
  record(json: string): string;
  /** The frames that followed the event `lastEventId` names, or null when some of them are no longer kept. */
  since(lastEventId: string): string[] | null;
}

export function createEventReplay(maxBytes = DEFAULT_REPLAY_BYTES): EventReplay {
  let lastId = 0;
  /** Oldest first; together within maxBytes, the newest always kept. */
  const kept: Array<{ id: number; frame: string }> = [];
  let keptBytes = 0;

  return {
    record(json) {
      lastId += 1;
      const frame = `id: ${lastId}\ndata: ${json}\n\n`;
      kept.push({ id: lastId, frame });
      keptBytes += frame.length;
      while (keptBytes > maxBytes && kept.length > 1) keptBytes -= kept.shift()!.frame.length;
      return frame;
    },
    since(lastEventId) {
      if (!/^\d{1,15}$/.test(lastEventId)) return null;
      const seen = Number(lastEventId);
      if (seen > lastId) return null;
      if (seen === lastId) return [];
      const first = kept[0]?.id ?? lastId + 1;
      if (first > seen + 1) return null;
      return kept.filter((event) => event.id > seen).map((event) => event.frame);
    },
  };
}
