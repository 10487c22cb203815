import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../../common/ipc-envelope';
import type { UnfinishedSummary } from '../../../common/writes';
import { createFakeApi, deferred, fail, ok } from '../testing/fake-api';
import LockedWriteActions from '../testing/LockedWriteActions.svelte';
import { ALL_OFFERED, medication, preview } from '../testing/writes';

const NOTE = 'Chest pain since Tuesday, worse on exertion';

function setup(prepare: (api: ReturnType<typeof createFakeApi>['api']) => void = () => {}) {
  const { api } = createFakeApi();
  api.writeAvailability.mockReturnValue(ok(ALL_OFFERED));
  prepare(api);
  render(LockedWriteActions, {
    props: {
      minutes: 5,
      api,
      connectionId: 'conn-1',
      patientId: 'pat-1',
      patientName: 'Ada Lovelace',
      medications: [medication()],
      onrows: vi.fn(),
    },
  });
  return { api };
}

async function openNoteAndType(text: string) {
  await vi.advanceTimersByTimeAsync(0);
  await fireEvent.click(screen.getByTestId('write-action-write-note'));
  await fireEvent.input(screen.getByLabelText('Note'), { target: { value: text } });
}

const lockAfterIdle = () => vi.advanceTimersByTimeAsync(5 * 60_000);

async function unlock() {
  await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
  await vi.advanceTimersByTimeAsync(0);
}

const saved = (overrides: Partial<UnfinishedSummary> = {}): UnfinishedSummary => ({
  draftId: 'unf-1',
  action: 'write-note',
  connectionId: 'conn-1',
  patientId: 'pat-1',
  savedAt: '2026-11-30T10:05:00Z',
  savedOnDisk: true,
  ...overrides,
});

describe('the idle lock over a write form', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands a changed form to main before hiding it, and offers it again in the same chart after unlock', async () => {
    const { api } = setup();
    await openNoteAndType(NOTE);
    await lockAfterIdle();

    expect(screen.getByTestId('idle-lock')).toBeTruthy();
    expect(document.body.textContent).not.toContain('Chest pain');
    expect(api.keepUnfinishedWrite).toHaveBeenCalledExactlyOnceWith({
      connectionId: 'conn-1',
      patientId: 'pat-1',
      form: { action: 'write-note', fields: { type: '11506-3', category: 'clinical-note', title: '', text: NOTE } },
    });
    expect(api.previewWrite).not.toHaveBeenCalled();

    api.listUnfinishedWrites.mockReturnValue(ok([saved()]));
    api.resumeUnfinishedWrite.mockReturnValue(
      ok({
        draftId: 'unf-1',
        patientId: 'pat-1',
        savedAt: '2026-11-30T10:05:00Z',
        notice: null,
        form: { action: 'write-note', fields: { type: '11488-4', category: 'clinical-note', title: 'Follow-up', text: NOTE } },
      }),
    );
    await unlock();
    const item = screen.getByTestId('write-unfinished-item');
    expect(item.textContent).toContain('Saved when ChartDesk locked');
    expect(item.textContent).toContain('not sent');

    await fireEvent.click(screen.getByTestId('unfinished-resume'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.resumeUnfinishedWrite).toHaveBeenCalledWith('conn-1', 'pat-1', 'unf-1');
    expect(screen.getByRole('dialog', { name: 'Write a note for Ada Lovelace' })).toBeTruthy();
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe(NOTE);
    expect((screen.getByLabelText('Type') as HTMLSelectElement).value).toBe('11488-4');
    expect((screen.getByLabelText(/^Title/) as HTMLInputElement).value).toBe('Follow-up');
    expect(screen.getByTestId('write-resumed').textContent).toContain('Saved when ChartDesk locked');

    // Going on is the usual review: nothing is sent before it.
    api.previewWrite.mockReturnValue(ok(preview({ action: 'write-note' })));
    await fireEvent.click(screen.getByTestId('write-review'));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.previewWrite).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'write-note', text: NOTE, title: 'Follow-up' }),
    );
    expect(api.submitWrite).not.toHaveBeenCalled();
  });

  it('unlocks only once main has the form, so the chart it comes back to lists it', async () => {
    const kept = deferred<IpcResult<null>>();
    const { api } = setup((api) => api.keepUnfinishedWrite.mockReturnValue(kept.promise));
    await openNoteAndType(NOTE);
    await lockAfterIdle();
    api.listUnfinishedWrites.mockReturnValue(ok([saved()]));
    await unlock();
    expect(screen.getByTestId('idle-lock')).toBeTruthy();
    kept.resolve({ ok: true, value: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.queryByTestId('idle-lock')).toBeNull();
    expect(screen.getByTestId('write-unfinished-item')).toBeTruthy();
  });

  it('keeps nothing of a form that was opened and left untouched', async () => {
    const { api } = setup();
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('write-action-record-vitals'));
    expect(screen.getByTestId('vitals-form')).toBeTruthy();
    await lockAfterIdle();
    expect(screen.getByTestId('idle-lock')).toBeTruthy();
    expect(screen.queryByTestId('vitals-form')).toBeNull();
    expect(api.keepUnfinishedWrite).not.toHaveBeenCalled();
  });

  it('hands over a changed vitals form as plain data, in the units the clinician chose', async () => {
    const { api } = setup();
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.click(screen.getByTestId('write-action-record-vitals'));
    await fireEvent.input(screen.getByLabelText('Heart rate'), { target: { value: '72' } });
    await fireEvent.change(screen.getByTestId('unit-temperature'), { target: { value: '[degF]' } });
    await lockAfterIdle();
    const [request] = api.keepUnfinishedWrite.mock.calls[0]!;
    // What crosses the IPC boundary must survive structured cloning (no reactive proxies).
    const sent = structuredClone(request);
    expect(sent.form.action).toBe('record-vitals');
    if (sent.form.action !== 'record-vitals') return;
    expect(sent.form.fields.values['heart-rate']).toBe('72');
    expect(sent.form.fields.units.temperature).toBe('[degF]');
  });

  it('hands over a form under review and forgets its preview, which nobody confirmed', async () => {
    const { api } = setup((api) => api.previewWrite.mockReturnValue(ok(preview({ action: 'write-note', draftId: 'draft-9' }))));
    await openNoteAndType(NOTE);
    await fireEvent.click(screen.getByTestId('write-review'));
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId('write-confirm')).toBeTruthy();
    await lockAfterIdle();
    expect(api.keepUnfinishedWrite).toHaveBeenCalledWith(expect.objectContaining({ patientId: 'pat-1' }));
    expect(api.discardDraft).toHaveBeenCalledWith('conn-1', 'draft-9');
    expect(api.submitWrite).not.toHaveBeenCalled();
  });

  it('says on the lock screen when main could not keep the form', async () => {
    setup((api) => api.keepUnfinishedWrite.mockReturnValue(fail('invalid-input', 'form.fields.dose: Too big')));
    await openNoteAndType(NOTE);
    await lockAfterIdle();
    const alert = screen.getByTestId('idle-lock-handover-error').textContent;
    expect(alert).toContain('An unfinished entry could not be kept');
    expect(alert).toContain('Too big');
  });

  it("lists another patient's unfinished form without offering it here, and discards one of this chart", async () => {
    const { api } = setup((api) =>
      api.listUnfinishedWrites.mockReturnValue(ok([saved(), saved({ draftId: 'unf-2', patientId: 'pat-2' })])),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getAllByTestId('write-unfinished-item').map((item) => item.dataset['draftId'])).toEqual(['unf-1']);
    expect(screen.getByTestId('write-unfinished-elsewhere').textContent).toContain("another patient's chart");
    await fireEvent.click(screen.getByTestId('draft-discard'));
    await fireEvent.click(screen.getByTestId('draft-discard-confirm'));
    expect(api.discardDraft).toHaveBeenCalledWith('conn-1', 'unf-1');
    expect(api.resumeUnfinishedWrite).not.toHaveBeenCalled();
  });
});
