import { describe, expect, it } from 'vitest';
import { emptyVitalsDraft, otherUnitHint, readVitals, toOffsetDateTime, type VitalsDraft } from './vitals-form';

const NOW = new Date(2026, 10, 30, 9, 5);

function filled(change: (draft: VitalsDraft) => void): VitalsDraft {
  const draft = emptyVitalsDraft(NOW);
  change(draft);
  return draft;
}

describe('the vitals form', () => {
  it('opens at the current minute, in the default units unless others were chosen (and only valid ones)', () => {
    const draft = emptyVitalsDraft(NOW, { temperature: '[degF]', weight: 'cm' as never });
    expect(draft.takenAt).toBe('2026-11-30T09:05');
    expect(draft.units).toMatchObject({ temperature: '[degF]', weight: 'kg', height: 'cm' });
  });

  it('reads only the filled fields, each in the unit chosen beside it', () => {
    const result = readVitals(
      filled((draft) => {
        draft.systolic = '128';
        draft.diastolic = '84';
        draft.values.temperature = '98,6';
        draft.units.temperature = '[degF]';
        draft.values.weight = '154';
        draft.units.weight = '[lb_av]';
      }),
    );
    expect(result.errors).toEqual({});
    expect(result.readings).toEqual([
      { kind: 'blood-pressure', systolic: 128, diastolic: 84 },
      { kind: 'temperature', value: 98.6, unit: '[degF]' },
      { kind: 'weight', value: 154, unit: '[lb_av]' },
    ]);
    expect(result.effective).toMatch(/^2026-11-30T09:05:00[+-]\d{2}:\d{2}$/);
  });

  it('marks each implausible or unreadable value beside its field, and sends none of them', () => {
    const result = readVitals(
      filled((draft) => {
        draft.systolic = '120';
        draft.values['heart-rate'] = '720';
        draft.values.temperature = '98.6';
        draft.values.spo2 = 'ninety';
      }),
    );
    expect(result.errors['blood-pressure']).toBe('Enter both the systolic and the diastolic pressure.');
    expect(result.errors['heart-rate']).toMatch(/heart rate of 720 \/min is not plausible/i);
    // 98.6 in °C (the unit left selected) is a typo of unit: the message says so.
    expect(result.errors.temperature).toMatch(/98\.6 °C is not plausible.*Check the value and its unit/);
    expect(result.errors.spo2).toBe('Oxygen saturation (SpO2) must be a number.');
    expect(result.readings).toEqual([]);
  });

  it('asks for at least one vital sign, and for a time', () => {
    expect(readVitals(emptyVitalsDraft(NOW)).errors).toEqual({ 'blood-pressure': 'Enter at least one vital sign.' });
    const noTime = readVitals(
      filled((draft) => {
        draft.takenAt = '';
        draft.values['heart-rate'] = '72';
      }),
    );
    expect(noTime.errors).toEqual({ takenAt: 'Give the date and time the vitals were taken.' });
    expect(noTime.effective).toBeNull();
  });

  it('writes the local time with its offset, and refuses a date that does not exist', () => {
    expect(toOffsetDateTime('2026-02-30T10:00')).toBeNull();
    const offset = -new Date(2026, 5, 1, 12, 0).getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
    const mm = String(Math.abs(offset) % 60).padStart(2, '0');
    expect(toOffsetDateTime('2026-06-01T12:00')).toBe(`2026-06-01T12:00:00${sign}${hh}:${mm}`);
  });

  it('shows the value in the other unit as a check for the eye', () => {
    expect(otherUnitHint('temperature', '98.6', '[degF]')).toBe('= 37.0 °C');
    expect(otherUnitHint('weight', '70', 'kg')).toBe('= 154.3 lb');
    expect(otherUnitHint('heart-rate', '72', '/min')).toBeNull();
    expect(otherUnitHint('weight', '', 'kg')).toBeNull();
  });
});
