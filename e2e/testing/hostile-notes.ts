import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readReal } from '../../main/chart/testing/real-fixtures';

/** The patient of the hostile data set: HL7's Patient-example (Peter Chalmers). */
export const HOSTILE_PATIENT_ID = 'example';

/**
 * HTML that tries every way a note could run code or load from elsewhere, each aimed at `canary` (a server that
 * records what it is asked for) or at `window.__pwned`: scripts, event handlers, style sheets and CSS url(),
 * frames, objects, media, srcset, meta refresh, base, forms and javascript: links.
 */
export function hostileHtml(canary: string): string {
  return `<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0;url=${canary}/meta-refresh">
<base href="${canary}/base/">
<link rel="stylesheet" href="${canary}/link.css">
<link rel="prefetch" href="${canary}/prefetch">
<style>@import url('${canary}/import.css'); body { background: url('${canary}/style-bg.png') }
@font-face { font-family: remote; src: url('${canary}/font.woff2') } p { font-family: remote }</style>
<script>window.__pwned = 'head script'; fetch('${canary}/script-fetch');</script>
</head><body>
<h1>Progress note</h1>
<p>Patient seen today for follow-up. Plan unchanged.</p>
<script src="${canary}/external.js"></script>
<script>window.__pwned = 'inline script'; new Image().src = '${canary}/script-image';</script>
<img src="${canary}/img.png" alt="remote image" onerror="window.__pwned = 'onerror remote'">
<img src="missing.png" alt="relative image" onerror="window.__pwned = 'onerror relative'">
<img srcset="${canary}/srcset.png 2x" alt="srcset">
<div style="background-image: url('${canary}/inline-style.png')" onmouseover="window.__pwned = 'mouseover'">Styled text</div>
<svg onload="window.__pwned = 'svg onload'"><image href="${canary}/svg-image.png"></image></svg>
<iframe src="${canary}/iframe"></iframe>
<iframe srcdoc="<script>parent.__pwned = 'srcdoc'</script><img src='${canary}/srcdoc.png'>"></iframe>
<object data="${canary}/object"></object>
<embed src="${canary}/embed">
<video poster="${canary}/poster.png" src="${canary}/video.mp4"></video>
<audio src="${canary}/audio.mp3" autoplay></audio>
<table background="${canary}/table-bg.png"><tr><td>Cell kept</td></tr></table>
<input type="image" src="${canary}/input-image.png" alt="input image">
<form action="${canary}/form"><input name="q" value="x" autofocus onfocus="window.__pwned = 'onfocus'"><button>Send</button></form>
<a href="javascript:window.__pwned = 'javascript link'">A link</a>
<a href="${canary}/anchor" ping="${canary}/ping">Another link</a>
<details open ontoggle="window.__pwned = 'ontoggle'"><summary>More</summary>Details kept</details>
<p>Visible ending of the note.</p>
</body></html>`;
}

/**
 * A data folder for the sandbox (`dataDir`) holding one transaction bundle: HL7's Patient-example, Epic's
 * practitioner, and two notes derived from US Core's DocumentReference-soap-note (fixtures/real) with only their
 * id, subject and attachment changed: one with the hostile HTML inline, one naming a Binary that holds it.
 */
export function writeHostileDataDir(canary: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chartdesk-hostile-notes-'));
  const html = Buffer.from(hostileHtml(canary), 'utf8').toString('base64');
  const note = readReal('us-core/DocumentReference-soap-note.json');
  const subject = { reference: `Patient/${HOSTILE_PATIENT_ID}` };
  const resources = [
    readReal('hl7-r4-examples/Patient-example.json'),
    readReal('epic/Practitioner-eM5CWtq15N0WJeuCet5bJlQ3.json'),
    { ...note, id: 'hostile-inline', subject, content: [{ attachment: { contentType: 'text/html', data: html } }] },
    {
      ...note,
      id: 'hostile-binary',
      date: '2026-03-25T10:00:00Z',
      subject,
      content: [{ attachment: { contentType: 'text/html', url: 'Binary/hostile-binary' } }],
    },
    { resourceType: 'Binary', id: 'hostile-binary', contentType: 'text/html', securityContext: subject, data: html },
  ];
  const bundle = { resourceType: 'Bundle', type: 'transaction', entry: resources.map((resource) => ({ resource })) };
  writeFileSync(path.join(dir, 'hostile-notes.json'), JSON.stringify(bundle));
  return dir;
}
