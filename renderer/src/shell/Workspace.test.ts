import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../../common/sessions';
import { connection, createFakeApi, ok, opened, session } from '../testing/fake-api';
import Workspace from './Workspace.svelte';

vi.mock('uplot', () => import('../testing/uplot-mock'));

const item = (overrides: Partial<SessionView> = {}, id = 'conn-1', name = 'Sandbox') => ({
  connection: connection({ id, name }),
  session: session({ connectionId: id, connectionName: name, ...overrides }),
});

async function setup(list = [item()]) {
  const fake = createFakeApi();
  fake.api.listConnections.mockReturnValue(ok(list));
  fake.api.openChart.mockReturnValue(ok(opened('load-1')));
  render(Workspace, { props: { api: fake.api } });
  await screen.findAllByTestId('connection-row');
  return fake;
}

describe('Workspace', () => {
  afterEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset['theme'];
  });

  it('signs in, shows the progress main reports, and opens the chart once signed in', async () => {
    const { api, emit } = await setup();
    await fireEvent.click(screen.getByTestId('sign-in'));
    expect(api.signIn).toHaveBeenCalledWith('conn-1');

    emit('connections:changed', [item({ status: 'signing-in' })]);
    flushSync();
    expect(screen.getByTestId('status-badge').textContent).toBe('Waiting for your browser…');

    emit('connections:changed', [
      item({ status: 'signed-in', userDisplayName: 'Dr Who', patient: { id: 'pat-1', name: 'Ada' } }),
    ]);
    flushSync();
    expect(screen.getByTestId('signed-in-user').textContent).toContain('Dr Who');
    expect(await screen.findByTestId('patient-banner')).toBeTruthy();
    expect(screen.getByTestId('connection-row').getAttribute('aria-current')).toBe('true');
  });

  it('keeps one EHR open while another signs out, and leaves the chart when its session ends', async () => {
    const both = [
      item({ status: 'signed-in', patient: { id: 'pat-1', name: null } }, 'conn-1', 'Sandbox A'),
      item({ status: 'signed-in' }, 'conn-2', 'Sandbox B'),
    ];
    const { api, emit } = await setup(both);
    await fireEvent.click(within(screen.getAllByTestId('connection-row')[0]!).getByTestId('open-connection'));
    await screen.findByTestId('patient-banner');

    await fireEvent.click(within(screen.getAllByTestId('connection-row')[1]!).getByTestId('sign-out'));
    expect(api.signOut).toHaveBeenCalledWith('conn-2');
    emit('connections:changed', [both[0]!, item({ status: 'signed-out' }, 'conn-2', 'Sandbox B')]);
    flushSync();
    expect(screen.getByTestId('patient-banner')).toBeTruthy();

    emit('connections:changed', [item({ status: 'expired', message: 'Sign in again.' }, 'conn-1', 'Sandbox A'), both[1]!]);
    flushSync();
    expect(screen.queryByTestId('patient-banner')).toBeNull();
    expect(api.closeChart).toHaveBeenCalledWith('conn-1', 'load-1');

    await fireEvent.click(screen.getByTestId('sign-out-all'));
    expect(api.signOutAll).toHaveBeenCalledOnce();
  });

  it('folds the connections away when a chart opens on a narrow window, and brings them back on request', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: query.includes('max-width'),
      addEventListener: () => {},
      removeEventListener: () => {},
    }));
    try {
      // A signed-in connection comes to the front by itself: its chart takes the width.
      await setup([item({ status: 'signed-in', patient: { id: 'pat-1', name: null } })]);
      await screen.findByTestId('patient-banner');
      const toggle = screen.getByTestId('toggle-connections');
      expect(toggle.getAttribute('aria-expanded')).toBe('false');
      expect(screen.getByRole('navigation', { hidden: true }).hidden).toBe(true);
      await fireEvent.click(toggle);
      expect(toggle.getAttribute('aria-expanded')).toBe('true');
      expect(screen.getByRole('navigation').hidden).toBe(false);
      // Opening the chart already in front leaves the column as the clinician set it.
      await fireEvent.click(screen.getByTestId('open-connection'));
      expect(toggle.getAttribute('aria-expanded')).toBe('true');
      expect(screen.getByTestId('patient-banner')).toBeTruthy();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('asks the clinician about an unknown EHR launch and sends the answer', async () => {
    const { api, emit } = await setup();
    emit('launch:confirm', {
      id: 'confirm-1',
      issuer: 'https://unknown.example.org/fhir',
      host: 'unknown.example.org',
      reason: 'unknown-ehr',
      connectionName: null,
    });
    flushSync();
    const dialog = screen.getByRole('alertdialog');
    expect(screen.getByRole('heading', { name: 'Open ChartDesk from unknown.example.org?' })).toBeTruthy();
    expect(dialog.textContent).toContain('has not contacted it');
    expect(dialog.textContent).toContain('https://unknown.example.org/fhir');
    expect(document.activeElement).toBe(screen.getByTestId('launch-refuse'));
    await fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByTestId('launch-accept'));
    await fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByTestId('launch-refuse'));
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(api.answerLaunch).toHaveBeenCalledWith('confirm-1', false);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('asks before an EHR launch replaces a sign-in in progress or the open chart, naming the connection', async () => {
    const { emit } = await setup();
    const ask = (reason: 'sign-in-in-progress' | 'chart-open', id: string) =>
      emit('launch:confirm', {
        id,
        issuer: 'https://ehr.example.org/fhir',
        host: 'ehr.example.org',
        reason,
        connectionName: 'Sandbox A',
      });
    ask('sign-in-in-progress', 'c-1');
    flushSync();
    expect(screen.getByRole('alertdialog').textContent).toContain('while you are signing in to it');
    await fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    ask('chart-open', 'c-2');
    flushSync();
    expect(screen.getByRole('heading', { name: 'Open the launch from Sandbox A?' })).toBeTruthy();
    expect(screen.getByRole('alertdialog').textContent).toContain('possibly for another patient');
  });

  it('shows notices from main: errors as alerts, the rest as status', async () => {
    const { emit } = await setup();
    emit('app:notice', { level: 'error', message: 'A sign-in link was rejected: unknown state.', connectionId: null });
    emit('app:notice', { level: 'warning', message: 'The keychain is locked: sessions stay in memory.', connectionId: null });
    flushSync();
    const notices = screen.getAllByTestId('notice');
    expect(notices.map((notice) => notice.parentElement?.getAttribute('role'))).toEqual(['alert', 'status']);
    await fireEvent.click(screen.getByRole('button', { name: /Dismiss: A sign-in link/ }));
    expect(screen.getAllByTestId('notice')).toHaveLength(1);
  });

  it('adds a connection through the form and goes back to the list', async () => {
    const { api } = await setup();
    api.addConnection.mockReturnValue(ok(connection({ id: 'conn-9', name: 'New EHR' })));
    await fireEvent.click(screen.getByTestId('add-connection'));
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'New EHR' } });
    await fireEvent.input(screen.getByLabelText('FHIR base URL'), { target: { value: 'https://new.example.org/fhir' } });
    await fireEvent.input(screen.getByLabelText('Client ID'), { target: { value: 'cd-client' } });
    await fireEvent.click(screen.getByTestId('save-connection'));
    expect(api.addConnection).toHaveBeenCalledWith(expect.objectContaining({ name: 'New EHR', clientId: 'cd-client' }));
    await vi.waitFor(() => expect(screen.queryByTestId('connection-form')).toBeNull());
  });

  it('hides "add" when IT policy forbids it', async () => {
    const fake = createFakeApi();
    fake.api.policyStatus.mockReturnValue(
      ok({
        source: 'policy.json',
        applied: true,
        error: null,
        allowAddConnections: false,
        idleLockMinutes: 0,
        allowedWriteKinds: [],
      }),
    );
    render(Workspace, { props: { api: fake.api } });
    expect(await screen.findByText('Your IT department manages the connections.')).toBeTruthy();
    expect(screen.queryByTestId('add-connection')).toBeNull();
  });

  it('follows the OS theme by default and remembers an explicit choice', async () => {
    await setup();
    expect(document.documentElement.dataset['theme']).toBeUndefined();
    await fireEvent.change(screen.getByTestId('theme-toggle'), { target: { value: 'dark' } });
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(localStorage.getItem('chartdesk.theme')).toBe('dark');
  });

  it("applies the signed-in EHR's smart_style colors while it is in front, and drops them after", async () => {
    const styled = item({
      status: 'signed-in',
      smartStyleUrl: 'https://ehr.example.org/style.json',
      patient: { id: 'pat-1', name: null },
    });
    const { api, emit } = await setup([item()]);
    api.sessionStyle.mockReturnValue(ok({ color_highlight: '#8a1538', color_background: 'url(x)' }));
    const shell = document.querySelector<HTMLElement>('.shell')!;
    emit('connections:changed', [styled]);
    await vi.waitFor(() => expect(shell.style.getPropertyValue('--accent')).toBe('#8a1538'));
    expect(api.sessionStyle).toHaveBeenCalledWith('conn-1');
    expect(shell.style.getPropertyValue('--bg')).toBe('');
    emit('connections:changed', [item({ status: 'signed-out' })]);
    await vi.waitFor(() => expect(shell.style.getPropertyValue('--accent')).toBe(''));
  });

  it('offers to renew or forget a registered device, and only then', async () => {
    const { api, emit } = await setup([item({ status: 'signed-in' })]);
    expect(screen.queryByTestId('forget-device')).toBeNull();
    emit('connections:changed', [item({ status: 'signed-in', deviceRegistered: true })]);
    flushSync();
    await fireEvent.click(screen.getByTestId('rotate-device-key'));
    await fireEvent.click(screen.getByTestId('forget-device'));
    expect(api.rotateDeviceKey).toHaveBeenCalledWith('conn-1');
    expect(api.forgetDevice).toHaveBeenCalledWith('conn-1');
  });

  it('hides the connections and the chart behind the idle lock and re-reads the sessions to unlock', async () => {
    vi.useFakeTimers();
    try {
      const fake = createFakeApi();
      fake.api.policyStatus.mockReturnValue(
        ok({
          source: 'policy.json',
          applied: true,
          error: null,
          allowAddConnections: true,
          idleLockMinutes: 5,
          allowedWriteKinds: [],
        }),
      );
      fake.api.listConnections.mockReturnValue(ok([item({ status: 'signed-in', patient: { id: 'pat-1', name: 'Ada' } })]));
      fake.api.openChart.mockReturnValue(ok(opened('load-1')));
      render(Workspace, { props: { api: fake.api } });
      await vi.advanceTimersByTimeAsync(0);
      expect(screen.getByTestId('connection-row')).toBeTruthy();

      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(screen.getByTestId('idle-lock')).toBeTruthy();
      expect(screen.queryByTestId('connection-row')).toBeNull();
      expect(screen.queryByTestId('patient-banner')).toBeNull();
      expect(fake.api.closeChart).toHaveBeenCalledWith('conn-1', 'load-1');

      const reads = fake.api.listConnections.mock.calls.length;
      await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
      await vi.advanceTimersByTimeAsync(0);
      expect(fake.api.listConnections.mock.calls.length).toBe(reads + 1);
      expect(screen.getByTestId('connection-row')).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});
