import { describe, expect, it } from 'vitest';
import type { ObservationRow } from '../../common/chart';
import { flagText } from '../../common/result-flags';
import { mapObservation } from './mappers/map-observation';
import { realResource } from './testing/real-fixtures';

/**
 * Issue 18, item 3: where the EHR gave no interpretation, ChartDesk computes the flag from the reference
 * range, or for a vital sign from the documented adult range, and says so. Real examples (fixtures/real/
 * SOURCES.md), some with their interpretation removed (derived/).
 */
const flagOf = (file: string) => (mapObservation(realResource(file)) as ObservationRow).flag;

describe('a flag computed from the reference range', () => {
  it('flags a value below the range as Low, marked computed (derived/Observation-VS-197292857-interpretation-removed.json)', () => {
    const flag = flagOf('derived/Observation-VS-197292857-interpretation-removed.json');
    expect(flag).toEqual({ text: 'Low', code: 'L', abnormal: true, source: 'computed', basis: 'reference-range' });
    expect(flagText(flag)).toBe('Low (computed)');
  });

  it('says a value within the range is normal, computed (derived/Observation-f203-interpretation-removed.json)', () => {
    const flag = flagOf('derived/Observation-f203-interpretation-removed.json');
    expect(flag).toMatchObject({ code: 'N', abnormal: false, source: 'computed' });
    expect(flagText(flag)).toBe('Normal (computed)');
  });

  it('never compares a value with a range in another unit (derived/Observation-L-196186655-interpretation-removed.json)', () => {
    expect(flagOf('derived/Observation-L-196186655-interpretation-removed.json')).toBeNull();
  });

  it("keeps the EHR's own flag when it gave one (hl7-r4-examples/Observation-satO2.json)", () => {
    expect(flagOf('hl7-r4-examples/Observation-satO2.json')).toMatchObject({ source: 'ehr-coded' });
  });
});

describe('vital signs flagged against documented adult ranges', () => {
  it.each([
    ['hl7-r4-examples/Observation-heart-rate.json', 'Low (computed, adult range)', true],
    ['hl7-r4-examples/Observation-respiratory-rate.json', 'High (computed, adult range)', true],
    ['hl7-r4-examples/Observation-body-temperature.json', 'Normal (computed, adult range)', false],
    ['hl7-r4-examples/Observation-bmi.json', 'Low (computed, adult range)', true],
    ['derived/Observation-blood-pressure-interpretation-removed.json', 'Normal (computed, adult range)', false],
  ])('%s: %s', (file, text, abnormal) => {
    const flag = flagOf(file);
    expect(flagText(flag)).toBe(text);
    expect(flag?.abnormal).toBe(abnormal);
    expect(flag?.basis).toBe('adult-range');
  });
});
