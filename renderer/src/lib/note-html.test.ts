import { describe, expect, it } from 'vitest';
import { sanitizeNoteHtml } from './note-html';

/** What the viewer keeps of a note's HTML: its text and structure, nothing that runs, loads or restyles. */

function sanitized(html: string): HTMLElement {
  const host = document.createElement('div');
  host.append(sanitizeNoteHtml(html));
  return host;
}

/** Every attribute left that could run code or name a URL. */
function dangerousAttributes(host: HTMLElement): string[] {
  return [...host.querySelectorAll('*')].flatMap((element) =>
    [...element.attributes]
      .filter((attribute) =>
        /^on|^(style|href|src|srcset|srcdoc|background|poster|action|formaction|ping|data|xlink:href)$/.test(attribute.name),
      )
      .filter((attribute) => !(attribute.name === 'src' && attribute.value.startsWith('data:image/png;base64,')))
      .map((attribute) => `${element.tagName.toLowerCase()} ${attribute.name}`),
  );
}

const REMOTE = 'https://tracker.example';

describe('sanitizeNoteHtml', () => {
  it('keeps the note’s text and structure: paragraphs, lists, tables, emphasis', () => {
    const host = sanitized(
      '<p>Seen for <b>follow-up</b>, <em>stable</em>.</p><ul><li>Continue metformin.</li></ul>' +
        '<table><caption>Problems</caption><tr><th>Problem</th></tr><tr><td>Hypertension</td></tr></table>',
    );
    expect(host.querySelector('b')?.textContent).toBe('follow-up');
    expect(host.querySelector('li')?.textContent).toBe('Continue metformin.');
    expect([...host.querySelectorAll('th, td')].map((cell) => cell.textContent)).toEqual(['Problem', 'Hypertension']);
    expect(host.querySelector('caption')?.textContent).toBe('Problems');
  });

  it('moves the note’s headings below the viewer’s own h3, keeping their order and text', () => {
    const host = sanitized('<h1>Consult</h1><h2>Reason</h2><h3>Detail</h3><h5>Deep</h5>');
    expect(
      [...host.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((heading) => `${heading.tagName} ${heading.textContent}`),
    ).toEqual(['H4 Consult', 'H5 Reason', 'H6 Detail', 'H6 Deep']);
  });

  it.each([
    ['a script', `<script>window.__ran = 1</script><script src="${REMOTE}/x.js"></script>`, 'script'],
    ['a style sheet', `<style>@import url(${REMOTE}/a.css); p { background: url(${REMOTE}/b.png) }</style>`, 'style'],
    ['a linked style sheet', `<link rel="stylesheet" href="${REMOTE}/a.css">`, 'link'],
    ['a meta refresh', `<meta http-equiv="refresh" content="0;url=${REMOTE}/">`, 'meta'],
    ['a base URL', `<base href="${REMOTE}/">`, 'base'],
    ['a frame', `<iframe src="${REMOTE}/frame"></iframe><iframe srcdoc="<script>parent.x=1</script>"></iframe>`, 'iframe'],
    ['an object and an embed', `<object data="${REMOTE}/o"></object><embed src="${REMOTE}/e">`, 'object, embed'],
    ['SVG', `<svg onload="window.__ran = 1"><image href="${REMOTE}/i.png"/></svg>`, 'svg, image'],
    ['MathML', `<math><mi xlink:href="${REMOTE}/m">x</mi></math>`, 'math'],
    [
      'media',
      `<video poster="${REMOTE}/p.png" src="${REMOTE}/v.mp4"></video><audio src="${REMOTE}/a.mp3"></audio>`,
      'video, audio',
    ],
    [
      'a form',
      `<form action="${REMOTE}/f"><input autofocus onfocus="x()"><button formaction="${REMOTE}/b">Go</button></form>`,
      'form, input, button',
    ],
  ])('drops %s', (_what, html, selector) => {
    const host = sanitized(`<p>Before</p>${html}<p>After</p>`);
    expect(host.querySelectorAll(selector)).toHaveLength(0);
    expect(dangerousAttributes(host)).toEqual([]);
    expect(host.textContent).toContain('Before');
    expect(host.textContent).toContain('After');
  });

  it('drops event handlers, inline styles, links’ targets and every remote URL, keeping the elements’ text', () => {
    const host = sanitized(
      `<img src="${REMOTE}/pixel.png" alt="chest film" onerror="window.__ran = 1">` +
        `<img srcset="${REMOTE}/a.png 2x" alt="srcset">` +
        `<div style="background: url(${REMOTE}/s.png)" onmouseover="x()">Styled</div>` +
        `<table background="${REMOTE}/t.png"><tr><td>Cell</td></tr></table>` +
        `<a href="javascript:alert(1)">Script link</a> <a href="${REMOTE}/page" ping="${REMOTE}/ping" target="_blank">Web link</a>` +
        `<details open ontoggle="x()"><summary>More</summary>Hidden</details>`,
    );
    expect(dangerousAttributes(host)).toEqual([]);
    // The images that would have loaded from a server say so where they were.
    expect(host.querySelectorAll('img')).toHaveLength(0);
    expect([...host.querySelectorAll('.missing-image')].map((note) => note.textContent)).toEqual([
      '[Image not shown: chest film. Open the note in the EHR to see it.]',
      '[Image not shown: srcset. Open the note in the EHR to see it.]',
    ]);
    expect(host.textContent).toContain('Styled');
    expect(host.textContent).toContain('Script link');
    expect(host.textContent).toContain('Web link');
    expect(host.querySelector('td')?.textContent).toBe('Cell');
    expect(host.innerHTML).not.toContain(REMOTE);
  });

  it('keeps an image drawn inline in the note (a data: URL, which loads nothing), never a remote one', () => {
    const pixel =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';
    const host = sanitized(
      `<img src="${pixel}" alt="inline"><img src="//tracker.example/p.png" alt="remote"><img src="scan.png" alt="relative">`,
    );
    expect([...host.querySelectorAll('img')].map((image) => image.getAttribute('src'))).toEqual([pixel]);
    expect(host.querySelectorAll('.missing-image')).toHaveLength(2);
  });

  it('takes neither the app’s ids, its classes nor its data attributes', () => {
    const host = sanitized('<p id="document-title" class="error" name="x" data-testid="document-error">Hijack</p>');
    const paragraph = host.querySelector('p');
    expect(paragraph?.getAttributeNames()).toEqual([]);
    expect(paragraph?.textContent).toBe('Hijack');
  });
});
