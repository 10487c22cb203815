import { describe, expect, it } from 'vitest';
import { connection, createFakeApi, fail, ok, session } from '../../testing/fake-api';
import { ConnectionsState } from './connections.svelte';

describe('ConnectionsState', () => {
  it('loads connections, templates and policy, then follows connections:changed', async () => {
    const { api, emit } = createFakeApi();
    api.listConnections.mockReturnValueOnce(ok([{ connection: connection(), session: session() }]));
    api.policyStatus.mockReturnValueOnce(
      ok({
        source: '/etc/chartdesk/policy.json',
        applied: true,
        error: null,
        allowAddConnections: false,
        idleLockMinutes: 15,
        allowedWriteKinds: [],
      }),
    );
    const state = new ConnectionsState(api);
    await state.load();
    expect(state.items).toHaveLength(1);
    expect(state.canAdd).toBe(false);

    emit('connections:changed', [{ connection: connection(), session: session({ status: 'signing-in' }) }]);
    expect(state.find('conn-1')?.session.status).toBe('signing-in');
  });

  it('shows the notices main raised before the window listened', async () => {
    const { api } = createFakeApi();
    api.notices.mockReturnValueOnce(ok([{ level: 'warning', message: 'The keychain is locked.', connectionId: null }]));
    const state = new ConnectionsState(api);
    await state.load();
    expect(state.notices.map((notice) => notice.message)).toEqual(['The keychain is locked.']);
    // Dismissed here and in main, so that a reloaded window does not show it again.
    state.dismiss(state.notices[0]!.id);
    expect(state.notices).toEqual([]);
    expect(api.dismissNotice).toHaveBeenCalledWith('The keychain is locked.');
  });

  it('says so when the list cannot be read', async () => {
    const { api } = createFakeApi();
    api.listConnections.mockReturnValueOnce(fail('network', 'ChartDesk could not read its settings file.'));
    const state = new ConnectionsState(api);
    await state.load();
    expect(state.loadError).toBe('ChartDesk could not read its settings file.');
    expect(state.loaded).toBe(true);
  });

  it('turns a failed sign-in into an error notice, but not a cancelled one', async () => {
    const { api } = createFakeApi();
    const state = new ConnectionsState(api);
    api.signIn.mockReturnValueOnce(fail('cancelled', 'Sign-in cancelled.'));
    await state.signIn('conn-1');
    expect(state.notices).toEqual([]);

    api.signIn.mockReturnValueOnce(fail('auth', 'The EHR refused the sign-in: access_denied.'));
    await state.signIn('conn-1');
    expect(state.notices).toMatchObject([
      { level: 'error', message: 'The EHR refused the sign-in: access_denied.', connectionId: 'conn-1' },
    ]);
    state.dismiss(state.notices[0]!.id);
    expect(state.notices).toEqual([]);
  });

  it('collects notices and launch confirmations from main, and answers a confirmation once', async () => {
    const { api, emit } = createFakeApi();
    const state = new ConnectionsState(api);
    emit('app:notice', { level: 'warning', message: 'The keychain is locked.', connectionId: null });
    emit('launch:confirm', {
      id: 'c1',
      issuer: 'https://ehr.example.org/fhir',
      host: 'ehr.example.org',
      reason: 'chart-open',
      connectionName: 'Example EHR',
    });
    expect(state.notices[0]?.message).toBe('The keychain is locked.');
    expect(state.confirmations.map((confirmation) => confirmation.id)).toEqual(['c1']);

    await state.answerLaunch('c1', true);
    expect(api.answerLaunch).toHaveBeenCalledWith('c1', true);
    expect(state.confirmations).toEqual([]);
  });

  it('unsubscribes from every event on dispose', () => {
    const { api, listenerCount } = createFakeApi();
    const state = new ConnectionsState(api);
    state.dispose();
    expect(listenerCount('connections:changed') + listenerCount('app:notice') + listenerCount('launch:confirm')).toBe(0);
  });
});
