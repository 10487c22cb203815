import { describe, expect, it } from 'vitest';
import type { AttachmentContent, AttachmentRequest } from '../../../../common/chart';
import type { IpcResult } from '../../../../common/ipc-envelope';
import { createFakeApi, deferred, fail, ok } from '../../testing/fake-api';
import { documentRow } from '../../testing/rows';
import { DocumentViewer } from './document-viewer.svelte';

/** The viewer shows only the document it last asked for, of its own patient. */

function content(request: AttachmentRequest, overrides: Partial<AttachmentContent> = {}): AttachmentContent {
  return {
    ...request,
    format: 'html',
    contentType: 'text/html',
    text: '<p>Note</p>',
    base64: null,
    size: 11,
    ...overrides,
  };
}

function setup() {
  const fake = createFakeApi();
  const viewer = new DocumentViewer(fake.api, 'conn-1', 'pat-a');
  const first = documentRow({ id: 'note-1', resourceId: 'note-1' });
  return {
    ...fake,
    viewer,
    first,
    request: { patientId: 'pat-a', resourceType: 'DocumentReference', id: 'note-1', index: 0 } as const,
  };
}

describe('DocumentViewer', () => {
  it('asks main for the attachment of this patient’s document and shows the answer', async () => {
    const { api, viewer, first, request } = setup();
    api.openAttachment.mockReturnValueOnce(ok(content(request)));
    await viewer.open('notes', first, first.attachments[0] ?? null);
    expect(api.openAttachment).toHaveBeenCalledWith('conn-1', request);
    expect(viewer.content?.text).toBe('<p>Note</p>');
    expect(viewer.error).toBeNull();
    expect(viewer.loading).toBe(false);
  });

  it.each([
    ['another patient', { patientId: 'pat-b' }],
    ['another document', { id: 'note-2' }],
    ['another kind of document', { resourceType: 'DiagnosticReport' as const }],
    ['another attachment', { index: 1 }],
  ])('drops an answer for %s, saying the document could not be opened', async (_what, other) => {
    const { api, viewer, first, request } = setup();
    api.openAttachment.mockReturnValueOnce(ok(content(request, other)));
    await viewer.open('notes', first, first.attachments[0] ?? null);
    expect(viewer.content).toBeNull();
    expect(viewer.error).toBe('The document could not be opened. Try again.');
  });

  it('drops the late answer for a document the clinician has left for another', async () => {
    const { api, viewer, first, request } = setup();
    const slow = deferred<IpcResult<AttachmentContent>>();
    const second = documentRow({ id: 'note-2', resourceId: 'note-2' });
    const secondRequest = { ...request, id: 'note-2' };
    api.openAttachment.mockReturnValueOnce(slow.promise).mockReturnValueOnce(ok(content(secondRequest, { text: 'second' })));
    const opening = viewer.open('notes', first, first.attachments[0] ?? null);
    await viewer.open('notes', second, second.attachments[0] ?? null);
    slow.resolve({ ok: true, value: content(request, { text: 'first' }) });
    await opening;
    expect(viewer.current?.row.id).toBe('note-2');
    expect(viewer.content?.text).toBe('second');
  });

  it('drops an answer that arrives after the document was closed', async () => {
    const { api, viewer, first, request } = setup();
    const slow = deferred<IpcResult<AttachmentContent>>();
    api.openAttachment.mockReturnValueOnce(slow.promise);
    const opening = viewer.open('notes', first, first.attachments[0] ?? null);
    viewer.close();
    slow.resolve({ ok: true, value: content(request) });
    await opening;
    expect(viewer.current).toBeNull();
    expect(viewer.content).toBeNull();
    expect(viewer.loading).toBe(false);
  });

  it('shows main’s message when it refuses', async () => {
    const { api, viewer, first } = setup();
    api.openAttachment.mockReturnValueOnce(
      fail('invalid-input', 'This document is larger than 20 MB, more than ChartDesk opens.'),
    );
    await viewer.open('notes', first, first.attachments[0] ?? null);
    expect(viewer.error).toBe('This document is larger than 20 MB, more than ChartDesk opens.');
  });

  it('does not ask main for what it cannot show, and says why', async () => {
    const { api, viewer } = setup();
    const cda = documentRow({
      attachments: [{ index: 0, contentType: 'application/hl7-v3+xml', title: null, size: 3654, source: 'url' }],
    });
    await viewer.open('notes', cda, cda.attachments[0] ?? null);
    expect(viewer.error).toBe('ChartDesk cannot show this document (CDA). Open it in the EHR.');
    const empty = documentRow({ attachments: [] });
    await viewer.open('notes', empty, null);
    expect(viewer.error).toBe('The EHR sent this document without any content.');
    const noId = documentRow({ resourceId: null });
    await viewer.open('notes', noId, noId.attachments[0] ?? null);
    expect(viewer.error).toMatch(/without an id/);
    expect(api.openAttachment).not.toHaveBeenCalled();
  });
});
