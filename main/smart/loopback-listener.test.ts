import { describe, expect, it } from 'vitest';
import { startLoopbackListener } from './loopback-listener';

describe('the loopback redirect listener (RFC 8252 §7.3)', () => {
  it('listens on 127.0.0.1 and hands the one expected callback on in the custom-scheme form', async () => {
    const received: string[] = [];
    const listener = await startLoopbackListener((url) => received.push(url), { expectsState: (state) => state === 'good' });
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    expect((await fetch(`${listener.redirectUri.replace('/oauth2/callback', '/favicon.ico')}`)).status).toBe(404);
    const ok = await fetch(`${listener.redirectUri}?code=c1&state=good`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('You can close this tab');
    expect(received).toEqual(['org.chartdesk.desktop:/oauth2/callback?code=c1&state=good']);
    await expect(fetch(`${listener.redirectUri}?code=c2&state=good`)).rejects.toThrow();
  });

  it('does not let a forged callback use up the real one', async () => {
    const received: string[] = [];
    const listener = await startLoopbackListener((url) => received.push(url), { expectsState: (state) => state === 'good' });
    expect((await fetch(`${listener.redirectUri}?code=evil&state=forged`)).status).toBe(400);
    expect((await fetch(`${listener.redirectUri}?code=evil`)).status).toBe(400);
    expect((await fetch(`${listener.redirectUri}?code=c1&state=good`)).status).toBe(200);
    expect(received).toEqual(['org.chartdesk.desktop:/oauth2/callback?code=c1&state=good']);
  });

  it('closes by itself when no callback comes', async () => {
    const listener = await startLoopbackListener(() => undefined, { timeoutMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(fetch(listener.redirectUri)).rejects.toThrow();
  });
});
