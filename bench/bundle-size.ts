/**
 * The production renderer bundle, built with the app's own Vite config into a temporary folder, measured gzipped:
 * the JavaScript the window loads at start-up (what index.html names: its module script and the chunks it
 * preloads) apart from what is loaded on demand (the PDF viewer's pdf.js and its worker, a note's HTML sanitizer).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const rendererConfig = fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url));

export interface BundleFigures {
  /** JavaScript loaded at start-up. */
  jsBytes: number;
  jsGzipBytes: number;
  /** JavaScript loaded on demand only (lazy chunks, pdf.js's worker and fallbacks). */
  lazyJsGzipBytes: number;
  cssGzipBytes: number;
  files: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The files index.html loads at start-up: its scripts and the modules it preloads, as paths relative to it. */
export function startupFiles(indexHtml: string): string[] {
  const tags = indexHtml.match(/<(?:script|link)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => {
    const isScript = tag.startsWith('<script');
    if (!isScript && !/\brel="modulepreload"/.test(tag)) return [];
    const source = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    return source ? [path.normalize(source)] : [];
  });
}

export async function measureBundle(outDir: string): Promise<BundleFigures> {
  await build({ configFile: rendererConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const atStart = new Set(startupFiles(await readFile(path.join(outDir, 'index.html'), 'utf8')));
  const figures: BundleFigures = { jsBytes: 0, jsGzipBytes: 0, lazyJsGzipBytes: 0, cssGzipBytes: 0, files: 0 };
  for (const file of await filesUnder(outDir)) {
    const extension = path.extname(file);
    if (extension !== '.js' && extension !== '.css') continue;
    const body = await readFile(file);
    const gzipped = gzipSync(body, { level: 9 }).byteLength;
    figures.files += 1;
    if (extension === '.js' && !atStart.has(path.relative(outDir, file))) {
      figures.lazyJsGzipBytes += gzipped;
    } else if (extension === '.js') {
      figures.jsBytes += body.byteLength;
      figures.jsGzipBytes += gzipped;
    } else {
      figures.cssGzipBytes += gzipped;
    }
  }
  if (figures.jsBytes === 0) throw new Error(`index.html of the renderer build in ${outDir} loads no JavaScript`);
  return figures;
}
