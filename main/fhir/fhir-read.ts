import type { CodedText, Quantity, QuantityComparator } from '../../common/chart';

/**
 * Defensive readers for FHIR JSON. Servers send every shape imaginable, so mappers read through
 * these and get a value of the expected type or null: they never throw on odd data.
 */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty trimmed string, or null. */
export function str(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The resource when it is a JSON object of the given type. */
export function resourceOf(value: unknown, resourceType: string): Json | null {
  const resource = obj(value);
  return resource && resource.resourceType === resourceType ? resource : null;
}

export function codings(concept: unknown): Json[] {
  return arr(obj(concept)?.coding)
    .map(obj)
    .filter((coding): coding is Json => coding !== null);
}

/** CodeableConcept.text, else the first coding's display, else its code; null when none. */
export function conceptText(concept: unknown): string | null {
  const text = str(obj(concept)?.text);
  if (text) return text;
  for (const coding of codings(concept)) {
    const label = str(coding.display) ?? str(coding.code);
    if (label) return label;
  }
  return null;
}

export const UNKNOWN = 'Unknown';

export function codedText(concept: unknown): CodedText {
  const first = codings(concept).find((coding) => str(coding.code)) ?? codings(concept)[0];
  return {
    text: conceptText(concept) ?? UNKNOWN,
    system: str(first?.system),
    code: str(first?.code),
  };
}

/** The first code of a CodeableConcept (e.g. a status), or its text. */
export function conceptCode(concept: unknown): string | null {
  for (const coding of codings(concept)) {
    const code = str(coding.code);
    if (code) return code;
  }
  return str(obj(concept)?.text);
}

export function hasCoding(concept: unknown, system: string | null, codes: readonly string[]): boolean {
  return codings(concept).some(
    (coding) => (system === null || coding.system === system) && codes.includes(str(coding.code) ?? ''),
  );
}

const COMPARATORS: readonly QuantityComparator[] = ['<', '<=', '>=', '>'];

/** A Quantity with a numeric value; its unit (or UCUM code), and its comparator when it is a bound. */
export function quantity(value: unknown): Quantity | null {
  const q = obj(value);
  const amount = num(q?.value);
  if (amount === null) return null;
  const unit = str(q?.unit) ?? str(q?.code);
  const comparator = COMPARATORS.find((candidate) => candidate === str(q?.comparator));
  return comparator ? { value: amount, unit, comparator } : { value: amount, unit };
}

/** Whether a concept carries one of these codes, in any system (status codes some EHRs code with another system). */
export function hasCode(concept: unknown, codes: readonly string[]): boolean {
  return hasCoding(concept, null, codes);
}

/** Whether a FHIR date or dateTime lies before today's date (partial dates compared at their precision). */
export function isBeforeToday(value: unknown, today: Date): boolean {
  const date = fhirDate(value);
  if (!date) return false;
  const day = date.slice(0, 10);
  return day < today.toISOString().slice(0, day.length);
}

/** FHIR date/dateTime/instant as given (precision kept), or null when it is not date-like. */
export function fhirDate(value: unknown): string | null {
  const text = str(value);
  return text && /^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(text) ? text : null;
}

/** The start of a choice of dateTime / Period / instant fields (e.g. onset[x], effective[x]). */
export function choiceDate(resource: Json, prefix: string): string | null {
  return (
    fhirDate(resource[`${prefix}DateTime`]) ??
    fhirDate(resource[`${prefix}Instant`]) ??
    fhirDate(obj(resource[`${prefix}Period`])?.start) ??
    fhirDate(resource[`${prefix}Date`])
  );
}

const MAX_NAME_LENGTH = 120;

/**
 * A list of HumanName as one display name: among the current names (not `old`, no period ended before
 * today), the official one, else the usual one, else the first that says anything; only when no name is
 * current, the same choice among all. Its text, else prefix, given, family and suffix. Whitespace collapsed
 * and bounded; null without one.
 */
export function humanName(names: unknown, today: Date = new Date()): string | null {
  const candidates = arr(names)
    .map(obj)
    .filter((name): name is Json => name !== null && nameText(name) !== null);
  const current = candidates.filter((name) => name.use !== 'old' && !isBeforeToday(obj(name.period)?.end, today));
  const pool = current.length > 0 ? current : candidates;
  const pick = pool.find((name) => name.use === 'official') ?? pool.find((name) => name.use === 'usual') ?? pool[0];
  return pick ? nameText(pick) : null;
}

function nameText(name: Json): string | null {
  const parts = [...arr(name.prefix), ...arr(name.given), name.family, ...arr(name.suffix)].map(str);
  const text = str(name.text) ?? parts.filter((part): part is string => part !== null).join(' ');
  const clean = text.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
  return clean === '' ? null : clean;
}

/** Reference.display, else null (references are not followed here). */
export function referenceDisplay(reference: unknown): string | null {
  return str(obj(reference)?.display);
}

export function resourceId(resource: Json): string {
  return str(resource.id) ?? '';
}

/** The id a reference names when it points to a resource of this type ("Encounter/123", relative or absolute). */
export function referencedId(reference: unknown, resourceType: string): string | null {
  const target = str(obj(reference)?.reference);
  const match = target ? new RegExp(`(?:^|/)${resourceType}/([A-Za-z0-9.-]{1,64})(?:/_history/[^/]+)?$`).exec(target) : null;
  return match?.[1] ?? null;
}
