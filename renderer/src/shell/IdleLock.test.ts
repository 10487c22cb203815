import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import IdleLock from './IdleLock.svelte';

const patientView = createRawSnippet(() => ({ render: () => '<p data-testid="phi">Jane Doe, MRN 12345</p>' }));

describe('IdleLock (automatic log-off)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('removes patient data from the page after the idle time, and keeps it while the clinician works', async () => {
    render(IdleLock, { minutes: 15, onUnlock: () => Promise.resolve(), children: patientView });
    expect(screen.getByTestId('phi')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    await fireEvent.keyDown(window, { key: 'a' });
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(screen.queryByTestId('phi')).not.toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(screen.queryByTestId('phi')).toBeNull();
    expect(document.body.textContent).not.toContain('Jane Doe');
    expect(screen.getByTestId('idle-lock')).toBeTruthy();
  });

  it('unlocks only after the sessions were re-checked', async () => {
    let release: () => void = () => undefined;
    const onUnlock = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    render(IdleLock, { minutes: 1, onUnlock, children: patientView });
    await vi.advanceTimersByTimeAsync(60_000);
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(onUnlock).toHaveBeenCalledOnce();
    expect(screen.queryByTestId('phi')).toBeNull();
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId('phi')).toBeTruthy();
  });

  it('stays locked and says why when the re-check fails', async () => {
    render(IdleLock, {
      minutes: 1,
      onUnlock: () => Promise.reject(new Error('ChartDesk lost its connection to main.')),
      children: patientView,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByRole('alert').textContent).toContain('lost its connection');
    expect(screen.queryByTestId('phi')).toBeNull();
  });
});
