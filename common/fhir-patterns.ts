/**
 * The shapes of FHIR R4 values that ChartDesk checks on both sides of the IPC boundary and in the FHIR client.
 * Pattern sources are exported for the places that embed them in a larger expression (references).
 */

/** FHIR R4 `id` datatype: a resource's logical id, [A-Za-z0-9\-\.]{1,64}. */
export const FHIR_ID_PATTERN = '[A-Za-z0-9\\-.]{1,64}';
/** A resource type name: an upper-case letter, then letters (Patient, MedicationRequest). */
export const FHIR_RESOURCE_TYPE_PATTERN = '[A-Z][A-Za-z]{1,63}';

export const FHIR_ID = new RegExp(`^${FHIR_ID_PATTERN}$`);
export const FHIR_RESOURCE_TYPE = new RegExp(`^${FHIR_RESOURCE_TYPE_PATTERN}$`);

/** A FHIR `date` at any of its precisions, YYYY, YYYY-MM or YYYY-MM-DD: how a birth date is given and searched. */
export const FHIR_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
