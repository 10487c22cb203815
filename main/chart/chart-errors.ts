import { ChartDeskError, type IpcErrorCode } from '../../common/ipc-envelope';
import type { ChartSectionId } from '../../common/sessions';
import type { Logger } from '../logging/logger';
import { FhirError } from '../fhir/fhir-errors';

/**
 * A FHIR failure as an error the IPC layer passes on as is. Anything unexpected becomes a plain internal error for
 * the clinician, and is logged here, once, with its cause: nothing further up sees the original.
 */
/** What the clinician was doing when a chart request failed, for the log. */
export type ChartAction = 'open' | 'patient-search' | 'attachment';

export function toChartDeskError(error: unknown, log: Logger, action: ChartAction): ChartDeskError {
  if (error instanceof ChartDeskError) return error;
  if (error instanceof FhirError) return new ChartDeskError(codeFor(error), error.message);
  log.error('chart.internal-error', { action, error });
  return new ChartDeskError('internal', 'ChartDesk could not read this chart because of an internal error.');
}

/** The clinician-facing message of a failed section; the failure is logged here, an unexpected one with its cause. */
export function sectionFailure(error: unknown, section: ChartSectionId, log: Logger): string {
  if (error instanceof FhirError) {
    log.warn('chart.section.failed', { section, error: error.message });
    return error.message;
  }
  log.error('chart.section.internal-error', { section, error });
  return 'This section could not be loaded because of an internal error.';
}

/** The IPC code a FHIR failure is answered with (also for writes: main/writes/write-service.ts). */
export function codeFor(error: FhirError): IpcErrorCode {
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
