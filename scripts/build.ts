import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build as esbuild, type BuildOptions } from 'esbuild';
import { build as viteBuild } from 'vite';

/**
 * Production build: main for Electron's Node (CommonJS, electron and native modules left
 * external), the preload as one CommonJS file (a sandboxed preload cannot load modules), the
 * browser view's bridge script, and the renderer through Vite.
 */
const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

const common: BuildOptions = {
  bundle: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

export async function buildAll(): Promise<void> {
  await rm(dist, { recursive: true, force: true });
  await Promise.all([
    esbuild({
      ...common,
      entryPoints: ['main/electron/index.ts'],
      outfile: 'dist/main/index.cjs',
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      external: ['electron', 'keytar'],
    }),
    esbuild({
      ...common,
      entryPoints: ['preload/electron-preload.ts'],
      outfile: 'dist/preload/index.cjs',
      platform: 'node',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
    }),
    esbuild({
      ...common,
      entryPoints: ['preload/browser-bridge.ts'],
      outfile: 'dist/web-bridge/bridge.js',
      platform: 'browser',
      format: 'iife',
      target: 'chrome130',
      minify: true,
    }),
  ]);
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = performance.now();
  await buildAll();
  console.log(`Built dist/ in ${Math.round(performance.now() - started)} ms`);
}
