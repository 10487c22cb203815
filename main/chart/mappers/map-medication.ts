import type { CodedText, MedicationRow } from '../../../common/chart';
import { formatQuantity } from '../../../common/quantity';
import {
  arr,
  codedText,
  conceptText,
  fhirDate,
  type Json,
  num,
  obj,
  quantity,
  referenceDisplay,
  resourceId,
  resourceOf,
  str,
  UNKNOWN,
} from '../../fhir/fhir-read';
import { containedResource, personReferenceToRead, type ReferenceLookup, referenceName } from './references';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

/**
 * MedicationRequest → row, or withdrawn for an order entered in error (withdrawn.ts; a cancelled order stays a row);
 * null for anything else. The drug comes from medicationCodeableConcept, or medicationReference resolved against
 * contained resources, then `lookup`, then its display. A request with `reportedBoolean` true or a
 * `reportedReference` was reported (Oracle Health's home medications), not ordered: the row says so.
 */
export function medicationOutcome(value: unknown, lookup: ReferenceLookup = () => null): Outcome<MedicationRow> {
  return outcomeOf(value, 'MedicationRequest', (request) => medicationRow(request, lookup));
}

/** The row of a MedicationRequest; null for anything else and for an order entered in error. */
export function mapMedicationRequest(value: unknown, lookup: ReferenceLookup = () => null): MedicationRow | null {
  return rowOf(medicationOutcome(value, lookup));
}

function medicationRow(request: Json, lookup: ReferenceLookup): MedicationRow {
  const status = str(request.status) ?? 'unknown';
  const first = obj(arr(request.dosageInstruction)[0]);
  return {
    id: resourceId(request),
    medication: medicationOf(request, lookup),
    dosage: dosageText(request.dosageInstruction),
    dose: first ? doseText(first) : null,
    route: conceptText(first?.route),
    frequency: first ? frequencyText(first) : null,
    status,
    intent: str(request.intent),
    reported: request.reportedBoolean === true || obj(request.reportedReference) !== null,
    prescriber: referenceName(request.requester, request, lookup),
    authoredOn: fhirDate(request.authoredOn),
  };
}

/**
 * The references main reads before mapping a MedicationRequest: its Medication (when no _include brought it)
 * and its requester when the EHR named no one (Synthea and the sandbox send a bare Practitioner reference).
 */
export function medicationReferencesOf(value: unknown): string[] {
  const request = resourceOf(value, 'MedicationRequest');
  if (!request) return [];
  const medication = str(obj(request.medicationReference)?.reference);
  return [medication && !medication.startsWith('#') ? medication : null, personReferenceToRead(request.requester)].filter(
    (reference): reference is string => reference !== null,
  );
}

function medicationOf(request: Json, lookup: ReferenceLookup): CodedText {
  if (obj(request.medicationCodeableConcept)) return codedText(request.medicationCodeableConcept);
  const reference = obj(request.medicationReference);
  const target = str(reference?.reference);
  const medication = target ? (containedResource(request, target) ?? lookup(target)) : null;
  const resolved = resourceOf(medication, 'Medication');
  if (resolved && conceptText(resolved.code)) return codedText(resolved.code);
  const ingredients = resolved ? ingredientNames(resolved) : null;
  return { text: referenceDisplay(reference) ?? ingredients ?? UNKNOWN, system: null, code: null };
}

/** A Medication without a code named by its ingredients ("Lopinavir, Ritonavir"), as a compounded drug is. */
function ingredientNames(medication: Json): string | null {
  const names = arr(medication.ingredient)
    .map(obj)
    .map((ingredient) => conceptText(ingredient?.itemCodeableConcept) ?? referenceDisplay(ingredient?.itemReference))
    .filter((name): name is string => name !== null);
  return names.length > 0 ? names.join(', ') : null;
}

/** Each instruction's text, else one built from dose, route, timing and "as needed"; joined by "; ". */
export function dosageText(value: unknown): string | null {
  const parts = arr(value)
    .map(obj)
    .filter((dosage): dosage is Json => dosage !== null)
    .map((dosage) => str(dosage.text) ?? builtDosage(dosage))
    .filter((text): text is string => text !== null);
  return parts.length > 0 ? parts.join('; ') : null;
}

function builtDosage(dosage: Json): string | null {
  const pieces = [doseText(dosage), conceptText(dosage.route), frequencyText(dosage)].filter(
    (piece): piece is string => piece !== null,
  );
  return pieces.length > 0 ? pieces.join(', ') : null;
}

/** The dose of one instruction: a quantity ("1 tablet", "500 mg") or a range ("1–2 puffs"). */
function doseText(dosage: Json): string | null {
  const doseAndRate = obj(arr(dosage.doseAndRate)[0]);
  const dose = quantity(doseAndRate?.doseQuantity);
  if (dose) return formatQuantity(dose);
  const range = obj(doseAndRate?.doseRange);
  const low = quantity(range?.low);
  const high = quantity(range?.high);
  return low && high ? `${low.value}–${formatQuantity(high)}` : null;
}

/** How often: the timing's code or repeat, and "as needed" when it says so. */
function frequencyText(dosage: Json): string | null {
  const timing = obj(dosage.timing);
  const pieces = [
    conceptText(timing?.code) ?? repeatText(obj(timing?.repeat)),
    dosage.asNeededBoolean === true ? 'as needed' : conceptText(dosage.asNeededCodeableConcept),
  ].filter((piece): piece is string => piece !== null);
  return pieces.length > 0 ? pieces.join(', ') : null;
}

const PERIOD_UNITS: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  min: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
  mo: ['month', 'months'],
  a: ['year', 'years'],
};

/** Timing.repeat as "2 times per day" or "1 time every 8 hours". */
function repeatText(repeat: Json | null): string | null {
  if (!repeat) return null;
  const frequency = num(repeat.frequency) ?? 1;
  const period = num(repeat.period);
  const unit = PERIOD_UNITS[str(repeat.periodUnit) ?? ''];
  if (period === null || !unit) return null;
  const times = `${frequency} ${frequency === 1 ? 'time' : 'times'}`;
  return period === 1 ? `${times} per ${unit[0]}` : `${times} every ${period} ${unit[1]}`;
}
