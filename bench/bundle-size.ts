/** The production renderer bundle, built with the app's own Vite config into a temporary folder, measured gzipped. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const rendererConfig = fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url));

export interface BundleFigures {
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
  files: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

export async function measureBundle(outDir: string): Promise<BundleFigures> {
  await build({ configFile: rendererConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const figures: BundleFigures = { jsBytes: 0, jsGzipBytes: 0, cssGzipBytes: 0, files: 0 };
  for (const file of await filesUnder(outDir)) {
    const extension = path.extname(file);
    if (extension !== '.js' && extension !== '.css') continue;
    const body = await readFile(file);
    const gzipped = gzipSync(body, { level: 9 }).byteLength;
    figures.files += 1;
    if (extension === '.js') {
      figures.jsBytes += body.byteLength;
      figures.jsGzipBytes += gzipped;
    } else {
      figures.cssGzipBytes += gzipped;
    }
  }
  if (figures.jsBytes === 0) throw new Error(`the renderer build wrote no JavaScript into ${outDir}`);
  return figures;
}
