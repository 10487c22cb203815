import { ChartDeskError, type IpcErrorCode } from '../../common/ipc-envelope';
import { FhirError } from '../fhir/fhir-errors';

/** A FHIR failure as an error the IPC layer passes on as is; anything unexpected becomes a plain internal error. */
export function toChartDeskError(error: unknown): ChartDeskError {
  if (error instanceof ChartDeskError) return error;
  if (error instanceof FhirError) return new ChartDeskError(codeFor(error), error.message);
  return new ChartDeskError('internal', 'ChartDesk could not read this chart because of an internal error.');
}

/** The clinician-facing message of a failed section. */
export function sectionErrorMessage(error: unknown): string {
  return error instanceof FhirError ? error.message : 'This section could not be loaded because of an internal error.';
}

function codeFor(error: FhirError): IpcErrorCode {
  switch (error.kind) {
    case 'auth':
      return 'auth';
    case 'cancelled':
      return 'cancelled';
    case 'http':
      if (error.status === 404 || error.status === 410) return 'not-found';
      return error.status === 403 ? 'forbidden' : 'network';
    default:
      return 'network';
  }
}
