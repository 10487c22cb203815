import DOMPurify, { type Config } from 'dompurify';

/**
 * A note's HTML as the viewer shows it: DOMPurify keeps the document's text and structure (headings, paragraphs,
 * lists, tables, emphasis) and drops everything that could run, load or restyle: scripts and event handlers, style
 * sheets and style attributes, links and their targets, forms, frames, embedded objects, SVG and MathML, and every
 * URL but an inline (data:) image. The result is a DocumentFragment, parsed once in an inert document and appended as
 * nodes, never written back as a string (no second parse). The renderer's CSP (no inline script, nothing remote)
 * stands behind it. docs/SECURITY.md says why the renderer sanitizes.
 */
const CONFIG = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: [
    'style',
    'link',
    'meta',
    'base',
    'form',
    'input',
    'button',
    'select',
    'option',
    'textarea',
    'video',
    'audio',
    'source',
    'track',
    'picture',
    'dialog',
    'template',
  ],
  // class and id are the app's: a note must not take its styles or its element ids.
  FORBID_ATTR: [
    'style',
    'class',
    'id',
    'name',
    'href',
    'target',
    'ping',
    'srcset',
    'action',
    'formaction',
    'background',
    'poster',
  ],
  // No URL that names a server is kept: links go, and an image keeps its src only when the picture is inline
  // (DOMPurify keeps data: URLs on images, which load nothing); the CSP's img-src allows no other server.
  ALLOWED_URI_REGEXP: /^data:image\/(?:png|gif|jpeg|webp);base64,/i,
  // data-* attributes are the app's too (its tests and styles select on them).
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
} satisfies Config;

/** The viewer's own heading is an h3: a note's h1 becomes an h4, and so on (h6 at most), so headings stay in order. */
const HEADING_OFFSET = 3;

export function sanitizeNoteHtml(html: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(html, CONFIG);
  // An image that would have loaded from a server is gone: say so where it was, rather than leave a broken icon.
  for (const image of fragment.querySelectorAll('img:not([src])')) {
    const alt = image.getAttribute('alt')?.trim();
    const note = image.ownerDocument.createElement('span');
    note.className = 'missing-image';
    note.textContent = `[Image not shown${alt ? `: ${alt}` : ''}. Open the note in the EHR to see it.]`;
    image.replaceWith(note);
  }
  for (const heading of fragment.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Math.min(6, Number(heading.tagName[1]) + HEADING_OFFSET);
    const replacement = heading.ownerDocument.createElement(`h${level}`);
    replacement.append(...heading.childNodes);
    heading.replaceWith(replacement);
  }
  return fragment;
}
