import type { CodedText, Quantity } from '../../common/chart';

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

export function quantity(value: unknown): Quantity | null {
  const q = obj(value);
  const amount = num(q?.value);
  if (amount === null) return null;
  return { value: amount, unit: str(q?.unit) ?? str(q?.code) };
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
 * A list of HumanName as one display name: the official name, else the usual one, else the first that says
 * anything; its text, else prefix, given, family and suffix. Whitespace collapsed and bounded; null without one.
 */
export function humanName(names: unknown): string | null {
  const candidates = arr(names)
    .map(obj)
    .filter((name): name is Json => name !== null);
  const pick =
    candidates.find((name) => name.use === 'official') ??
    candidates.find((name) => name.use === 'usual') ??
    candidates.find((name) => nameText(name) !== null);
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
