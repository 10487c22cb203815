import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../common/ipc-contract';

/** Electron checklist #20: the preload exposes named methods only, never ipcRenderer or an IPC event. */
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as Array<{ channel: string; args: unknown[] }>,
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => {
      fake.invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => fake.listeners.set(channel, listener),
    removeListener: (channel: string) => fake.listeners.delete(channel),
  },
}));

describe('the Electron preload', () => {
  beforeEach(async () => {
    vi.resetModules();
    fake.exposed.clear();
    fake.invoked.length = 0;
    await import('./electron-preload');
  });

  it('exposes one object, window.chartdesk, made of functions only', () => {
    expect([...fake.exposed.keys()]).toEqual(['chartdesk']);
    const api = fake.exposed.get('chartdesk') as Record<string, unknown>;
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
    expect(Object.keys(api)).not.toContain('ipcRenderer');
    expect(Object.keys(api)).not.toContain('invoke');
  });

  it('uses only contract channels, with the arguments given', async () => {
    const api = fake.exposed.get('chartdesk') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api.openChart?.({ connectionId: 'c1', patientId: 'p1' });
    await api.signIn?.('c1');
    expect(fake.invoked).toEqual([
      { channel: 'chart:open', args: [{ connectionId: 'c1', patientId: 'p1' }] },
      { channel: 'session:sign-in', args: ['c1'] },
    ]);
    expect(fake.invoked.every((call) => (INVOKE_CHANNELS as string[]).includes(call.channel))).toBe(true);
  });

  it('hands listeners the payload without the IPC event, and unsubscribes', () => {
    const api = fake.exposed.get('chartdesk') as Record<string, (listener: (payload: unknown) => void) => () => void>;
    const received: unknown[][] = [];
    const stop = api.onNotice?.((...args: unknown[]) => received.push(args));
    fake.listeners.get('app:notice')?.({ sender: 'the ipc event' }, { level: 'info', message: 'hi', connectionId: null });
    expect(received).toEqual([[{ level: 'info', message: 'hi', connectionId: null }]]);
    stop?.();
    expect(fake.listeners.has('app:notice')).toBe(false);
  });
});
