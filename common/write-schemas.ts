import { DOSE_UNIT_CODES, MAX_DISCONTINUE_REASON_LENGTH, MAX_SIG_LENGTH } from './medication-order';
import { MAX_NOTE_LENGTH, MAX_NOTE_TITLE_LENGTH, NOTE_CATEGORY_CODES, NOTE_TYPE_CODES } from './note-types';
import { fhirId, FOR_THE_CLINICIAN, localId } from './schema-parts';
import {
  type SingleVitalKind,
  VITAL_DEFINITIONS,
  VITAL_ENTRY_KINDS,
  vitalReadingProblem,
  type VitalReading,
  type VitalUnit,
} from './vital-entry';
import type { UnfinishedWriteRequest, VitalsDraft, WriteRequest } from './writes';
import { z } from './zod';

/**
 * Run-time shapes of a write request (common/writes.ts), checked by main's dispatcher. The clinical rules (plausible
 * ranges, units per kind) are those of common/vital-entry.ts, whose sentences reach the clinician as they are.
 */

/** A FHIR dateTime to the second with an offset (what an Observation's effectiveDateTime carries). */
const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A clock a little ahead of the EHR's is not a future reading. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const UNITS = ['mm[Hg]', '/min', 'Cel', '[degF]', '%', 'kg', '[lb_av]', 'cm', '[in_i]'] as const satisfies readonly VitalUnit[];
const finite = z.number().finite();

const vitalReading: z.ZodType<VitalReading> = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('blood-pressure'), systolic: finite, diastolic: finite }),
    z.strictObject({
      kind: z.enum(
        VITAL_ENTRY_KINDS.filter((kind) => kind !== 'blood-pressure') as [Exclude<VitalReading['kind'], 'blood-pressure'>],
      ),
      value: finite,
      unit: z.enum(UNITS),
    }),
  ])
  .superRefine((reading, context) => {
    const problem = vitalReadingProblem(reading);
    if (problem) context.addIssue({ code: 'custom', message: problem, params: FOR_THE_CLINICIAN });
  });

const effective = z
  .string()
  .regex(OFFSET_DATE_TIME, 'must be a date and time with its offset')
  .refine((value) => Date.parse(value) <= Date.now() + FUTURE_TOLERANCE_MS, {
    message: 'The time the vitals were taken cannot be in the future.',
    params: FOR_THE_CLINICIAN,
  });

const words = (max: number) => z.string().trim().min(1).max(max);

export const writeRequest: z.ZodType<WriteRequest> = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('record-vitals'),
    connectionId: localId,
    patientId: fhirId,
    effective,
    readings: z
      .array(vitalReading)
      .min(1, 'at least one reading')
      .max(VITAL_ENTRY_KINDS.length)
      .refine((readings) => new Set(readings.map((reading) => reading.kind)).size === readings.length, {
        message: 'Each vital sign can be entered once per set.',
        params: FOR_THE_CLINICIAN,
      }),
  }),
  z.strictObject({
    action: z.literal('write-note'),
    connectionId: localId,
    patientId: fhirId,
    type: z.enum(NOTE_TYPE_CODES),
    category: z.enum(NOTE_CATEGORY_CODES),
    title: words(MAX_NOTE_TITLE_LENGTH).nullable(),
    text: z
      .string()
      .max(MAX_NOTE_LENGTH, `A note can be at most ${MAX_NOTE_LENGTH.toLocaleString('en-US')} characters.`)
      .refine((text) => text.trim().length > 0, { message: 'The note is empty.', params: FOR_THE_CLINICIAN }),
  }),
  z.strictObject({
    action: z.literal('propose-medication'),
    connectionId: localId,
    patientId: fhirId,
    medicationId: fhirId,
    dose: z.strictObject({
      value: finite.positive('The dose must be more than zero.').max(100_000),
      unit: z.enum(DOSE_UNIT_CODES),
    }),
    sig: words(MAX_SIG_LENGTH),
  }),
  z.strictObject({
    action: z.literal('discontinue-medication'),
    connectionId: localId,
    patientId: fhirId,
    medicationRequestId: fhirId,
    reason: words(MAX_DISCONTINUE_REASON_LENGTH).nullable(),
  }),
]);

/** What the clinician types to find a medication: a few words of its name. */
export const medicationSearchText = z.string().trim().min(2, 'Type at least two letters.').max(100);

/** A field of an unfinished form: anything the clinician typed, as long as the form's own field allows. */
const typed = (max: number) => z.string().max(max);
/** What a number, date or search field holds: typed, so not always valid yet; bounded well past any real entry. */
const shortField = typed(1000);
const SINGLE_KINDS = Object.keys(VITAL_DEFINITIONS) as [SingleVitalKind, ...SingleVitalKind[]];

const vitalsDraft: z.ZodType<VitalsDraft> = z.strictObject({
  takenAt: shortField,
  systolic: shortField,
  diastolic: shortField,
  values: z.strictObject(Object.fromEntries(SINGLE_KINDS.map((kind) => [kind, shortField]))) as unknown as z.ZodType<
    Record<SingleVitalKind, string>
  >,
  // Each kind only in a unit it may be entered in.
  units: z.strictObject(
    Object.fromEntries(SINGLE_KINDS.map((kind) => [kind, z.enum(VITAL_DEFINITIONS[kind].units as [VitalUnit, ...VitalUnit[]])])),
  ) as unknown as z.ZodType<Record<SingleVitalKind, VitalUnit>>,
});

/** A write form as the idle lock found it (common/writes.ts UnfinishedForm): its fields need not be valid yet. */
export const unfinishedWriteRequest: z.ZodType<UnfinishedWriteRequest> = z.strictObject({
  connectionId: localId,
  patientId: fhirId,
  form: z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('record-vitals'), fields: vitalsDraft }),
    z.strictObject({
      action: z.literal('write-note'),
      fields: z.strictObject({
        type: z.enum(NOTE_TYPE_CODES),
        category: z.enum(NOTE_CATEGORY_CODES),
        title: typed(MAX_NOTE_TITLE_LENGTH),
        text: typed(MAX_NOTE_LENGTH),
      }),
    }),
    z.strictObject({
      action: z.literal('propose-medication'),
      fields: z.strictObject({
        query: shortField,
        medicationId: fhirId.nullable(),
        dose: shortField,
        unit: z.enum(DOSE_UNIT_CODES),
        sig: typed(MAX_SIG_LENGTH),
      }),
    }),
    z.strictObject({
      action: z.literal('discontinue-medication'),
      fields: z.strictObject({ medicationRequestId: fhirId.nullable(), reason: typed(MAX_DISCONTINUE_REASON_LENGTH) }),
    }),
  ]),
});
