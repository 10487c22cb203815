import type { ChartDeskApi } from '../../../../common/api';
import { canOpen, DOCUMENT_SECTIONS, type DocumentSectionId, formatName } from '../../../../common/attachments';
import type { AttachmentContent, AttachmentSummary, DocumentRow } from '../../../../common/chart';
import { unwrap } from '../api';
import { messageOf } from '../errors';

export interface OpenDocument {
  section: DocumentSectionId;
  row: DocumentRow;
  /** Null when the document has no attachment at all. */
  attachment: AttachmentSummary | null;
}

/**
 * The document open in the viewer, for one patient of one connection: ChartState makes a new one for every chart
 * it opens, so nothing shown here outlives its patient. An answer that comes back for another patient, document
 * or attachment than the one last asked for is dropped, never shown.
 */
export class DocumentViewer {
  current = $state.raw<OpenDocument | null>(null);
  content = $state.raw<AttachmentContent | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  #ticket = 0;

  constructor(
    private readonly api: ChartDeskApi,
    readonly connectionId: string,
    readonly patientId: string,
  ) {}

  async open(section: DocumentSectionId, row: DocumentRow, attachment: AttachmentSummary | null): Promise<void> {
    const ticket = ++this.#ticket;
    this.current = { section, row, attachment };
    this.content = null;
    this.error = null;
    this.loading = false;
    if (attachment === null) {
      this.error = 'The EHR sent this document without any content.';
      return;
    }
    if (!canOpen(attachment)) {
      this.error = `ChartDesk cannot show this document (${formatName(attachment.contentType)}). Open it in the EHR.`;
      return;
    }
    if (row.resourceId === null) {
      this.error = 'The EHR sent this document without an id, so ChartDesk cannot read it to open it. Open it in the EHR.';
      return;
    }
    const request = {
      patientId: this.patientId,
      resourceType: DOCUMENT_SECTIONS[section],
      id: row.resourceId,
      index: attachment.index,
    };
    this.loading = true;
    try {
      const content = await unwrap(this.api.openAttachment(this.connectionId, request));
      if (ticket !== this.#ticket) return;
      const matches =
        content.patientId === request.patientId &&
        content.resourceType === request.resourceType &&
        content.id === request.id &&
        content.index === request.index;
      if (!matches) throw new Error('mismatch');
      this.content = content;
    } catch (error) {
      if (ticket === this.#ticket) this.error = messageOf(error, 'The document could not be opened. Try again.');
    } finally {
      if (ticket === this.#ticket) this.loading = false;
    }
  }

  close(): void {
    this.#ticket += 1;
    this.current = null;
    this.content = null;
    this.error = null;
    this.loading = false;
  }
}
