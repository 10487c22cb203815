import type { VitalUnit } from '../../../common/vital-entry';
import type { SingleVitalKind } from './vitals-form';

/**
 * The units a clinician last recorded vitals in (°F or °C, lb or kg, in or cm), kept on this computer so that the
 * form opens in them next time. Only unit codes are kept, never a value; the form checks them against each kind.
 */
const KEY = 'chartdesk.vital-units';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function loadUnitChoices(): Partial<Record<SingleVitalKind, VitalUnit>> {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(KEY) ?? '{}');
    return parsed !== null && typeof parsed === 'object' ? (parsed as Partial<Record<SingleVitalKind, VitalUnit>>) : {};
  } catch {
    return {};
  }
}

export function saveUnitChoices(units: Record<SingleVitalKind, VitalUnit>): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(units));
  } catch {
    // A full or refused storage only means the form opens in the default units next time.
  }
}
