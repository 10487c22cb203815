import { describe, expect, it } from 'vitest';
import type { PatientSearchResult } from '../../../../common/chart';
import type { IpcResult } from '../../../../common/ipc-envelope';
import { createFakeApi, deferred, ok } from '../../testing/fake-api';
import { PatientSelection } from './patient-selection.svelte';

const patient = (id: string, name: string): PatientSearchResult => ({ id, name, birthDate: null, sex: null, mrn: null });

describe('PatientSelection', () => {
  it('sends only the filled fields, validated as main will', async () => {
    const { api } = createFakeApi();
    const selection = new PatientSelection(api, 'conn-1');
    await selection.search({ name: '  Ada ', birthDate: '', identifier: '' });
    expect(api.searchPatients).toHaveBeenCalledWith('conn-1', { name: 'Ada' });

    await selection.search({ name: '', birthDate: '12/10/1980', identifier: '' });
    expect(selection.error).toMatch(/write it as 2 Apr 1980 or 1980-04-02/);
    await selection.search({ name: ' ', birthDate: '', identifier: '' });
    expect(selection.error).toMatch(/name, a birth date or an identifier/);
    expect(api.searchPatients).toHaveBeenCalledTimes(1);
  });

  it('keeps the results of the latest search when an earlier one answers late', async () => {
    const { api } = createFakeApi();
    const slow = deferred<IpcResult<PatientSearchResult[]>>();
    api.searchPatients.mockReturnValueOnce(slow.promise).mockReturnValueOnce(ok([patient('p2', 'Bea')]));
    const selection = new PatientSelection(api, 'conn-1');
    const first = selection.search({ name: 'Al', birthDate: '', identifier: '' });
    await selection.search({ name: 'Bea', birthDate: '', identifier: '' });
    slow.resolve({ ok: true, value: [patient('p1', 'Al')] });
    await first;
    expect(selection.results?.map((result) => result.id)).toEqual(['p2']);
    expect(selection.searching).toBe(false);
  });
});
