import { describe, expect, it } from 'vitest';
import { parseSearchBundle, type SearchPage } from '../fhir/search-bundle';
import { believableTotal, pageNotices } from './page-checks';
import { readReal } from './testing/real-fixtures';

/** A recorded searchset as the FHIR client reads it. */
const page = (file: string, resourceType: string): SearchPage => parseSearchBundle(readReal(file), resourceType, 'test');

describe('what the EHR says beside its results', () => {
  it('says the EHR withheld results, in its own words (derived/Bundle-epic-labs-withheld.json: Epic 59204)', () => {
    expect(pageNotices(page('derived/Bundle-epic-labs-withheld.json', 'Observation'))).toEqual([
      'The EHR withheld some results: Client not authorized for Observation - Outside Record Results. Search results of this type have not been included.',
    ]);
  });

  it('passes on any other warning (hl7-r4-examples/Bundle-bundle-search-warning.json)', () => {
    expect(pageNotices(page('hl7-r4-examples/Bundle-bundle-search-warning.json', 'Observation'))).toEqual([
      'The EHR noted: There is no matching patient for MRN 123456',
    ]);
  });

  it('counts an informational "suppressed" issue as withheld (hl7-r4-examples/OperationOutcome-break-the-glass.json)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: readReal('hl7-r4-examples/OperationOutcome-break-the-glass.json'), search: { mode: 'outcome' } }],
    };
    expect(pageNotices(parseSearchBundle(bundle, 'Observation', 'test'))).toEqual([
      'The EHR withheld some results: Additional information may be available using the Break-The-Glass Protocol',
    ]);
  });

  it('says nothing for a page without outcomes (oracle-health/r4-observation-bundle.json)', () => {
    expect(pageNotices(page('oracle-health/r4-observation-bundle.json', 'Observation'))).toEqual([]);
  });
});

describe('Bundle.total', () => {
  it('is not a total when it is the page size while a next link follows (derived/Bundle-bundle-example-total-page-size.json)', () => {
    const read = page('derived/Bundle-bundle-example-total-page-size.json', 'MedicationRequest');
    expect(read).toMatchObject({ total: 2, entryCount: 2, next: expect.any(String) as string });
    expect(believableTotal(read, read.matches.length)).toBeNull();
  });

  it('is a total when it counts more than this page (hl7-r4-examples/Bundle-bundle-example.json: total 3, a next link)', () => {
    const read = page('hl7-r4-examples/Bundle-bundle-example.json', 'MedicationRequest');
    expect(believableTotal(read, read.matches.length)).toBe(3);
  });

  it('is not a total when fewer than what arrived (oracle-health/r4-condition-bundle.json: total 2, 3 entries)', () => {
    const read = page('oracle-health/r4-condition-bundle.json', 'Condition');
    expect(believableTotal(read, read.matches.length)).toBeNull();
  });

  it('is not a total when no more than what arrived while more pages follow ("1000 of 1000 received")', () => {
    const read = page('hl7-r4-examples/Bundle-bundle-example.json', 'MedicationRequest');
    expect(believableTotal(read, 3)).toBeNull();
    expect(believableTotal({ ...read, next: null }, 3)).toBe(3);
  });
});
