import { describe, expect, it } from 'vitest';
import { VITAL_CODES_READ } from '../../common/vital-codes';
import { VITAL_ENTRY_KINDS, type VitalReading } from '../../common/vital-entry';
import { buildVitalObservations } from '../writes/build-vitals';
import { mapObservation } from './mappers/map-observation';

/** common/vital-codes.ts is the one table both ways: what ChartDesk writes, it reads back as the same kind. */
describe('the vital-sign LOINC table', () => {
  const readings: Record<(typeof VITAL_ENTRY_KINDS)[number], VitalReading> = {
    'blood-pressure': { kind: 'blood-pressure', systolic: 120, diastolic: 80 },
    'heart-rate': { kind: 'heart-rate', value: 70, unit: '/min' },
    'respiratory-rate': { kind: 'respiratory-rate', value: 16, unit: '/min' },
    temperature: { kind: 'temperature', value: 36.8, unit: 'Cel' },
    spo2: { kind: 'spo2', value: 97, unit: '%' },
    weight: { kind: 'weight', value: 70, unit: 'kg' },
    height: { kind: 'height', value: 170, unit: 'cm' },
  };

  it.each(VITAL_ENTRY_KINDS)('reads a %s reading ChartDesk wrote back as that kind, with its value', (kind) => {
    const authoring = { patientId: 'p1', encounterId: null, author: null, now: '2026-11-30T10:00:00.000Z' };
    const [written] = buildVitalObservations([readings[kind]], '2026-11-30T09:00:00Z', authoring);
    const row = mapObservation({ ...written, id: 'written' });
    expect(row?.kind).toBe(kind);
    expect(row?.value !== null || row?.valueText === '120/80 mmHg').toBe(true);
  });

  it('reads no code as two kinds', () => {
    const codes = VITAL_CODES_READ.flatMap(([, read]) => read);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
