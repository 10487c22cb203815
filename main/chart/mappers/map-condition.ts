import type { ProblemRow } from '../../../common/chart';
import { choiceDate, codedText, conceptCode, fhirDate, resourceId, resourceOf } from '../../fhir/fhir-read';

/** Condition → problem-list row; null for anything that is not a Condition. */
export function mapCondition(value: unknown): ProblemRow | null {
  const condition = resourceOf(value, 'Condition');
  if (!condition) return null;
  return {
    id: resourceId(condition),
    code: codedText(condition.code),
    clinicalStatus: conceptCode(condition.clinicalStatus),
    verificationStatus: conceptCode(condition.verificationStatus),
    onset: choiceDate(condition, 'onset'),
    abatement: choiceDate(condition, 'abatement'),
    recorded: fhirDate(condition.recordedDate),
  };
}
