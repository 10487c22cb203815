import { describe, expect, it } from 'vitest';
import { startupFiles } from './bundle-size';

describe('the JavaScript the renderer loads at start-up', () => {
  it('is what index.html names: its module scripts and the chunks it preloads, not its stylesheets', () => {
    // As Vite writes it for renderer/vite.config.ts (base './'), with a preloaded chunk beside the entry.
    const html = `<!doctype html><html><head>
    <script type="module" crossorigin src="./assets/index-DiqJizz9.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/vendor-a1B2.js">
    <link rel="stylesheet" crossorigin href="./assets/index-B-V0R2se.css">
    </head><body><div id="app"></div></body></html>`;
    expect(startupFiles(html)).toEqual(['assets/index-DiqJizz9.js', 'assets/vendor-a1B2.js']);
  });
});
