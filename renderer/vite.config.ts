import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const pdfjsDir = fileURLToPath(new URL('../node_modules/pdfjs-dist/', import.meta.url));

/**
 * The files pdf.js fetches at run time, copied into the bundle under `pdfjs/` so that they load from the app's own
 * origin under its CSP: the standard fonts (for PDFs that do not embed theirs), the CMaps (CJK text) and the
 * JavaScript decoders for JBIG2 and JPEG 2000 images (scanned and faxed documents), used instead of WebAssembly,
 * which the CSP does not allow.
 */
function pdfjsAssets(): Plugin {
  const folders: Array<[string, (name: string) => boolean]> = [
    ['standard_fonts', (name) => /\.(pfb|ttf)$/.test(name) || name.startsWith('LICENSE')],
    ['cmaps', (name) => name.endsWith('.bcmap') || name === 'LICENSE'],
    ['wasm', (name) => name.endsWith('_nowasm_fallback.js') || /^LICENSE_(PDFJS_)?(JBIG2|OPENJPEG)$/.test(name)],
  ];
  return {
    name: 'chartdesk-pdfjs-assets',
    apply: 'build',
    generateBundle() {
      for (const [folder, keep] of folders) {
        for (const name of readdirSync(path.join(pdfjsDir, folder)).filter(keep)) {
          this.emitFile({
            type: 'asset',
            fileName: `pdfjs/${folder}/${name}`,
            source: readFileSync(path.join(pdfjsDir, folder, name)),
          });
        }
      }
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [svelte(), pdfjsAssets()],
  // pdf.js's worker is an ES module.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    // Inline assets would need data: in script-src/style-src; keep every asset a file.
    assetsInlineLimit: 0,
  },
});
