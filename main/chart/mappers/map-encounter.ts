import type { EncounterDiagnosis, EncounterParticipant, EncounterRow } from '../../../common/chart';
import {
  arr,
  codedText,
  conceptText,
  fhirDate,
  type Json,
  num,
  obj,
  referencedId,
  resourceId,
  resourceOf,
  str,
} from '../../fhir/fhir-read';
import { personReferenceToRead, type ReferenceLookup, referenceName } from './references';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** The v3 ActCode encounter classes in words, for a class sent without a display. */
const ACT_CODE_CLASSES: Record<string, string> = {
  AMB: 'Ambulatory',
  EMER: 'Emergency',
  FLD: 'Field',
  HH: 'Home health',
  IMP: 'Inpatient',
  ACUTE: 'Inpatient acute',
  NONAC: 'Inpatient non-acute',
  OBSENC: 'Observation',
  PRENC: 'Pre-admission',
  SS: 'Short stay',
  VR: 'Virtual',
};

/** Encounter → timeline row with its details, or withdrawn when entered in error (withdrawn.ts); null for anything else. */
export function encounterOutcome(value: unknown, lookup: ReferenceLookup = () => null): Outcome<EncounterRow> {
  return outcomeOf(value, 'Encounter', (encounter) => encounterRow(encounter, lookup));
}

/** The timeline row of an Encounter; null for anything else and for one entered in error. */
export function mapEncounter(value: unknown, lookup: ReferenceLookup = () => null): EncounterRow | null {
  return rowOf(encounterOutcome(value, lookup));
}

function encounterRow(encounter: Json, lookup: ReferenceLookup): EncounterRow {
  const status = str(encounter.status) ?? 'unknown';
  const period = obj(encounter.period);
  const reasons = [
    ...arr(encounter.reasonCode).map(conceptText),
    ...arr(encounter.reasonReference).map((reference) => referenceName(reference, encounter, lookup)),
  ].filter((text): text is string => text !== null);
  const locations = arr(encounter.location)
    .map((item) => referenceName(obj(item)?.location, encounter, lookup))
    .filter((text): text is string => text !== null);
  return {
    id: resourceId(encounter),
    type: codedText(arr(encounter.type)[0]),
    classLabel: classLabel(encounter.class),
    status,
    start: fhirDate(period?.start),
    end: fhirDate(period?.end),
    recordUpdated: fhirDate(obj(encounter.meta)?.lastUpdated),
    reason: reasons[0] ?? null,
    location: locations[0] ?? referenceName(encounter.serviceProvider, encounter, lookup),
    reasons: [...new Set(reasons)],
    locations: [...new Set(locations)],
    serviceProvider: referenceName(encounter.serviceProvider, encounter, lookup),
    participants: participantsOf(encounter, lookup),
    diagnoses: diagnosesOf(encounter, lookup),
  };
}

/**
 * The references main reads before mapping an Encounter: participants and the service provider the EHR did not
 * name (Synthea and the sandbox send bare Practitioner and Organization references).
 */
export function encounterReferencesOf(value: unknown): string[] {
  const encounter = resourceOf(value, 'Encounter');
  if (!encounter) return [];
  return [
    ...arr(encounter.participant).map((item) => personReferenceToRead(obj(item)?.individual)),
    personReferenceToRead(encounter.serviceProvider),
  ].filter((reference): reference is string => reference !== null);
}

/** Who took part, by name, each once with all their roles in words; one nobody named is left out. */
function participantsOf(encounter: Json, lookup: ReferenceLookup): EncounterParticipant[] {
  const byName = new Map<string, EncounterParticipant>();
  for (const participant of arr(encounter.participant).map(obj)) {
    const name = participant && referenceName(participant.individual, encounter, lookup);
    if (!participant || !name) continue;
    const entry = byName.get(name) ?? { name, roles: [] };
    byName.set(name, entry);
    for (const role of arr(participant.type).map(conceptText)) if (role && !entry.roles.includes(role)) entry.roles.push(role);
  }
  return [...byName.values()];
}

/** Encounter.diagnosis by rank (unranked last): the condition's name and its use ("Admission diagnosis"). */
function diagnosesOf(encounter: Json, lookup: ReferenceLookup): EncounterDiagnosis[] {
  return arr(encounter.diagnosis)
    .map(obj)
    .map((diagnosis) => {
      if (!diagnosis) return null;
      const name = referenceName(diagnosis.condition, encounter, lookup);
      const conditionId = referencedId(diagnosis.condition, 'Condition');
      if (!name && !conditionId) return null;
      return { conditionId, name, use: conceptText(diagnosis.use), rank: num(diagnosis.rank) };
    })
    .filter((diagnosis): diagnosis is EncounterDiagnosis => diagnosis !== null)
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
}

/**
 * The encounter class in words: its display (Epic sends local codes such as "13" with the display
 * "Support OP Encounter"), else the name of a v3 ActCode; never a bare local code.
 */
function classLabel(value: unknown): string | null {
  const coding = obj(value);
  const display = str(coding?.display);
  if (display) return display;
  const code = str(coding?.code);
  const system = str(coding?.system);
  if (!code || (system !== null && system !== V3_ACT_CODE)) return null;
  return ACT_CODE_CLASSES[code] ?? null;
}
