import type { MedicationChoice } from '../../common/writes';
import type { FhirResource } from '../fhir/fhir-client';
import { arr, codedText, codings, conceptText, type Json, obj, resourceId, resourceOf, str } from '../fhir/fhir-read';

/**
 * Medications as the proposal form offers them, and the allergy check of a proposal. Only a coded Medication is
 * offered: the order must name the drug by a code the EHR knows, not by free text.
 */
export function medicationChoice(value: unknown): MedicationChoice | null {
  const medication = resourceOf(value, 'Medication');
  if (!medication || !resourceId(medication) || !codings(medication.code).some((coding) => str(coding.code))) return null;
  return {
    id: resourceId(medication),
    code: codedText(medication.code),
    form: conceptText(medication.form),
    ingredients: ingredients(medication).map((ingredient) => ingredient.name),
  };
}

interface Ingredient {
  name: string;
  codes: Array<{ system: string | null; code: string }>;
}

function ingredients(medication: Json): Ingredient[] {
  return arr(medication.ingredient).flatMap((item) => {
    const concept = obj(item)?.itemCodeableConcept;
    const name = conceptText(concept) ?? str(obj(obj(item)?.itemReference)?.display);
    if (!name) return [];
    const codes = codings(concept).flatMap((coding) => {
      const code = str(coding.code);
      return code ? [{ system: str(coding.system), code }] : [];
    });
    return [{ name, codes }];
  });
}

const words = (text: string) =>
  new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 3),
  );

/**
 * The patient's recorded allergies (refuted, entered-in-error and resolved ones aside) that name an ingredient of
 * the medication, or the medication itself: by the same code and system, or by a word of an ingredient's name among
 * the allergy's words ("penicillin V" and "Allergy to penicillin"). Drug classes are not known here (amoxicillin is
 * a penicillin): the preview says so.
 */
export function allergyWarnings(medication: FhirResource, allergies: readonly unknown[]): string[] {
  const parts = ingredients(medication);
  const medicationName = conceptText(medication.code) ?? 'this medication';
  const coded = [
    ...parts,
    { name: medicationName, codes: codings(medication.code).map((c) => ({ system: str(c.system), code: str(c.code) ?? '' })) },
  ];
  const warnings: string[] = [];
  for (const value of allergies) {
    const allergy = resourceOf(value, 'AllergyIntolerance');
    const substance = allergy && stillRecorded(allergy) ? conceptText(allergy.code) : null;
    if (!allergy || !substance) continue;
    const allergyCodes = codings(allergy.code).map((c) => `${str(c.system)}|${str(c.code)}`);
    const allergyWords = words(substance);
    const match =
      coded.find((part) => part.codes.some((code) => allergyCodes.includes(`${code.system}|${code.code}`))) ??
      parts.find((part) => [...words(part.name)].some((word) => allergyWords.has(word)));
    if (match) warnings.push(`Recorded allergy "${substance}" matches ${match.name}.`);
  }
  return warnings;
}

function stillRecorded(allergy: Json): boolean {
  const verification = codings(allergy.verificationStatus).map((coding) => str(coding.code));
  const clinical = codings(allergy.clinicalStatus).map((coding) => str(coding.code));
  return !verification.some((code) => code === 'refuted' || code === 'entered-in-error') && !clinical.includes('resolved');
}
