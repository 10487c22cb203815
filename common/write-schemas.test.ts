import { describe, expect, it } from 'vitest';
import { unfinishedWriteRequest, writeRequest } from './write-schemas';

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

describe('an unfinished form crossing the IPC boundary (write:keep-unfinished)', () => {
  const emptyValues = { 'heart-rate': '', 'respiratory-rate': '', temperature: '', spo2: '', weight: '', height: '' };
  const units = { 'heart-rate': '/min', 'respiratory-rate': '/min', temperature: 'Cel', spo2: '%', weight: 'kg', height: 'cm' };
  const halfVitals = {
    connectionId: 'c1',
    patientId: 'pat-1',
    form: {
      action: 'record-vitals',
      // Half typed: neither a valid time nor a number yet, and that is what must be kept.
      fields: { takenAt: '2026-11-30T1', systolic: '12', diastolic: '', values: { ...emptyValues, 'heart-rate': '7x' }, units },
    },
  };
  const note = {
    connectionId: 'c1',
    patientId: 'pat-1',
    form: { action: 'write-note', fields: { type: '11506-3', category: 'clinical-note', title: '', text: 'S: chest pa' } },
  };

  it('accepts what a form holds while it is being filled, valid or not', () => {
    expect(unfinishedWriteRequest.safeParse(halfVitals).success).toBe(true);
    expect(unfinishedWriteRequest.safeParse(note).success).toBe(true);
    const propose = {
      connectionId: 'c1',
      patientId: 'pat-1',
      form: { action: 'propose-medication', fields: { query: 'amox', medicationId: null, dose: '', unit: 'mg', sig: '' } },
    };
    expect(unfinishedWriteRequest.safeParse(propose).success).toBe(true);
    const discontinue = {
      connectionId: 'c1',
      patientId: 'pat-1',
      form: { action: 'discontinue-medication', fields: { medicationRequestId: 'medreq-1', reason: '' } },
    };
    expect(unfinishedWriteRequest.safeParse(discontinue).success).toBe(true);
  });

  it('refuses unknown keys, a unit a kind is not entered in, ids that are not ids, and text past its field', () => {
    const refused = (input: unknown) => !unfinishedWriteRequest.safeParse(input).success;
    expect(refused({ ...note, extra: 1 })).toBe(true);
    expect(refused({ ...note, form: { ...note.form, fields: { ...note.form.fields, author: 'x' } } })).toBe(true);
    expect(refused({ ...note, patientId: '../Patient/2' })).toBe(true);
    expect(refused({ ...note, connectionId: 'c 1' })).toBe(true);
    expect(refused({ ...note, form: { ...note.form, fields: { ...note.form.fields, text: 'x'.repeat(100_001) } } })).toBe(true);
    const kgTemperature = { ...halfVitals.form.fields, units: { ...units, temperature: 'kg' } };
    expect(refused({ ...halfVitals, form: { action: 'record-vitals', fields: kgTemperature } })).toBe(true);
    const missingKind = { ...halfVitals.form.fields, values: { 'heart-rate': '72' } };
    expect(refused({ ...halfVitals, form: { action: 'record-vitals', fields: missingKind } })).toBe(true);
    expect(refused({ ...note, form: { action: 'delete-patient', fields: {} } })).toBe(true);
  });
});
