import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../../common/connections';
import type { SessionView } from '../../../common/sessions';
import { connection, session } from '../testing/fake-api';
import ConnectionRow from './ConnectionRow.svelte';

function renderRow(sessionOverrides: Partial<SessionView>, connectionOverrides: Partial<Connection> = {}, now = new Date()) {
  const handlers = {
    onsignin: vi.fn(),
    oncancel: vi.fn(),
    onsignout: vi.fn(),
    onopen: vi.fn(),
    onedit: vi.fn(),
    onremove: vi.fn(),
    onforgetdevice: vi.fn(),
    onrotatedevicekey: vi.fn(),
  };
  const { rerender } = render(ConnectionRow, {
    props: {
      item: { connection: connection(connectionOverrides), session: session(sessionOverrides) },
      active: false,
      now,
      ...handlers,
    },
  });
  return { ...handlers, rerender };
}

describe('ConnectionRow', () => {
  it('while signing in, says it waits for the browser and offers Cancel', async () => {
    const { oncancel } = renderRow({ status: 'signing-in' });
    expect(screen.getByTestId('status-badge').textContent).toBe('Waiting for your browser…');
    expect(screen.queryByTestId('sign-in')).toBeNull();
    await fireEvent.click(screen.getByTestId('cancel-sign-in'));
    expect(oncancel).toHaveBeenCalledOnce();
  });

  it('signed in: shows the user, the sections not granted, and that the keychain could not keep the session', async () => {
    const { onsignout } = renderRow({
      status: 'signed-in',
      userDisplayName: 'Dr Grace Hopper',
      persisted: false,
      scopes: {
        grantedSections: ['vitals'],
        missingSections: ['labs'],
        writeActions: [],
        missingWriteActions: [],
        documentContent: false,
        offlineAccess: true,
        raw: 'patient/Observation.rs',
      },
    });
    expect(screen.getByTestId('signed-in-user').textContent).toContain('Dr Grace Hopper');
    expect(screen.getByTestId('not-persisted').textContent).toContain('Not saved: keychain unavailable');
    expect(screen.getByTestId('missing-sections').textContent).toBe('Not granted: labs');
    await fireEvent.click(screen.getByTestId('sign-out'));
    expect(onsignout).toHaveBeenCalledOnce();
  });

  it('says until when the access lasts, and no longer that it lasts once that time has passed', async () => {
    const expiresAt = new Date(2026, 10, 30, 5, 55).toISOString();
    const { rerender } = renderRow({ status: 'signed-in', expiresAt }, {}, new Date(2026, 10, 30, 5, 50));
    expect(screen.getByTestId('access-time').textContent).toBe('· until 05:55');
    await rerender({ now: new Date(2026, 10, 30, 5, 56) });
    expect(screen.getByTestId('access-time').textContent).toBe('· access renews on next use');
  });

  it("names every button with the connection it acts on (a list of rows all saying 'Open' is no help)", () => {
    renderRow({ status: 'signed-in', deviceRegistered: true }, { name: 'Epic at Mercy' });
    for (const name of [
      'Open Epic at Mercy',
      'Sign out of Epic at Mercy',
      'Renew device key for Epic at Mercy',
      'Forget this device at Epic at Mercy',
      'Edit Epic at Mercy',
      'Remove Epic at Mercy',
    ]) {
      expect(screen.getByRole('button', { name }), name).toBeTruthy();
    }
  });

  it('names no one when the EHR did not say who signed in', () => {
    renderRow({ status: 'signed-in', userDisplayName: null, fhirUser: null });
    expect(screen.getByTestId('signed-in-user').textContent).toContain('User unknown: the EHR did not say who signed in');
  });

  it('where the EHR cannot end the session, says what stays behind before signing out', async () => {
    const note = 'Test EHR offers no way to cancel a session remotely: signing out here does not end it at Test EHR.';
    const { onsignout } = renderRow({ status: 'signed-in', signOutNote: note });
    await fireEvent.click(screen.getByTestId('sign-out'));
    expect(onsignout).not.toHaveBeenCalled();
    expect(screen.getByTestId('sign-out-note').textContent).toBe(note);
    await fireEvent.click(screen.getByTestId('confirm-sign-out'));
    expect(onsignout).toHaveBeenCalledOnce();
  });

  it('shows an expired or failed session with its message and offers to sign in again', async () => {
    const { onsignin } = renderRow({ status: 'error', message: 'The EHR refused the sign-in: access_denied.' });
    expect(screen.getByTestId('status-badge').textContent).toBe('Sign-in failed');
    expect(screen.getByText('The EHR refused the sign-in: access_denied.')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('sign-in'));
    expect(onsignin).toHaveBeenCalledOnce();
  });

  it('asks before removing', async () => {
    const { onremove } = renderRow({});
    await fireEvent.click(screen.getByTestId('remove-connection'));
    expect(onremove).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('confirm-remove'));
    expect(onremove).toHaveBeenCalledOnce();
  });

  it('offers neither edit nor remove on a connection locked by IT, and only edit on a managed one', () => {
    renderRow({}, { managed: 'locked' });
    expect(screen.getByText('Locked by IT')).toBeTruthy();
    expect(screen.queryByTestId('edit-connection')).toBeNull();
    expect(screen.queryByTestId('remove-connection')).toBeNull();
  });

  it('lets a managed, editable connection be edited and removed (main remembers the removal)', () => {
    renderRow({}, { managed: 'editable' });
    expect(screen.getByText('Managed by IT')).toBeTruthy();
    expect(screen.getByTestId('edit-connection')).toBeTruthy();
    expect(screen.getByTestId('remove-connection')).toBeTruthy();
  });
});
