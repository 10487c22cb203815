import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { WriteFlow } from '../lib/state/write-flow.svelte';
import { createFakeApi, ok } from '../testing/fake-api';
import { NO_ROWS, preview } from '../testing/writes';
import WriteNoteDialog from './WriteNoteDialog.svelte';

function setup() {
  const { api } = createFakeApi();
  api.previewWrite.mockReturnValue(ok(preview({ action: 'write-note', lines: [{ label: 'Type', value: 'Consult note' }] })));
  const flow = new WriteFlow(api, 'conn-1', vi.fn());
  render(WriteNoteDialog, {
    props: { flow, connectionId: 'conn-1', patientId: 'pat-1', patientName: 'Ada Lovelace', onclose: vi.fn() },
  });
  return { api };
}

describe('WriteNoteDialog', () => {
  it('offers the short list of note types and categories, and starts on the type', () => {
    setup();
    expect(screen.getByRole('dialog', { name: 'Write a note for Ada Lovelace' })).toBeTruthy();
    const types = [...(screen.getByLabelText('Type') as HTMLSelectElement).options].map((option) => option.textContent);
    expect(types).toEqual(['Progress note', 'Consult note', 'History and physical note', 'Procedure note', 'Discharge summary']);
    expect([...(screen.getByLabelText('Category') as HTMLSelectElement).options].map((option) => option.value)).toEqual([
      'clinical-note',
    ]);
    expect(document.activeElement).toBe(screen.getByLabelText('Type'));
  });

  it('refuses an empty note beside its field and sends nothing', async () => {
    const { api } = setup();
    await fireEvent.input(screen.getByLabelText('Note'), { target: { value: '   ' } });
    await fireEvent.click(screen.getByTestId('write-review'));
    const text = screen.getByLabelText('Note');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('note-error').textContent).toBe('The note is empty: write its text.');
    expect(document.activeElement).toBe(text);
    expect(api.previewWrite).not.toHaveBeenCalled();
  });

  it('asks main to prepare the note as typed, with no title when none was given', async () => {
    const { api } = setup();
    await fireEvent.change(screen.getByLabelText('Type'), { target: { value: '11488-4' } });
    await fireEvent.input(screen.getByLabelText('Note'), { target: { value: 'Seen for follow-up.\nStable.' } });
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(api.previewWrite).toHaveBeenCalledWith({
      action: 'write-note',
      connectionId: 'conn-1',
      patientId: 'pat-1',
      type: '11488-4',
      category: 'clinical-note',
      title: null,
      text: 'Seen for follow-up.\nStable.',
    });
    expect(await screen.findByTestId('write-preview')).toBeTruthy();
  });

  it('once written, says where the note is, without claiming a chart row it does not have', async () => {
    const { api } = setup();
    api.submitWrite.mockReturnValue(
      ok({
        status: 'written',
        draftId: 'draft-1',
        resources: [{ resourceType: 'DocumentReference', id: 'doc-1', versionId: '1' }],
        rows: NO_ROWS,
      }),
    );
    await fireEvent.input(screen.getByLabelText('Note'), { target: { value: 'Stable.' } });
    await fireEvent.click(screen.getByTestId('write-review'));
    await fireEvent.click(await screen.findByTestId('write-confirm'));
    expect((await screen.findByTestId('write-done')).textContent).toContain('no section that lists it');
    expect(screen.getByTestId('write-stored').textContent).toContain('DocumentReference/doc-1, version 1');
  });
});
