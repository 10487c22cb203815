import type { ChartDeskApi } from '../../../../common/api';
import type {
  DraftSummary,
  ResumedForm,
  UnfinishedForm,
  WriteConflict,
  WritePreview,
  WriteRequest,
  WriteResult,
  WrittenResource,
  WrittenRows,
} from '../../../../common/writes';
import { unwrap } from '../api';
import { messageOf } from '../errors';

/**
 * One write, from the clinician's form to the EHR's answer: the form (`editing`), main's preview of exactly what
 * will be sent (`reviewing`), the clinician's confirmation (`sending`), then `written`, `failed` (the draft stays in
 * main, and Retry sends that same draft: its conditional create cannot make a second copy) or `conflict` (someone
 * changed the order since: nothing was overwritten).
 */
export type WriteStep = 'editing' | 'previewing' | 'reviewing' | 'sending' | 'written' | 'failed' | 'conflict';

export interface WriteFailure {
  message: string;
  /** The EHR's own words (OperationOutcome issues), when it gave any. */
  details: string[];
}

export class WriteFlow {
  step = $state<WriteStep>('editing');
  preview = $state.raw<WritePreview | null>(null);
  /** The draft main keeps for this write, from the preview until it is written or discarded. */
  draftId = $state<string | null>(null);
  /** False for a draft taken up again from the drafts list: its form is gone, it can be sent or discarded only. */
  editable = $state(true);
  /** Why the request could not even be previewed (main's validation, a lost session), shown on the form. */
  formError = $state<string | null>(null);
  failure = $state.raw<WriteFailure | null>(null);
  conflict = $state.raw<WriteConflict | null>(null);
  /** The unfinished form this write was reopened from (saved when ChartDesk locked), shown above the form. */
  resumedFrom = $state.raw<Pick<ResumedForm, 'savedAt' | 'notice'> | null>(null);
  /** What the EHR stored, and whether any of it is a row the chart shows. */
  written = $state.raw<{ resources: WrittenResource[]; inChart: boolean } | null>(null);

  readonly #api: ChartDeskApi;
  readonly #showRows: (rows: Partial<WrittenRows>) => void;

  /** `showRows` puts rows in the chart at once: what was written, or the order as it now is after a conflict. */
  constructor(
    api: ChartDeskApi,
    readonly connectionId: string,
    showRows: (rows: Partial<WrittenRows>) => void,
  ) {
    this.#api = api;
    this.#showRows = showRows;
  }

  /** Asks main to prepare the write and show it; nothing is sent to the EHR yet. */
  async review(request: WriteRequest): Promise<void> {
    if (this.step !== 'editing') return;
    this.step = 'previewing';
    this.formError = null;
    try {
      this.preview = await unwrap(this.#api.previewWrite(request));
      this.draftId = this.preview.draftId;
      this.step = 'reviewing';
    } catch (error) {
      this.formError = messageOf(error, 'ChartDesk could not prepare this write. Check the entries and try again.');
      this.step = 'editing';
    }
  }

  /** Takes up a draft that failed earlier (the drafts list): it can be sent again or discarded. */
  resume(draft: DraftSummary): void {
    this.draftId = draft.draftId;
    this.editable = false;
    this.failure = { message: draft.lastError ?? 'Not sent yet.', details: [] };
    this.step = 'failed';
  }

  /**
   * The idle lock fires over this write: a form not yet sent is handed to main, which keeps it until the clinician
   * resumes it (then reviews it as any other) or discards it; a preview made from it is forgotten. A write past its
   * review (sending, failed, written) has nothing to hand over: main has its draft already.
   */
  async handOver(patientId: string, form: UnfinishedForm): Promise<void> {
    if (!this.editable || !(['editing', 'previewing', 'reviewing'] as WriteStep[]).includes(this.step)) return;
    const request = { connectionId: this.connectionId, patientId, form };
    await Promise.all([unwrap(this.#api.keepUnfinishedWrite(request)), this.#discardDraft()]);
  }

  /** Back to the form from the review: the form keeps what was typed, and main forgets the unsent draft. */
  async edit(): Promise<void> {
    if (!this.editable || (this.step !== 'reviewing' && this.step !== 'failed')) return;
    await this.#discardDraft();
    this.step = 'editing';
  }

  /** Sends the reviewed draft, or sends it again after a failure. A second press while it is on its way does nothing. */
  async send(): Promise<void> {
    const draftId = this.draftId;
    if (!draftId || (this.step !== 'reviewing' && this.step !== 'failed')) return;
    this.step = 'sending';
    let result: WriteResult;
    try {
      result = await unwrap(this.#api.submitWrite(this.connectionId, draftId));
    } catch (error) {
      this.failure = { message: messageOf(error, 'ChartDesk could not send this write.'), details: [] };
      this.step = 'failed';
      return;
    }
    this.#settle(result);
  }

  /** Leaves the write. An unsent draft is forgotten; one that failed stays in main's drafts for later. */
  async cancel(): Promise<void> {
    if (this.step === 'sending') return;
    if (this.step === 'reviewing') await this.#discardDraft();
  }

  /** Gives up a failed draft for good. */
  async discard(): Promise<void> {
    if (this.step !== 'failed') return;
    await this.#discardDraft();
  }

  #settle(result: WriteResult): void {
    if (result.status === 'written') {
      this.failure = null;
      this.draftId = null;
      this.written = {
        resources: result.resources,
        inChart: Object.values(result.rows).some((rows: readonly unknown[]) => rows.length > 0),
      };
      this.step = 'written';
      this.#showRows(result.rows);
    } else if (result.status === 'conflict') {
      this.conflict = result.conflict;
      this.draftId = null;
      this.step = 'conflict';
      this.#showRows({ medications: [result.conflict.current] });
    } else {
      this.failure = { message: result.message, details: result.details };
      this.step = 'failed';
    }
  }

  async #discardDraft(): Promise<void> {
    const draftId = this.draftId;
    this.draftId = null;
    this.preview = null;
    this.failure = null;
    if (draftId) await this.#api.discardDraft(this.connectionId, draftId).catch(() => undefined);
  }
}
