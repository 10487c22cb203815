import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SYNTHEA_DIR } from '../../sandbox/data/synthea-fixtures';

export function requireSynthea(): string {
  if (!existsSync(SYNTHEA_DIR)) {
    throw new Error(`The Synthea patients are missing: expected them in ${SYNTHEA_DIR} (set CHARTDESK_SYNTHEA_DIR).`);
  }
  return SYNTHEA_DIR;
}

interface Entry {
  resource: { resourceType: string; id?: string; category?: Array<{ coding?: Array<{ code?: string }> }> };
}

/** How many resources of each chart section a patient's bundle holds, counted independently of ChartDesk. */
export function expectedSectionCounts(bundleFilePrefix: string): { patientId: string; counts: Record<string, number> } {
  const file = readdirSync(requireSynthea()).find((name) => name.startsWith(bundleFilePrefix));
  if (!file) throw new Error(`No Synthea bundle starts with ${bundleFilePrefix}`);
  const entries = (JSON.parse(readFileSync(path.join(SYNTHEA_DIR, file), 'utf8')) as { entry: Entry[] }).entry;
  const counts: Record<string, number> = {
    vitals: 0,
    labs: 0,
    problems: 0,
    medications: 0,
    allergies: 0,
    immunizations: 0,
    encounters: 0,
  };
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  let patientId = '';
  for (const { resource } of entries) {
    const categories = (resource.category ?? []).flatMap((c) => (c.coding ?? []).map((coding) => coding.code));
    switch (resource.resourceType) {
      case 'Patient':
        patientId = resource.id ?? '';
        break;
      case 'Observation':
        if (categories.includes('vital-signs')) bump('vitals');
        else if (categories.includes('laboratory')) bump('labs');
        break;
      case 'Condition':
        bump('problems');
        break;
      case 'MedicationRequest':
        bump('medications');
        break;
      case 'AllergyIntolerance':
        bump('allergies');
        break;
      case 'Immunization':
        bump('immunizations');
        break;
      case 'Encounter':
        bump('encounters');
        break;
    }
  }
  return { patientId, counts };
}
