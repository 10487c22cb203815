/**
 * The medicines the sandbox's Medication search offers, with every data set, so that a clinician can propose one
 * (issue 19). Each drug's RxNorm code and name is one the shared Synthea patients are prescribed (Synthea writes real
 * RxNorm clinical drugs); each ingredient is coded with its RxNorm ingredient concept. The shape is that of the HL7
 * example Medication/med0317 (fixtures/real/hl7-r4-examples/Medication-med0317.json): `code`, and `ingredient` items
 * as `itemCodeableConcept`.
 */
import { concept, RXNORM } from './builders.js';
import type { FhirResource } from './fhir-types.js';

interface CatalogEntry {
  id: string;
  code: string;
  display: string;
  ingredients: Array<{ code: string; display: string }>;
}

const CATALOG: CatalogEntry[] = [
  {
    id: 'sbx-med-amoxicillin-250',
    code: '308182',
    display: 'Amoxicillin 250 MG Oral Capsule',
    ingredients: [{ code: '723', display: 'amoxicillin' }],
  },
  {
    id: 'sbx-med-penicillin-v-250',
    code: '834061',
    display: 'Penicillin V Potassium 250 MG Oral Tablet',
    ingredients: [{ code: '7984', display: 'penicillin V' }],
  },
  {
    id: 'sbx-med-acetaminophen-325',
    code: '313782',
    display: 'Acetaminophen 325 MG Oral Tablet',
    ingredients: [{ code: '161', display: 'acetaminophen' }],
  },
  {
    id: 'sbx-med-ibuprofen-200',
    code: '310965',
    display: 'Ibuprofen 200 MG Oral Tablet',
    ingredients: [{ code: '5640', display: 'ibuprofen' }],
  },
  {
    id: 'sbx-med-naproxen-500',
    code: '198014',
    display: 'Naproxen 500 MG Oral Tablet',
    ingredients: [{ code: '7258', display: 'naproxen' }],
  },
];

export function medicationCatalog(): FhirResource[] {
  return CATALOG.map((entry) => ({
    resourceType: 'Medication',
    id: entry.id,
    code: concept({ system: RXNORM, code: entry.code, display: entry.display }),
    ingredient: entry.ingredients.map((ingredient) => ({
      itemCodeableConcept: concept({ system: RXNORM, code: ingredient.code, display: ingredient.display }),
    })),
  }));
}
