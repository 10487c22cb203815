import { describe, expect, it } from 'vitest';
import { medicationCatalog } from '../../sandbox/data/medication-catalog';
import { readReal } from '../chart/testing/real-fixtures';
import type { FhirResource } from '../fhir/fhir-client';
import { allergyWarnings, medicationChoice } from './medication-choices';

const real = (file: string) => readReal(file) as FhirResource;

describe('medications offered for a proposal', () => {
  it("a coded Medication (HL7's Percocet) with its ingredients; one without a code (med0317) is not offered", () => {
    expect(medicationChoice(real('hl7-r4-examples/Medication-med0308.json'))).toEqual({
      id: 'med0308',
      code: expect.objectContaining({ text: expect.stringContaining('Percocet') }),
      form: expect.any(String),
      ingredients: ['Oxycodone HCl', 'Acetaminophen'],
    });
    expect(medicationChoice(real('hl7-r4-examples/Medication-med0317.json'))).toBeNull();
  });
});

describe('the allergy check of a proposal', () => {
  const penicillinG = real('hl7-r4-examples/AllergyIntolerance-medication.json');

  it('warns when an ingredient is named in a recorded allergy, unconfirmed ones included', () => {
    const penicillinV = medicationCatalog().find((medication) => medication.id === 'sbx-med-penicillin-v-250')!;
    expect(allergyWarnings(penicillinV, [penicillinG])).toEqual(['Recorded allergy "Penicillin G" matches penicillin V.']);
  });

  it('warns on the same code, and not on a refuted or resolved allergy', () => {
    const sameCode = {
      ...penicillinG,
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '723' }], text: 'Amoxil' },
    };
    const amoxicillin = medicationCatalog().find((medication) => medication.id === 'sbx-med-amoxicillin-250')!;
    expect(allergyWarnings(amoxicillin, [sameCode])).toEqual(['Recorded allergy "Amoxil" matches amoxicillin.']);
    const refuted = { ...sameCode, verificationStatus: { coding: [{ code: 'refuted' }] } };
    const resolved = { ...sameCode, clinicalStatus: { coding: [{ code: 'resolved' }] } };
    expect(allergyWarnings(amoxicillin, [refuted, resolved])).toEqual([]);
  });

  it('knows no drug classes: piperacillin (Zosyn) is not matched to a penicillin allergy, as the preview says', () => {
    expect(allergyWarnings(real('hl7-r4-examples/Medication-med0302.json'), [penicillinG])).toEqual([]);
    expect(
      allergyWarnings(real('hl7-r4-examples/Medication-med0308.json'), [real('hl7-r4-examples/AllergyIntolerance-example.json')]),
    ).toEqual([]);
  });
});
