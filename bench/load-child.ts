/** Builds the load child once (esbuild, one CommonJS file) and runs it per load in a fresh Node process. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { LoadOutcome, LoadRequest } from './load-types';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildLoadChild(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'load-worker.cjs');
  await build({
    entryPoints: [path.join(here, 'load-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { 'cross-fetch': path.join(here, 'cross-fetch-shim.ts') },
    logLevel: 'warning',
  });
  return outfile;
}

export async function runLoadChild(script: string, request: LoadRequest): Promise<LoadOutcome> {
  const child = spawn(process.execPath, ['--expose-gc', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0)
    throw new Error(`load child (${request.client}) exited with ${code}: ${Buffer.concat(err).toString('utf8').trim()}`);
  return JSON.parse(Buffer.concat(out).toString('utf8')) as LoadOutcome;
}
