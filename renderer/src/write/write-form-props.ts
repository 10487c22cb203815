import type { WriteAction } from '../../../common/write-kinds';
import type { UnfinishedFields } from '../../../common/writes';
import type { WriteFlow } from '../lib/state/write-flow.svelte';

/** What every write form is given: its flow, the chart it writes to, how to leave, and what it resumes, if anything. */
export interface WriteFormProps<A extends WriteAction> {
  flow: WriteFlow;
  connectionId: string;
  patientId: string;
  patientName: string;
  onclose: () => void;
  /** The fields of an unfinished form saved when ChartDesk locked: the form opens with them. */
  restored?: UnfinishedFields<A> | undefined;
}

/** Whether a form's fields differ from those it opened with empty: an untouched form is not kept by the idle lock. */
export function changedFrom<T>(blank: T, fields: T): boolean {
  return JSON.stringify(fields) !== JSON.stringify(blank);
}
