import { describe, expect, it } from 'vitest';
import { writeRequest } from './write-schemas';

const vitals = {
  action: 'record-vitals',
  connectionId: 'c1',
  patientId: 'pat-1',
  effective: '2026-11-30T10:30:00+01:00',
  readings: [
    { kind: 'blood-pressure', systolic: 128, diastolic: 84 },
    { kind: 'temperature', value: 99.1, unit: '[degF]' },
  ],
};

function clinicianMessages(input: unknown): string[] {
  const parsed = writeRequest.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.filter((issue) => issue.code === 'custom').map((issue) => issue.message);
}

describe('write requests crossing the IPC boundary', () => {
  it('accepts a set of vitals, a note, a proposal and a discontinuation', () => {
    expect(writeRequest.safeParse(vitals).success).toBe(true);
    const note = {
      action: 'write-note',
      connectionId: 'c1',
      patientId: 'p',
      type: '11506-3',
      category: 'clinical-note',
      title: null,
      text: 'S: well',
    };
    expect(writeRequest.safeParse(note).success).toBe(true);
    const propose = {
      action: 'propose-medication',
      connectionId: 'c1',
      patientId: 'p',
      medicationId: 'med-1',
      dose: { value: 500, unit: 'mg' },
      sig: 'twice a day',
    };
    expect(writeRequest.safeParse(propose).success).toBe(true);
    const stop = {
      action: 'discontinue-medication',
      connectionId: 'c1',
      patientId: 'p',
      medicationRequestId: 'mr-1',
      reason: null,
    };
    expect(writeRequest.safeParse(stop).success).toBe(true);
  });

  it('refuses an implausible reading with the sentence the clinician reads', () => {
    const input = { ...vitals, readings: [{ kind: 'temperature', value: 99.1, unit: 'Cel' }] };
    expect(clinicianMessages(input)).toEqual([expect.stringContaining('A body temperature of 99.1 °C is not plausible')]);
  });

  it('refuses a future time, a kind entered twice, an empty note, unknown keys and an author chosen by the renderer', () => {
    expect(clinicianMessages({ ...vitals, effective: '2999-01-01T00:00:00Z' })).toEqual([
      'The time the vitals were taken cannot be in the future.',
    ]);
    expect(clinicianMessages({ ...vitals, readings: [vitals.readings[0], vitals.readings[0]] })).toEqual([
      'Each vital sign can be entered once per set.',
    ]);
    const note = {
      action: 'write-note',
      connectionId: 'c1',
      patientId: 'p',
      type: '11506-3',
      category: 'clinical-note',
      title: null,
      text: '  ',
    };
    expect(clinicianMessages(note)).toEqual(['The note is empty.']);
    expect(writeRequest.safeParse({ ...note, text: 'x', author: 'Practitioner/evil' }).success).toBe(false);
    expect(writeRequest.safeParse({ ...vitals, effective: '2026-11-30 10:30' }).success).toBe(false);
    expect(writeRequest.safeParse({ ...note, text: 'x', type: '99999-9' }).success).toBe(false);
  });
});
