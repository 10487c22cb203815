import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { MedicationChoice, UnfinishedFields } from '../../../common/writes';
import { WriteFlow } from '../lib/state/write-flow.svelte';
import { createFakeApi, fail, ok } from '../testing/fake-api';
import { preview } from '../testing/writes';
import ProposeMedicationDialog from './ProposeMedicationDialog.svelte';

// The sandbox's catalog entry (sandbox/data/medication-catalog.ts), as main maps it.
const AMOXICILLIN: MedicationChoice = {
  id: 'sbx-med-amoxicillin-250',
  code: { text: 'Amoxicillin 250 MG Oral Capsule', system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '308182' },
  form: null,
  ingredients: ['amoxicillin'],
};

function setup(restored?: UnfinishedFields<'propose-medication'>) {
  const { api } = createFakeApi();
  api.searchMedications.mockReturnValue(ok([AMOXICILLIN]));
  api.previewWrite.mockReturnValue(
    ok(
      preview({
        action: 'propose-medication',
        lines: [{ label: 'Medication', value: 'Amoxicillin 250 MG Oral Capsule' }],
        warnings: ['Amoxicillin matches a recorded allergy: Allergy to penicillin (high criticality).'],
      }),
    ),
  );
  const flow = new WriteFlow(api, 'conn-1', vi.fn());
  render(ProposeMedicationDialog, {
    props: { api, flow, connectionId: 'conn-1', patientId: 'pat-1', patientName: 'Ada Lovelace', onclose: vi.fn(), restored },
  });
  return { api };
}

describe('ProposeMedicationDialog', () => {
  it("chooses the medication from the EHR's search only, and asks for dose and sig", async () => {
    const { api } = setup();
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(screen.getByTestId('propose-error-medication').textContent).toMatch(/Search the EHR’s medications/);
    expect(screen.getByTestId('propose-error-dose')).toBeTruthy();
    expect(screen.getByTestId('propose-error-sig')).toBeTruthy();
    expect(api.previewWrite).not.toHaveBeenCalled();

    await fireEvent.input(screen.getByLabelText('Medication'), { target: { value: 'amox' } });
    await fireEvent.keyDown(screen.getByLabelText('Medication'), { key: 'Enter' });
    expect(api.searchMedications).toHaveBeenCalledWith('conn-1', 'amox');
    const choice = await screen.findByRole('radio', { name: /Amoxicillin 250 MG Oral Capsule/ });
    expect(screen.getByText(/1 medication found for “amox”/)).toBeTruthy();
    await fireEvent.click(choice);
    await fireEvent.input(screen.getByLabelText('Dose'), { target: { value: '250' } });
    await fireEvent.change(screen.getByLabelText('Dose unit'), { target: { value: 'mg' } });
    await fireEvent.input(screen.getByLabelText('Instructions (sig)'), {
      target: { value: '1 capsule by mouth three times a day' },
    });
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(api.previewWrite).toHaveBeenCalledWith({
      action: 'propose-medication',
      connectionId: 'conn-1',
      patientId: 'pat-1',
      medicationId: 'sbx-med-amoxicillin-250',
      dose: { value: 250, unit: 'mg' },
      sig: '1 capsule by mouth three times a day',
    });
    // The allergy match main found is read before anything is sent.
    expect((await screen.findByTestId('write-warnings')).textContent).toContain('matches a recorded allergy');
  });

  it('says when the search finds nothing, and when it fails', async () => {
    const { api } = setup();
    api.searchMedications.mockReturnValueOnce(ok([]));
    await fireEvent.input(screen.getByLabelText('Medication'), { target: { value: 'zzz' } });
    await fireEvent.click(screen.getByTestId('propose-search'));
    expect(await screen.findByText('The EHR has no medication matching “zzz”.')).toBeTruthy();
    api.searchMedications.mockReturnValueOnce(fail('network', 'The EHR could not be reached.'));
    await fireEvent.click(screen.getByTestId('propose-search'));
    expect((await screen.findByTestId('propose-error-search')).textContent).toBe('The EHR could not be reached.');
  });

  it('reopened from an unfinished form, searches its words again and shows the medication it had chosen', async () => {
    const { api } = setup({ query: 'amox', medicationId: AMOXICILLIN.id, dose: '250', unit: 'mg', sig: 'three times a day' });
    expect(api.searchMedications).toHaveBeenCalledWith('conn-1', 'amox');
    await vi.waitFor(() => expect(screen.getAllByTestId('propose-choice')).toHaveLength(1));
    expect((screen.getByTestId('propose-choice') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Dose') as HTMLInputElement).value).toBe('250');
    expect((screen.getByLabelText('Instructions (sig)') as HTMLTextAreaElement).value).toBe('three times a day');
  });
});
