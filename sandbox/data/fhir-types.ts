/** The loose shape every stored FHIR resource has; the rest is read defensively where needed. */
export interface FhirResource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

export function isFhirResource(value: unknown): value is FhirResource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}
