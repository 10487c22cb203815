import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rewriteReferences } from '../../../sandbox/data/synthea';
import { SYNTHEA_DIR } from '../../../sandbox/data/synthea-fixtures';

export interface SyntheaBundle {
  file: string;
  resources: Array<Record<string, unknown> & { resourceType: string }>;
}

/**
 * Every bundle in the folder, its `urn:uuid:` references made `Type/id` as a FHIR server does when it stores a
 * transaction (as the sandbox does too); throws a clear message when the folder is missing or empty.
 */
export function loadSyntheaBundles(dir: string = SYNTHEA_DIR): SyntheaBundle[] {
  if (!existsSync(dir)) {
    throw new Error(
      `The Synthea R4 bundles were not found at ${dir}. They live in fixtures/synthea-r4 of the project; ` +
        'CHARTDESK_SYNTHEA_DIR names another folder.',
    );
  }
  const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  if (files.length === 0) throw new Error(`No Synthea bundles (*.json) in ${dir}.`);
  const urnToRef = new Map<string, string>();
  const bundles = files.map((file) => {
    const bundle = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      entry?: Array<{ fullUrl?: unknown; resource?: unknown }>;
    };
    const resources: SyntheaBundle['resources'] = [];
    for (const { fullUrl, resource } of bundle.entry ?? []) {
      if (typeof resource !== 'object' || resource === null || !('resourceType' in resource)) continue;
      const typed = resource as SyntheaBundle['resources'][number];
      if (typeof fullUrl === 'string' && typeof typed.id === 'string') urnToRef.set(fullUrl, `${typed.resourceType}/${typed.id}`);
      resources.push(typed);
    }
    return { file, resources };
  });
  for (const bundle of bundles) rewriteReferences(bundle.resources, urnToRef);
  return bundles;
}

/** Only the bundles that hold a Patient (the hospital and practitioner bundles hold none). */
export function loadSyntheaPatients(dir?: string): SyntheaBundle[] {
  return loadSyntheaBundles(dir).filter((bundle) => bundle.resources.some((resource) => resource.resourceType === 'Patient'));
}
