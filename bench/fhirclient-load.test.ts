import { getPath } from 'fhirclient/lib/lib';
import { describe, expect, it } from 'vitest';
import type { ChartSectionId } from '../common/sessions';
import { SECTION_QUERIES } from '../main/chart/section-queries';
import { loadSyntheaBundles } from '../main/chart/testing/synthea';
import { FHIRCLIENT_RESOLVES } from './fhirclient-load';

/** The references at fhirclient's resolveReferences paths, as it finds them (getPath, `..` over arrays). */
function atPaths(resource: unknown, paths: string[]): string[] {
  return paths.flatMap((path) => {
    const node = getPath(resource as object, path) as unknown;
    return (Array.isArray(node) ? node : [node])
      .map((item) => (item as { reference?: unknown } | undefined)?.reference)
      .filter((reference): reference is string => typeof reference === 'string');
  });
}

describe("the bench's fhirclient load", () => {
  const resources = loadSyntheaBundles().flatMap((bundle) => bundle.resources);
  const sectionsThatRead = (Object.keys(SECTION_QUERIES) as ChartSectionId[]).filter(
    (section) => SECTION_QUERIES[section].references,
  );

  it('resolves, in every section whose rows name other resources, exactly what ChartDesk reads on the bench data', () => {
    expect(Object.keys(FHIRCLIENT_RESOLVES).sort()).toEqual([...sectionsThatRead].sort());
    for (const section of sectionsThatRead) {
      const query = SECTION_QUERIES[section];
      const searched = resources.filter((resource) => resource.resourceType === query.resourceType);
      expect(searched.length).toBeGreaterThan(0);
      for (const resource of searched) {
        const chartDesk = [...new Set(query.references?.(resource))].sort();
        expect([...new Set(atPaths(resource, FHIRCLIENT_RESOLVES[section] ?? []))].sort()).toEqual(chartDesk);
      }
    }
  });
});
