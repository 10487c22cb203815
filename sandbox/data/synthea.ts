/**
 * Loads a folder of FHIR transaction bundles (Synthea's output) the way a FHIR server processes
 * them: every entry becomes a stored resource and every `urn:uuid:` reference is rewritten to
 * `Type/id`, across files (patient bundles point at the practitioner and hospital bundles).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isFhirResource, type FhirResource } from './fhir-types.js';

export class DataLoadError extends Error {}

interface BundleEntry {
  fullUrl?: unknown;
  resource?: unknown;
}

function entriesOf(file: string, json: unknown): BundleEntry[] {
  const bundle = json as { resourceType?: unknown; entry?: unknown };
  if (bundle?.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    throw new DataLoadError(`${file} is not a FHIR Bundle with entries`);
  }
  return bundle.entry as BundleEntry[];
}

/** Rewrites `reference` strings in place, walking the whole resource once. */
export function rewriteReferences(node: unknown, urnToRef: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteReferences(item, urnToRef);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'reference' && typeof value === 'string' && value.startsWith('urn:uuid:')) {
      const resolved = urnToRef.get(value);
      if (resolved) record[key] = resolved;
    } else if (typeof value === 'object') {
      rewriteReferences(value, urnToRef);
    }
  }
}

export async function loadBundleFolder(dir: string): Promise<FhirResource[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (cause) {
    throw new DataLoadError(`cannot read the data folder ${dir}: ${(cause as Error).message}`);
  }
  if (names.length === 0) throw new DataLoadError(`the data folder ${dir} holds no .json bundles`);

  const resources: FhirResource[] = [];
  const urnToRef = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (cause) {
      throw new DataLoadError(`${file} is not valid JSON: ${(cause as Error).message}`);
    }
    for (const entry of entriesOf(file, json)) {
      const resource = entry.resource as Partial<FhirResource> | undefined;
      if (!resource || typeof resource.resourceType !== 'string') continue;
      const urn = typeof entry.fullUrl === 'string' && entry.fullUrl.startsWith('urn:uuid:') ? entry.fullUrl : undefined;
      if (typeof resource.id !== 'string')
        resource.id = urn ? urn.slice('urn:uuid:'.length) : `${resource.resourceType}-${resources.length}`;
      if (!isFhirResource(resource)) continue;
      if (urn) urnToRef.set(urn, `${resource.resourceType}/${resource.id}`);
      resources.push(resource);
    }
  }
  for (const resource of resources) rewriteReferences(resource, urnToRef);
  return resources;
}
