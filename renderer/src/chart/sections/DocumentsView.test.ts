import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentContent } from '../../../../common/chart';
import { DocumentViewer } from '../../lib/state/document-viewer.svelte';
import { createFakeApi, ok } from '../../testing/fake-api';
import { fakeLayout } from '../../testing/layout';
import { documentRow } from '../../testing/rows';
import DocumentsView from './DocumentsView.svelte';

/** The notes list and its viewer, rendered: a note opens below the list, its HTML sanitized before it is shown. */

const NOTE = documentRow({ id: 'consult', resourceId: 'consult', type: { text: 'Consult note', system: null, code: null } });

function answer(overrides: Partial<AttachmentContent>): AttachmentContent {
  return {
    patientId: 'pat-a',
    resourceType: 'DocumentReference',
    id: 'consult',
    index: 0,
    format: 'html',
    contentType: 'text/html',
    text: '',
    base64: null,
    size: 0,
    ...overrides,
  };
}

function setup(content: AttachmentContent) {
  const { api } = createFakeApi();
  api.openAttachment.mockReturnValue(ok(content));
  const viewer = new DocumentViewer(api, 'conn-1', 'pat-a');
  render(DocumentsView, { props: { section: 'notes', rows: [NOTE], viewer } });
  return { api, viewer };
}

describe('DocumentsView', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = fakeLayout();
  });
  afterAll(() => restore());

  it('opens an HTML note sanitized, with the focus on its title', async () => {
    setup(
      answer({
        text: '<h1>Consult</h1><p onclick="window.__ran = 1">Plan <b>unchanged</b>.</p><script>window.__ran = 1</script><img src="https://tracker.example/p.png" alt="pixel">',
      }),
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Open Consult note of 24 Mar 2026' }));
    const viewer = screen.getByTestId('document-viewer');
    const html = within(viewer).getByTestId('document-html');
    await waitFor(() => expect(html.dataset.ready).toBe('true'));
    expect(viewer.dataset.format).toBe('html');
    expect(html.querySelector('h4')?.textContent).toBe('Consult');
    expect(html.querySelector('b')?.textContent).toBe('unchanged');
    expect(html.querySelectorAll('script, [onclick], [src]')).toHaveLength(0);
    expect(html.innerHTML).not.toContain('tracker.example');
    expect((window as unknown as { __ran?: number }).__ran).toBeUndefined();
    expect(document.activeElement?.id).toBe('document-title');
  });

  it('shows a text note as text, markup and all, never as HTML', async () => {
    setup(answer({ format: 'text', contentType: 'text/plain', text: 'S: <b>not bold</b>\nP: follow up' }));
    await fireEvent.click(screen.getByRole('button', { name: /^Open Consult note/ }));
    const text = await screen.findByTestId('document-text');
    expect(text.textContent).toBe('S: <b>not bold</b>\nP: follow up');
    expect(text.querySelector('b')).toBeNull();
  });

  it('closes the viewer', async () => {
    const { viewer } = setup(answer({ format: 'text', contentType: 'text/plain', text: 'Note' }));
    await fireEvent.click(screen.getByRole('button', { name: /^Open Consult note/ }));
    await screen.findByTestId('document-text');
    await fireEvent.click(screen.getByTestId('close-document'));
    expect(screen.queryByTestId('document-viewer')).toBeNull();
    expect(viewer.current).toBeNull();
  });
});
