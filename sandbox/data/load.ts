/**
 * Fills a store with the chosen data set: a Synthea folder or the built-in one, plus the --big patient, and the
 * medicines the Medication search offers.
 */
import { bigPatientResources } from './big.js';
import { builtinResources } from './builtin.js';
import type { FhirResource } from './fhir-types.js';
import { medicationCatalog } from './medication-catalog.js';
import { loadBundleFolder } from './synthea.js';

export async function loadDataSet(dataDir: string | undefined, bigObservations: number | undefined): Promise<FhirResource[]> {
  const resources = dataDir ? await loadBundleFolder(dataDir) : builtinResources();
  if (bigObservations !== undefined) {
    if (!Number.isInteger(bigObservations) || bigObservations < 1)
      throw new RangeError('bigObservations must be a positive integer');
    resources.push(...bigPatientResources(bigObservations));
  }
  resources.push(...medicationCatalog());
  return resources;
}
