import type { WriteFlow } from '../lib/state/write-flow.svelte';

/** What every write form is given: its flow, the chart it writes to, and how to leave. */
export interface WriteFormProps {
  flow: WriteFlow;
  connectionId: string;
  patientId: string;
  patientName: string;
  onclose: () => void;
}
