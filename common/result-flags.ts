import type { FlagSource, ObservationRow, ResultFlag } from './chart';

/**
 * HL7 v3 ObservationInterpretation (and HL7 v2 table 0078, which shares its codes): the standard
 * interpretation codes, in words, and whether each means the result is abnormal. Codes that say
 * how a result changed (better, worse, up, down) or that it is normal or negative are shown but not
 * highlighted.
 */
const INTERPRETATIONS: Readonly<Record<string, { text: string; abnormal: boolean }>> = {
  N: { text: 'Normal', abnormal: false },
  A: { text: 'Abnormal', abnormal: true },
  AA: { text: 'Critical abnormal', abnormal: true },
  H: { text: 'High', abnormal: true },
  HH: { text: 'Critical high', abnormal: true },
  HU: { text: 'Significantly high', abnormal: true },
  HX: { text: 'Above high threshold', abnormal: true },
  L: { text: 'Low', abnormal: true },
  LL: { text: 'Critical low', abnormal: true },
  LU: { text: 'Significantly low', abnormal: true },
  LX: { text: 'Below low threshold', abnormal: true },
  '<': { text: 'Off scale low', abnormal: true },
  '>': { text: 'Off scale high', abnormal: true },
  EX: { text: 'Outside threshold', abnormal: true },
  POS: { text: 'Positive', abnormal: true },
  DET: { text: 'Detected', abnormal: true },
  R: { text: 'Resistant', abnormal: true },
  RR: { text: 'Reactive', abnormal: true },
  WR: { text: 'Weakly reactive', abnormal: true },
  UNE: { text: 'Unexpected', abnormal: true },
  CAR: { text: 'Carrier', abnormal: true },
  NS: { text: 'Non-susceptible', abnormal: true },
  TOX: { text: 'Cytotoxic substance present', abnormal: true },
  AC: { text: 'Anti-complementary substances present', abnormal: true },
  QCF: { text: 'Quality control failure', abnormal: true },
  'SYN-R': { text: 'Synergy resistant', abnormal: true },
  NEG: { text: 'Negative', abnormal: false },
  ND: { text: 'Not detected', abnormal: false },
  NR: { text: 'Non-reactive', abnormal: false },
  S: { text: 'Susceptible', abnormal: false },
  SDD: { text: 'Susceptible, dose dependent', abnormal: false },
  'SYN-S': { text: 'Synergy susceptible', abnormal: false },
  I: { text: 'Intermediate', abnormal: false },
  IND: { text: 'Indeterminate', abnormal: false },
  IE: { text: 'Insufficient evidence', abnormal: false },
  E: { text: 'Equivocal', abnormal: false },
  EXP: { text: 'Expected', abnormal: false },
  NCL: { text: 'No CLSI breakpoint', abnormal: false },
  B: { text: 'Better', abnormal: false },
  W: { text: 'Worse', abnormal: false },
  U: { text: 'Significant change up', abnormal: false },
  D: { text: 'Significant change down', abnormal: false },
};

/** The code systems whose codes are the standard interpretation codes above. */
export const INTERPRETATION_SYSTEMS: ReadonlySet<string> = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v3/ObservationInterpretation',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
  'http://hl7.org/fhir/v2/0078',
]);

/** Whether a code is one of the standard interpretation codes. */
export function isStandardInterpretation(code: string): boolean {
  return Object.hasOwn(INTERPRETATIONS, code);
}

/** The flag for a standard interpretation code, decided by the EHR or computed by ChartDesk; null for an unknown code. */
export function standardFlag(code: string, source: Exclude<FlagSource, 'ehr-text'>): ResultFlag | null {
  const known = isStandardInterpretation(code) ? INTERPRETATIONS[code] : undefined;
  return known ? { text: known.text, code, abnormal: known.abnormal, source } : null;
}

/** An interpretation the EHR gave only as text (or a local code's display): shown as written, never highlighted. */
export function textFlag(text: string): ResultFlag {
  return { text, code: null, abnormal: false, source: 'ehr-text' };
}

/**
 * What a lab's Flag cell says when the EHR flagged nothing and gave no range to compute a flag from: an empty
 * cell would read as normal, and nothing says that it is.
 */
export const NO_RANGE = 'No range given';

/** A numeric lab result that nothing judged: the EHR flagged nothing and gave no range to compute a flag from. */
export function isUnjudged(row: ObservationRow): boolean {
  return row.kind === 'lab' && row.flag === null && row.value !== null && row.referenceRange === null;
}

/** The Flag cell: the flag's words, marked when ChartDesk computed it rather than the EHR, and against what. */
export function flagText(flag: ResultFlag | null): string {
  if (!flag) return '';
  if (flag.source !== 'computed') return flag.text;
  return flag.basis === 'adult-range' ? `${flag.text} (computed, adult range)` : `${flag.text} (computed)`;
}
