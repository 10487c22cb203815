import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { UnfinishedFields } from '../../../common/writes';
import { WriteFlow } from '../lib/state/write-flow.svelte';
import { createFakeApi, ok } from '../testing/fake-api';
import { conflict, medication, preview } from '../testing/writes';
import DiscontinueMedicationDialog from './DiscontinueMedicationDialog.svelte';

function setup(
  orders = [medication(), medication({ id: 'medreq-2', medication: { text: 'metformin 500 MG', system: null, code: null } })],
  restored?: UnfinishedFields<'discontinue-medication'>,
) {
  const { api } = createFakeApi();
  api.previewWrite.mockReturnValue(
    ok(
      preview({
        action: 'discontinue-medication',
        lines: [{ label: 'Medication', value: 'lisinopril 10 MG Oral Tablet' }],
        requests: [
          {
            method: 'PUT',
            url: 'http://127.0.0.1:8080/fhir/MedicationRequest/medreq-1',
            condition: { header: 'If-Match', value: 'W/"1"' },
            body: '{ "status": "stopped" }',
          },
        ],
      }),
    ),
  );
  const showRows = vi.fn();
  const flow = new WriteFlow(api, 'conn-1', showRows);
  render(DiscontinueMedicationDialog, {
    props: { flow, connectionId: 'conn-1', patientId: 'pat-1', patientName: 'Ada Lovelace', orders, onclose: vi.fn(), restored },
  });
  return { api, showRows };
}

describe('DiscontinueMedicationDialog', () => {
  it('asks which order, then sends it with the version the clinician saw (If-Match)', async () => {
    const { api } = setup();
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(screen.getByText('Choose the medication to discontinue.')).toBeTruthy();
    expect(api.previewWrite).not.toHaveBeenCalled();
    await fireEvent.click(screen.getAllByTestId('discontinue-choice')[0]!);
    await fireEvent.input(screen.getByLabelText(/Reason/), { target: { value: 'Cough' } });
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(api.previewWrite).toHaveBeenCalledWith({
      action: 'discontinue-medication',
      connectionId: 'conn-1',
      patientId: 'pat-1',
      medicationRequestId: 'medreq-1',
      reason: 'Cough',
    });
    expect((await screen.findByTestId('write-requests')).textContent).toContain('If-Match: W/"1"');
  });

  it('on a stale version shows what changed, overwrites nothing, and cannot send again', async () => {
    const { api, showRows } = setup();
    api.submitWrite.mockReturnValue(ok(conflict()));
    await fireEvent.click(screen.getAllByTestId('discontinue-choice')[0]!);
    await fireEvent.click(screen.getByTestId('write-review'));
    await fireEvent.click(await screen.findByTestId('write-confirm'));
    const screenOf = await screen.findByTestId('write-conflict');
    expect(screenOf.textContent).toContain('Nothing was changed by ChartDesk.');
    expect(screenOf.textContent).toMatch(/you saw version 1,\s+the EHR now has version 2/);
    const row = within(screen.getByTestId('conflict-differences')).getByRole('row', { name: /Dosage/ });
    expect(row.textContent).toContain('Take 1 tablet by mouth once daily');
    expect(row.textContent).toContain('Take 2 tablets by mouth once daily');
    expect(screen.queryByTestId('write-confirm')).toBeNull();
    expect(screen.queryByTestId('write-retry')).toBeNull();
    expect(showRows).toHaveBeenCalledWith({
      medications: [expect.objectContaining({ dosage: 'Take 2 tablets by mouth once daily' })],
    });
    expect(document.activeElement?.textContent).toBe('Changed in Sandbox since you opened it');
  });

  it('says so when no order is still in effect', () => {
    setup([]);
    expect(screen.getByTestId('no-active-orders')).toBeTruthy();
    expect(screen.queryByTestId('write-review')).toBeNull();
  });

  it('reopened from an unfinished form, chooses its order again only while that order is still in effect', async () => {
    setup(undefined, { medicationRequestId: 'medreq-2', reason: 'Stopped by the patient' });
    const chosen = screen.getAllByTestId('discontinue-choice').filter((input) => (input as HTMLInputElement).checked);
    expect(chosen.map((input) => (input as HTMLInputElement).value)).toEqual(['medreq-2']);
    expect((screen.getByLabelText(/^Reason/) as HTMLInputElement).value).toBe('Stopped by the patient');
  });

  it('reopened for an order no longer in effect, chooses none and asks again', async () => {
    const { api } = setup([medication()], { medicationRequestId: 'medreq-2', reason: '' });
    expect(screen.getAllByTestId('discontinue-choice').some((input) => (input as HTMLInputElement).checked)).toBe(false);
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(api.previewWrite).not.toHaveBeenCalled();
  });
});
