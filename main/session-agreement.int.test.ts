/**
 * The connection row (SessionView, in connections:changed), the chart (chart:open) and the notices say the same in
 * every way a session can fail to go on, against the sandbox EHR, through the IPC contract as the renderer sees it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionStatus } from '../common/sessions';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index';
import { sandboxConnectionSettings } from './connections/templates';
import { SESSION_MESSAGES } from './smart/session-messages';
import { type ComposedApp, composedApp } from './testing/composed-app';

const EHR = 'Sandbox EHR';

interface FailureCase {
  name: string;
  sandbox: SandboxOptions;
  /** What happens after the sign-in; the chart is opened afterwards. */
  fail(ehr: Sandbox, world: ComposedApp, connectionId: string): Promise<void>;
  expected: { status: SessionStatus; message: string };
}

const until = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

const CASES: FailureCase[] = [
  {
    name: 'the access ran out with nothing to renew it (Epic gives public clients no refresh token)',
    sandbox: { profile: 'epic-like', accessTokenLifetimeSeconds: 3 },
    // Nobody asks: the session ends at its expiry by itself.
    fail: async (_ehr, world, id) =>
      vi.waitFor(() => expect(world.session(id).status).toBe('expired'), { timeout: 15_000, interval: 200 }),
    expected: { status: 'expired', message: SESSION_MESSAGES.expired(EHR) },
  },
  {
    name: 'a 401, then invalid_grant on renewal (the EHR revoked the grant)',
    sandbox: { profile: 'smart-v2' },
    fail: (ehr) => ehr.revokeAllTokens(),
    expected: { status: 'expired', message: SESSION_MESSAGES.ended(EHR) },
  },
  {
    name: 'a 401 on a session with nothing to renew it',
    sandbox: { profile: 'epic-like' },
    fail: (ehr) => ehr.revokeAllTokens(),
    expected: { status: 'expired', message: SESSION_MESSAGES.endedByEhr(EHR) },
  },
  {
    name: 'the renewed token refused as well',
    sandbox: { profile: 'smart-v2' },
    fail: async (ehr) => ehr.setSimulatedError('request_invalid_token'),
    expected: { status: 'expired', message: SESSION_MESSAGES.refusedAfterRenewal(EHR) },
  },
  {
    name: 'the refresh token expired at the EHR (token_expired_refresh_token) when the access ran out',
    sandbox: { profile: 'smart-v2', accessTokenLifetimeSeconds: 2 },
    fail: async (ehr) => {
      ehr.setSimulatedError('token_expired_refresh_token');
      await until(2.5);
    },
    expected: { status: 'expired', message: SESSION_MESSAGES.ended(EHR) },
  },
  {
    name: 'the EHR could not be reached to renew once the access ran out',
    sandbox: { profile: 'smart-v2', accessTokenLifetimeSeconds: 2 },
    fail: async (ehr) => {
      await ehr.stop();
      await until(2.5);
    },
    expected: { status: 'expired', message: SESSION_MESSAGES.unreachable(EHR) },
  },
];

let running: Sandbox | null = null;
afterEach(async () => {
  await running?.stop().catch(() => undefined);
  running = null;
});

describe('the row, the chart and the notices agree when a session cannot go on', () => {
  it.each(CASES.map((failure) => [failure.name, failure] as const))(
    '%s',
    async (_name, failure) => {
      const ehr = await startSandbox({ autoApprove: true, ...failure.sandbox });
      running = ehr;
      const world = await composedApp();
      const id = await world.addConnection(sandboxConnectionSettings(ehr.fhirBaseUrl, EHR));
      expect((await world.signIn(id)).kind).toBe('app-link');
      const patientId = world.session(id).patient!.id;
      const noticesBefore = world.notices().length;

      await failure.fail(ehr, world, id);
      const opened = await world.call('chart:open', { connectionId: id, patientId });
      const { status, message } = failure.expected;

      // The chart's answer: sign in again, in the row's words.
      expect(opened).toEqual({ ok: false, error: { code: 'auth', message } });
      // The row, as main computes it and as the renderer last heard it.
      expect(world.session(id)).toMatchObject({ status, message });
      expect(world.lastList().find((item) => item.connection.id === id)!.session).toMatchObject({ status, message });
      // One notice, with the same words.
      const notices = world.notices().slice(noticesBefore);
      expect(notices).toEqual([{ level: 'warning', message, connectionId: id }]);
      // And the chart says it again on the next try, without another notice.
      expect(await world.call('chart:open', { connectionId: id, patientId })).toEqual({
        ok: false,
        error: { code: 'auth', message },
      });
      expect(world.notices().slice(noticesBefore)).toHaveLength(1);
      world.app.dispose();
    },
    40_000,
  );
});
