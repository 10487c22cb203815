import { describe, expect, it, vi } from 'vitest';
import type { WriteRequest } from '../../../../common/writes';
import { createFakeApi, deferred, fail, ok } from '../../testing/fake-api';
import { observation } from '../../testing/rows';
import { conflict, draft, failed, NO_ROWS, preview, written } from '../../testing/writes';
import type { IpcResult } from '../../../../common/ipc-envelope';
import type { WriteResult } from '../../../../common/writes';
import { WriteFlow } from './write-flow.svelte';

const VITALS: WriteRequest = {
  action: 'record-vitals',
  connectionId: 'conn-1',
  patientId: 'pat-1',
  effective: '2026-11-30T09:05:00+00:00',
  readings: [{ kind: 'heart-rate', value: 72, unit: '/min' }],
};

function setup() {
  const { api } = createFakeApi();
  const showRows = vi.fn();
  api.previewWrite.mockReturnValue(ok(preview()));
  const flow = new WriteFlow(api, 'conn-1', showRows);
  return { api, flow, showRows };
}

describe('WriteFlow', () => {
  it('previews before anything is sent, then sends the reviewed draft and shows what was written', async () => {
    const { api, flow, showRows } = setup();
    const row = observation({ id: 'obs-new', kind: 'heart-rate', fromChartDesk: true });
    api.submitWrite.mockReturnValue(ok(written({ vitals: [row] })));
    await flow.review(VITALS);
    expect(api.previewWrite).toHaveBeenCalledWith(VITALS);
    expect(api.submitWrite).not.toHaveBeenCalled();
    expect(flow.step).toBe('reviewing');
    await flow.send();
    expect(api.submitWrite).toHaveBeenCalledWith('conn-1', 'draft-1');
    expect(flow.step).toBe('written');
    expect(showRows).toHaveBeenCalledWith({ ...NO_ROWS, vitals: [row] });
  });

  it("keeps the form with main's sentence when the request cannot be previewed", async () => {
    const { api, flow } = setup();
    api.previewWrite.mockReturnValue(fail('invalid-input', 'The time the vitals were taken cannot be in the future.'));
    await flow.review(VITALS);
    expect(flow.step).toBe('editing');
    expect(flow.formError).toBe('The time the vitals were taken cannot be in the future.');
  });

  it('a failed write keeps its draft; Retry sends that same draft once, however often it is pressed', async () => {
    const { api, flow, showRows } = setup();
    api.submitWrite.mockReturnValueOnce(
      ok(failed('The EHR refused the vitals.', ['Observation.valueQuantity.code: unit must be /min'])),
    );
    await flow.review(VITALS);
    await flow.send();
    expect(flow.step).toBe('failed');
    expect(flow.failure).toEqual({
      message: 'The EHR refused the vitals.',
      details: ['Observation.valueQuantity.code: unit must be /min'],
    });
    expect(flow.draftId).toBe('draft-1');
    expect(api.discardDraft).not.toHaveBeenCalled();

    const pending = deferred<IpcResult<WriteResult>>();
    api.submitWrite.mockReturnValueOnce(pending.promise);
    const first = flow.send();
    const second = flow.send();
    expect(flow.step).toBe('sending');
    pending.resolve({ ok: true, value: written() });
    await Promise.all([first, second]);
    expect(api.submitWrite).toHaveBeenCalledTimes(2);
    expect(api.submitWrite).toHaveBeenLastCalledWith('conn-1', 'draft-1');
    expect(flow.step).toBe('written');
    expect(showRows).toHaveBeenCalledOnce();
  });

  it("a lost answer from main is a failure with the bridge's message, and the draft stays", async () => {
    const { api, flow } = setup();
    api.submitWrite.mockReturnValue(fail('network', 'The EHR could not be reached. Check the network, then retry.'));
    await flow.review(VITALS);
    await flow.send();
    expect(flow.step).toBe('failed');
    expect(flow.failure?.message).toBe('The EHR could not be reached. Check the network, then retry.');
    await flow.cancel();
    expect(api.discardDraft).not.toHaveBeenCalled();
  });

  it('a conflict overwrites nothing: it shows what changed and puts the current order in the chart', async () => {
    const { api, flow, showRows } = setup();
    const result = conflict();
    api.submitWrite.mockReturnValue(ok(result));
    await flow.review(VITALS);
    await flow.send();
    expect(flow.step).toBe('conflict');
    expect(flow.conflict?.differences).toHaveLength(1);
    expect(flow.draftId).toBeNull();
    if (result.status !== 'conflict') throw new Error('unreachable');
    expect(showRows).toHaveBeenCalledWith({ medications: [result.conflict.current] });
    // Sending again is not possible: the clinician decides anew on the current order.
    await flow.send();
    expect(api.submitWrite).toHaveBeenCalledOnce();
  });

  it('leaving the review forgets the unsent draft in main; Change goes back to the form and does the same', async () => {
    const { api, flow } = setup();
    await flow.review(VITALS);
    await flow.edit();
    expect(flow.step).toBe('editing');
    expect(api.discardDraft).toHaveBeenCalledWith('conn-1', 'draft-1');
    await flow.review(VITALS);
    await flow.cancel();
    expect(api.discardDraft).toHaveBeenCalledTimes(2);
  });

  it('takes up a draft from the list: it can be sent or discarded, not edited', async () => {
    const { api, flow } = setup();
    flow.resume(draft({ draftId: 'draft-7' }));
    expect(flow.step).toBe('failed');
    expect(flow.failure?.message).toMatch(/could not be reached/);
    await flow.edit();
    expect(flow.step).toBe('failed');
    api.submitWrite.mockReturnValue(ok(written({}, 'draft-7')));
    await flow.send();
    expect(api.submitWrite).toHaveBeenCalledWith('conn-1', 'draft-7');
    expect(flow.step).toBe('written');
  });
});
