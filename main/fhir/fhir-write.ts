/** A create or update as the FHIR client sends it (main/writes/ builds them). */
export interface FhirWrite {
  method: 'POST' | 'PUT';
  /** Under the FHIR base: "Observation", "MedicationRequest/123". */
  path: string;
  /** The condition (If-None-Exist, If-Match); never Authorization, which this client alone writes. */
  headers: Record<string, string>;
  /** The resource as JSON text. */
  body: string;
}

export interface FhirWriteAnswer {
  status: number;
  /** The resource the EHR returned, or null when it answered with headers only. */
  json: unknown;
  etag: string | null;
  location: string | null;
}
