import type { FhirClient } from '../fhir/fhir-client';
import { arr, obj, str } from '../fhir/fhir-read';

/**
 * Whether the EHR says it honours `If-None-Exist` for a type (CapabilityStatement rest.resource.conditionalCreate).
 * ChartDesk's promise that a Retry cannot make a second copy rests on it, so a preview says when the EHR does not
 * say so, or could not be asked. Read once per FHIR base (a statement can be large), again after a failed read.
 */
export function createConditionalSupport() {
  const statements = new Map<string, Promise<unknown>>();

  async function statementOf(client: FhirClient): Promise<unknown> {
    let pending = statements.get(client.baseUrl);
    if (!pending) {
      pending = client.capabilities();
      statements.set(client.baseUrl, pending);
      pending.catch(() => statements.delete(client.baseUrl));
    }
    return pending;
  }

  /** A warning for the preview, or null when the EHR says it supports conditional create of every type given. */
  async function warning(client: FhirClient, resourceTypes: readonly string[]): Promise<string | null> {
    let statement: unknown;
    try {
      statement = await statementOf(client);
    } catch {
      return 'ChartDesk could not read what this EHR supports, so it cannot confirm that a Retry after a lost answer would not make a second copy.';
    }
    const resources = arr(obj(arr(obj(statement)?.rest)[0])?.resource).map(obj);
    const unsupported = resourceTypes.filter(
      (type) => resources.find((resource) => str(resource?.type) === type)?.conditionalCreate !== true,
    );
    if (unsupported.length === 0) return null;
    return `This EHR does not say it supports conditional create of ${[...new Set(unsupported)].join(', ')}: if its answer is lost, check the chart before you Retry, or a second copy could be made.`;
  }

  return { warning };
}
