import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SYNTHEA_DIR } from '../../../sandbox/data/synthea-fixtures';

export interface SyntheaBundle {
  file: string;
  resources: Array<Record<string, unknown> & { resourceType: string }>;
}

/** Every bundle in the folder; throws a clear message when the folder is missing or empty. */
export function loadSyntheaBundles(dir: string = SYNTHEA_DIR): SyntheaBundle[] {
  if (!existsSync(dir)) {
    throw new Error(
      `The Synthea R4 bundles were not found at ${dir}. They live in fixtures/synthea-r4 of the project; ` +
        'CHARTDESK_SYNTHEA_DIR names another folder.',
    );
  }
  const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  if (files.length === 0) throw new Error(`No Synthea bundles (*.json) in ${dir}.`);
  return files.map((file) => {
    const bundle = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { entry?: Array<{ resource?: unknown }> };
    const resources = (bundle.entry ?? [])
      .map((entry) => entry.resource)
      .filter((resource): resource is SyntheaBundle['resources'][number] => {
        return typeof resource === 'object' && resource !== null && 'resourceType' in resource;
      });
    return { file, resources };
  });
}

/** Only the bundles that hold a Patient (the hospital and practitioner bundles hold none). */
export function loadSyntheaPatients(dir?: string): SyntheaBundle[] {
  return loadSyntheaBundles(dir).filter((bundle) => bundle.resources.some((resource) => resource.resourceType === 'Patient'));
}
