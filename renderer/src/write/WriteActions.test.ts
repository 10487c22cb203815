import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { WriteAvailabilities } from '../../../common/writes';
import { createFakeApi, fail, NOTHING_OFFERED, ok } from '../testing/fake-api';
import { ALL_OFFERED, draft, medication, NO_ROWS, written } from '../testing/writes';
import WriteActions from './WriteActions.svelte';

function setup(offers: WriteAvailabilities, prepare: (api: ReturnType<typeof createFakeApi>['api']) => void = () => {}) {
  const { api } = createFakeApi();
  api.writeAvailability.mockReturnValue(ok(offers));
  prepare(api);
  const onrows = vi.fn();
  render(WriteActions, {
    props: {
      api,
      connectionId: 'conn-1',
      patientId: 'pat-1',
      patientName: 'Ada Lovelace',
      medications: [medication(), medication({ id: 'medreq-old', status: 'completed' })],
      onrows,
    },
  });
  return { api, onrows };
}

const REFUSED =
  'The EHR did not grant ChartDesk permission to update MedicationRequest resources, so it cannot discontinue a medication. Ask your EHR administrator.';

describe('WriteActions', () => {
  it('offers only what main says may be written, and says why the rest is not', async () => {
    const { api } = setup({ ...ALL_OFFERED, 'discontinue-medication': { offered: false, reason: REFUSED } });
    expect(api.writeAvailability).toHaveBeenCalledWith('conn-1');
    expect(await screen.findByTestId('write-action-record-vitals')).toBeTruthy();
    expect(screen.getByTestId('write-action-write-note')).toBeTruthy();
    expect(screen.getByTestId('write-action-propose-medication')).toBeTruthy();
    expect(screen.queryByTestId('write-action-discontinue-medication')).toBeNull();
    expect(screen.getByTestId('write-refused-list').hasAttribute('open')).toBe(true);
    expect(screen.getByTestId('write-unavailable-discontinue-medication').textContent).toContain(REFUSED);
  });

  it('with writing off, offers nothing and keeps the reasons one click away', async () => {
    setup(NOTHING_OFFERED);
    const list = await screen.findByTestId('write-refused-list');
    expect(list.hasAttribute('open')).toBe(false);
    expect(list.querySelector('summary')?.textContent).toBe('Writing to the EHR is not available here (4)');
    expect(screen.queryByRole('button', { name: /Record vital signs/ })).toBeNull();
  });

  it('opens the dialog of an action, lists only orders still in effect, and gives the focus back on close', async () => {
    setup(ALL_OFFERED);
    const button = await screen.findByTestId('write-action-discontinue-medication');
    button.focus();
    await fireEvent.click(button);
    expect(screen.getByRole('dialog', { name: 'Discontinue a medication for Ada Lovelace' })).toBeTruthy();
    expect(screen.getAllByTestId('discontinue-choice').map((input) => (input as HTMLInputElement).value)).toEqual(['medreq-1']);
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("lists this patient's failed drafts; Retry sends the draft again and its rows join the chart", async () => {
    const { api, onrows } = setup(ALL_OFFERED, (fake) => {
      fake.listDrafts.mockReturnValue(
        ok([draft(), draft({ draftId: 'draft-other', patientId: 'pat-2', patientName: 'Bea Other' })]),
      );
      fake.submitWrite.mockReturnValue(ok(written({}, 'draft-1')));
    });
    const items = await screen.findAllByTestId('write-draft-item');
    expect(items.map((item) => item.dataset['draftId'])).toEqual(['draft-1']);
    expect(screen.getByTestId('write-drafts-elsewhere').textContent).toContain('drafts for Bea Other');
    expect(items[0]?.textContent).toContain('Heart rate: 72 /min');
    expect(items[0]?.textContent).toContain('Last try: The EHR could not be reached');
    api.listDrafts.mockReturnValue(ok([]));
    await fireEvent.click(screen.getByTestId('draft-retry'));
    expect(screen.getByRole('dialog').textContent).toContain('could not be reached');
    expect(screen.queryByTestId('write-edit')).toBeNull();
    await fireEvent.click(screen.getByTestId('write-retry'));
    expect(await screen.findByTestId('write-done')).toBeTruthy();
    expect(api.submitWrite).toHaveBeenCalledWith('conn-1', 'draft-1');
    expect(onrows).toHaveBeenCalledWith('pat-1', NO_ROWS);
    await fireEvent.click(screen.getByTestId('write-close'));
    await waitFor(() => expect(screen.queryByTestId('write-drafts')).toBeNull());
  });

  it('discards a draft only after a second, explicit confirmation', async () => {
    const { api } = setup(ALL_OFFERED, (fake) => fake.listDrafts.mockReturnValue(ok([draft()])));
    await fireEvent.click(await screen.findByTestId('draft-discard'));
    expect(api.discardDraft).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('draft-discard-confirm'));
    expect(api.discardDraft).toHaveBeenCalledWith('conn-1', 'draft-1');
  });

  it('says why a discard main refused did not happen, and keeps the draft listed', async () => {
    const REFUSAL = 'Sign in to this connection first: a draft is offered only to the clinician who started it.';
    const { api } = setup(ALL_OFFERED, (fake) => {
      fake.listDrafts.mockReturnValue(ok([draft()]));
      fake.discardDraft.mockReturnValue(fail('auth', REFUSAL));
    });
    await fireEvent.click(await screen.findByTestId('draft-discard'));
    await fireEvent.click(screen.getByTestId('draft-discard-confirm'));
    expect((await screen.findByTestId('write-draft-error')).textContent).toBe(REFUSAL);
    expect(api.listDrafts).toHaveBeenCalledTimes(2);
    expect(screen.getAllByTestId('write-draft-item')).toHaveLength(1);
  });
});
