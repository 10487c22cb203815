import { describe, expect, it } from 'vitest';
import { searchCapabilities } from './search-capabilities';

const statement = (rest: unknown) => ({ resourceType: 'CapabilityStatement', rest: [rest] });
const observation = (params: string[]) => ({ type: 'Observation', searchParam: params.map((name) => ({ name, type: 'token' })) });

describe('what an EHR says its Observation searches can do', () => {
  it('finds _sort in rest.searchParam (as Medplum lists it) or in the resource’s own list, and date windows with the date parameter', () => {
    expect(
      searchCapabilities(statement({ resource: [observation(['patient', 'date'])], searchParam: [{ name: '_sort' }] })),
    ).toEqual({
      sortsByDate: true,
      searchesByDate: true,
      includes: [],
    });
    expect(searchCapabilities(statement({ resource: [observation(['patient', 'date', '_sort'])] }))).toEqual({
      sortsByDate: true,
      searchesByDate: true,
      includes: [],
    });
    expect(searchCapabilities(statement({ resource: [observation(['patient', 'date'])] }))).toEqual({
      sortsByDate: false,
      searchesByDate: true,
      includes: [],
    });
  });

  it('sorts by date only where it can search by date, and reads odd statements as offering nothing', () => {
    expect(searchCapabilities(statement({ resource: [observation(['patient', '_sort'])] }))).toEqual({
      sortsByDate: false,
      searchesByDate: false,
      includes: [],
    });
    for (const odd of [null, 'x', { rest: 'x' }, { rest: [{ resource: [{ type: 'Observation', searchParam: [null, 7] }] }] }]) {
      expect(searchCapabilities(odd)).toEqual({ sortsByDate: false, searchesByDate: false, includes: [] });
    }
  });

  it('lists the _include values each resource names for its own type (searchInclude), and nothing else', () => {
    const found = searchCapabilities(
      statement({
        resource: [
          { type: 'MedicationRequest', searchInclude: ['MedicationRequest:medication', 'MedicationRequest:requester'] },
          { type: 'Encounter', searchInclude: ['Encounter:participant', 'Patient:organization', 7] },
          { type: 'Condition', searchInclude: 'Condition:subject' },
        ],
      }),
    );
    expect(found.includes).toEqual(['MedicationRequest:medication', 'MedicationRequest:requester', 'Encounter:participant']);
  });
});
