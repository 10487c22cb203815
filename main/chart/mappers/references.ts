import { arr, conceptText, humanName, type Json, obj, referenceDisplay, str } from '../../fhir/fhir-read';

/**
 * Finds a resource a row refers to (e.g. "Medication/123", "Practitioner/9"): brought by an _include or read
 * by main before the page is mapped (main/chart/section-fetch.ts); null when neither could.
 */
export type ReferenceLookup = (reference: string) => unknown;

/** The types ChartDesk reads by reference to name someone: a prescriber, an encounter's provider. */
const PEOPLE = /(?:^|\/)(?:Practitioner|PractitionerRole|Organization)\/[A-Za-z0-9.-]{1,64}$/;

/** A contained resource of `holder` by its local id ("#p1"). */
export function containedResource(holder: Json, reference: string): Json | null {
  if (!reference.startsWith('#')) return null;
  const id = reference.slice(1);
  return (
    arr(holder.contained)
      .map(obj)
      .find((item) => item !== null && item.id === id) ?? null
  );
}

/**
 * Names already worked out, by the resource object they came from: a load's encounters name the same few
 * clinicians and organizations (one read or _include each) again and again. Held weakly: they go with the resource.
 */
const NAMES = new WeakMap<Json, string | null>();

/** A person's name, an Organization's or Location's; a PractitionerRole's practitioner by display; a Condition's code. */
function nameOf(resource: Json | null): string | null {
  if (!resource) return null;
  if (NAMES.has(resource)) return NAMES.get(resource) ?? null;
  const name = nameNow(resource);
  NAMES.set(resource, name);
  return name;
}

function nameNow(resource: Json): string | null {
  if (resource.resourceType === 'PractitionerRole') return referenceDisplay(resource.practitioner);
  if (resource.resourceType === 'Condition') return conceptText(resource.code);
  return humanName(resource.name) ?? str(resource.name);
}

/**
 * Who a reference names, in order: its display, a contained resource's name, the name of the resource main read
 * (`lookup`). Null when none of them says: the screen shows the field as not given, never a bare id.
 */
export function referenceName(reference: unknown, holder: Json, lookup: ReferenceLookup): string | null {
  const display = referenceDisplay(reference);
  if (display) return display;
  const target = str(obj(reference)?.reference);
  if (!target) return null;
  return nameOf(containedResource(holder, target) ?? obj(lookup(target)));
}

/** The reference main should read to name someone: one without a display, to a person or organization on this EHR. */
export function personReferenceToRead(reference: unknown): string | null {
  if (referenceDisplay(reference)) return null;
  const target = str(obj(reference)?.reference);
  return target && PEOPLE.test(target) ? target : null;
}
