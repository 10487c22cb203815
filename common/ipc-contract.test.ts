import { describe, expect, it } from 'vitest';
import { EVENTS, INVOKE } from './ipc-contract';
import { INVOKE_ARGS } from './ipc-schemas';

describe('the IPC contract table', () => {
  it('names each renderer method once, and routes each channel to its own service method', () => {
    const apis = [...Object.values(INVOKE), ...Object.values(EVENTS)].map((entry) => entry.api);
    expect(new Set(apis).size).toBe(apis.length);
    const routes = Object.values(INVOKE).map((entry) => `${entry.service}.${entry.method}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it.each(Object.keys(INVOKE))('%s takes a fixed list of arguments: more are refused', (channel) => {
    const args = INVOKE_ARGS[channel as keyof typeof INVOKE];
    expect(args.safeParse(['c1', 'c2', 'c3', 'c4']).success).toBe(false);
    expect(args.safeParse({ 0: 'c1' }).success).toBe(false);
  });
});
