import { describe, expect, it } from 'vitest';
import { createBrowserTransport } from './browser-transport';

/** An EventSource the test opens, fails and feeds by hand. */
class FakeEventSource extends EventTarget {
  static last: FakeEventSource | null = null;
  closed = false;
  constructor(readonly url: string) {
    super();
    FakeEventSource.last = this;
  }
  open(): void {
    this.dispatchEvent(new Event('open'));
  }
  fail(): void {
    this.dispatchEvent(new Event('error'));
  }
  close(): void {
    this.closed = true;
  }
  send(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(data) }));
  }
}

function setUp(fetch: typeof globalThis.fetch = () => Promise.resolve(Response.json({ ok: true, value: 'answered' }))) {
  const sent: string[] = [];
  const restarts: number[] = [];
  const transport = createBrowserTransport({
    restart: () => restarts.push(1),
    EventSource: FakeEventSource as unknown as typeof EventSource,
    fetch: (input, init) => {
      sent.push(String(input));
      return fetch(input, init);
    },
  });
  return { transport, sent, restarts, source: FakeEventSource.last! };
}

const turns = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("the browser view's transport", () => {
  it('opens the event stream at once, and sends no request before the stream is open', async () => {
    const { transport, sent, source } = setUp();
    expect(source.url).toBe('/bridge/events');
    const answer = transport.invoke('chart:open', [{ connectionId: 'c', patientId: 'p' }]);
    await turns();
    // Main sends events to the streams open when it emits them: a chart's pages follow open()'s answer at once.
    expect(sent).toEqual([]);
    source.open();
    await expect(answer).resolves.toEqual({ ok: true, value: 'answered' });
    expect(sent).toEqual(['/bridge/invoke/chart%3Aopen']);
  });

  it('lets requests go on when the stream cannot open, to fail with their own reason', async () => {
    const { transport, source } = setUp(() => Promise.reject(new TypeError('Failed to fetch')));
    const answer = transport.invoke('app:info', []);
    source.fail();
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'network' } });
  });

  it("hands each of main's events to its listeners, until they unsubscribe, and drops names not in the contract", () => {
    const { transport, source } = setUp();
    const received: unknown[] = [];
    const unsubscribe = transport.subscribe('chart:page', (page) => received.push(page));
    source.open();
    source.send({ event: 'chart:page', payload: { section: 'vitals' } });
    source.send({ event: 'chart:secret', payload: { section: 'labs' } });
    unsubscribe();
    source.send({ event: 'chart:page', payload: { section: 'problems' } });
    expect(received).toEqual([{ section: 'vitals' }]);
  });

  it('starts the page over, its stream closed, when main no longer has every event the stream missed', () => {
    const { restarts, source } = setUp();
    source.open();
    source.dispatchEvent(new MessageEvent('restart', { data: 'restart' }));
    expect(source.closed).toBe(true);
    expect(restarts).toHaveLength(1);
  });
});
