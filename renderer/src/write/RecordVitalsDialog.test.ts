import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WriteFlow } from '../lib/state/write-flow.svelte';
import { createFakeApi, fail, ok } from '../testing/fake-api';
import { observation } from '../testing/rows';
import { failed, NO_ROWS, preview, written } from '../testing/writes';
import RecordVitalsDialog from './RecordVitalsDialog.svelte';

function setup() {
  const { api } = createFakeApi();
  api.previewWrite.mockReturnValue(ok(preview()));
  const showRows = vi.fn();
  const onclose = vi.fn();
  const flow = new WriteFlow(api, 'conn-1', showRows);
  const opener = document.createElement('button');
  document.body.append(opener);
  opener.focus();
  const view = render(RecordVitalsDialog, {
    props: { flow, connectionId: 'conn-1', patientId: 'pat-1', patientName: 'Ada Lovelace', onclose },
  });
  return { api, flow, showRows, onclose, opener, view };
}

const type = (label: string | RegExp, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('RecordVitalsDialog', () => {
  beforeEach(() => localStorage.clear());

  it('is a labelled modal dialog that takes the focus, keeps Tab inside, and closes on Escape', async () => {
    const { onclose } = setup();
    const dialog = screen.getByRole('dialog', { name: 'Record vital signs for Ada Lovelace' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Systolic'));
    const focusable = dialog.querySelectorAll<HTMLElement>('button:not([disabled]), input, select');
    const last = focusable[focusable.length - 1]!;
    last.focus();
    await fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(focusable[0]);
    await fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('marks an implausible value beside its field, focuses it, and sends nothing', async () => {
    const { api } = setup();
    await type('Heart rate', '720');
    await fireEvent.click(screen.getByTestId('write-review'));
    const field = screen.getByLabelText('Heart rate');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(error?.textContent).toMatch(/720 \/min is not plausible: it must be between 20 and 300 \/min/);
    expect(document.activeElement).toBe(field);
    expect(api.previewWrite).not.toHaveBeenCalled();
  });

  it('sends each value in the unit the clinician chose, and remembers the units for next time', async () => {
    const { api } = setup();
    await type('Systolic', '128');
    await type('Diastolic', '84');
    await fireEvent.change(screen.getByTestId('unit-temperature'), { target: { value: '[degF]' } });
    await type('Body temperature', '98.6');
    expect(screen.getByText('= 37.0 °C')).toBeTruthy();
    await fireEvent.change(screen.getByTestId('unit-weight'), { target: { value: '[lb_av]' } });
    await type('Body weight', '154');
    await fireEvent.click(screen.getByTestId('write-review'));
    expect(api.previewWrite).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'record-vitals',
        connectionId: 'conn-1',
        patientId: 'pat-1',
        readings: [
          { kind: 'blood-pressure', systolic: 128, diastolic: 84 },
          { kind: 'temperature', value: 98.6, unit: '[degF]' },
          { kind: 'weight', value: 154, unit: '[lb_av]' },
        ],
      }),
    );
    expect(JSON.parse(localStorage.getItem('chartdesk.vital-units') ?? '{}')).toMatchObject({
      temperature: '[degF]',
      weight: '[lb_av]',
    });
  });

  it('shows exactly what will be sent, sends it on confirmation only, and puts the written row in the chart', async () => {
    const { api, showRows } = setup();
    const row = observation({ id: 'obs-new', kind: 'heart-rate', fromChartDesk: true });
    api.submitWrite.mockReturnValue(ok(written({ vitals: [row] })));
    await type('Heart rate', '72');
    await fireEvent.click(screen.getByTestId('write-review'));
    const review = await screen.findByTestId('write-preview');
    expect(within(review).getByText('Heart rate').nextElementSibling?.textContent).toBe('72 /min');
    expect(within(review).getByText('Encounter').nextElementSibling?.textContent).toBe('enc-9');
    const requests = screen.getByTestId('write-requests');
    expect(requests.textContent).toContain('POST http://127.0.0.1:8080/fhir/Observation');
    expect(requests.textContent).toContain('If-None-Exist: identifier=urn:ietf:rfc:3986|urn:uuid:0b1c');
    expect(requests.textContent).toContain('"resourceType": "Observation"');
    expect(document.activeElement?.textContent).toBe('Check what will be sent to Sandbox');
    expect(api.submitWrite).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('write-confirm'));
    expect((await screen.findByTestId('write-done')).textContent).toContain('It is in the chart now');
    expect(screen.getByTestId('write-stored').textContent).toContain('Observation/obs-new, version 1');
    expect(showRows).toHaveBeenCalledWith({ ...NO_ROWS, vitals: [row] });
    expect(document.activeElement?.textContent).toBe('Written to Sandbox');
  });

  it("a failed write shows the EHR's words, keeps the draft, and Retry sends it again", async () => {
    const { api } = setup();
    api.submitWrite
      .mockReturnValueOnce(
        ok(failed('The EHR refused the vitals: a value is missing its unit.', ['Observation.valueQuantity.code is required'])),
      )
      .mockReturnValueOnce(ok(written()));
    await type('Heart rate', '72');
    await fireEvent.click(screen.getByTestId('write-review'));
    await fireEvent.click(await screen.findByTestId('write-confirm'));
    const failure = await screen.findByTestId('write-failure');
    expect(failure.getAttribute('role')).toBe('alert');
    expect(failure.textContent).toContain('The EHR refused the vitals: a value is missing its unit.');
    expect(failure.textContent).toContain('Observation.valueQuantity.code is required');
    await fireEvent.click(screen.getByTestId('write-retry'));
    expect(await screen.findByTestId('write-done')).toBeTruthy();
    expect(api.submitWrite.mock.calls).toEqual([
      ['conn-1', 'draft-1'],
      ['conn-1', 'draft-1'],
    ]);
  });

  it("Change goes back to the form with what was typed; main's refusal is shown on the form", async () => {
    const { api } = setup();
    await type('Heart rate', '72');
    await fireEvent.click(screen.getByTestId('write-review'));
    await fireEvent.click(await screen.findByTestId('write-edit'));
    flushSync();
    expect((screen.getByLabelText('Heart rate') as HTMLInputElement).value).toBe('72');
    expect(document.activeElement).toBe(screen.getByLabelText('Systolic'));
    api.previewWrite.mockReturnValue(fail('invalid-input', 'The time the vitals were taken cannot be in the future.'));
    await fireEvent.click(screen.getByTestId('write-review'));
    expect((await screen.findByTestId('write-form-error')).textContent).toBe(
      'The time the vitals were taken cannot be in the future.',
    );
  });

  it('cannot be closed while the write is on its way', async () => {
    const { api, onclose } = setup();
    api.submitWrite.mockReturnValue(new Promise(() => {}));
    await type('Heart rate', '72');
    await fireEvent.click(screen.getByTestId('write-review'));
    await fireEvent.click(await screen.findByTestId('write-confirm'));
    expect(screen.getByTestId('write-step').dataset['step']).toBe('sending');
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onclose).not.toHaveBeenCalled();
  });
});
