import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_NAME } from '../common/app-identity';
import { packageDir, resourcesDir } from './package-dir';

/**
 * `package:dir` end to end, in a scratch copy of the project so the shared dist/ and release/ stay
 * untouched: build the copy, pack it with electron-builder's `dir` target, and look inside
 * app.asar. With ELECTRON_DIST set (CI runners) the real Electron is packed with its fuses;
 * without it, on Linux, a placeholder `electron` script stands in and fuses are skipped.
 */
const root = path.resolve(import.meta.dirname, '..');
const realElectronDist = process.env.ELECTRON_DIST;
const canPack = Boolean(realElectronDist) || process.platform === 'linux';

const SOURCE_FOLDERS = ['common', 'main', 'preload', 'renderer', 'sandbox', 'build'];
const ROOT_FILES = ['package.json', 'electron-builder.yml', 'tsconfig.base.json'];

let scratch: string;
let resources: string;
let asarFiles: string[];

function makeProjectCopy(into: string): void {
  for (const folder of SOURCE_FOLDERS) {
    cpSync(path.join(root, folder), path.join(into, folder), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}node_modules`),
    });
  }
  for (const file of ROOT_FILES) cpSync(path.join(root, file), path.join(into, file));
  // A real copy of the build script: it builds into the dist/ beside its own folder.
  mkdirSync(path.join(into, 'scripts'));
  cpSync(path.join(root, 'scripts/build.ts'), path.join(into, 'scripts/build.ts'));
  // 'junction' needs no privilege on Windows and is ignored elsewhere.
  symlinkSync(path.join(root, 'node_modules'), path.join(into, 'node_modules'), 'junction');
}

function placeholderElectron(into: string): string {
  const dist = path.join(into, 'electron-dist');
  mkdirSync(dist);
  writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\necho "placeholder for a packaging test"\n');
  chmodSync(path.join(dist, 'electron'), 0o755);
  return dist;
}

describe.skipIf(!canPack)('npm run package:dir (unpacked app)', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'chartdesk-package-'));
    const project = path.join(scratch, 'project');
    mkdirSync(project);
    makeProjectCopy(project);
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: project, stdio: 'pipe' });
    const appOutDir = await packageDir({
      projectDir: project,
      electronDist: realElectronDist ?? placeholderElectron(scratch),
      outputDir: path.join(scratch, 'release'),
      applyFuses: Boolean(realElectronDist),
    });
    resources = resourcesDir(appOutDir, PRODUCT_NAME);
    asarFiles = listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((file) => file.split(path.sep).join('/'));
  }, 600_000); // a build and electron-builder: minutes on a busy machine

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds the built main, preload and renderer, and package.json pointing at main', () => {
    expect(asarFiles).toEqual(
      expect.arrayContaining(['/package.json', '/dist/main/index.cjs', '/dist/preload/index.cjs', '/dist/renderer/index.html']),
    );
    expect(asarFiles.some((file) => /^\/dist\/renderer\/assets\/.+\.js$/.test(file))).toBe(true);
    const packed = JSON.parse(extractFile(path.join(resources, 'app.asar'), 'package.json').toString('utf8'));
    expect(packed.main).toBe('dist/main/index.cjs');
  });

  it("unpacks keytar's native module beside the archive", () => {
    const keytarNode = path.join(resources, 'app.asar.unpacked/node_modules/keytar/build/Release/keytar.node');
    expect(existsSync(keytarNode)).toBe(true);
    expect(asarFiles).toContain('/node_modules/keytar/lib/keytar.js');
  });

  it('leaves out tests, sources, source maps, the sandbox and the browser-view bridge', () => {
    const offenders = asarFiles.filter(
      (file) =>
        /\.(test|int\.test|e2e)\.ts$/.test(file) ||
        /\.(ts|mts|cts|svelte|map)$/.test(file) ||
        /^\/(common|main|preload|renderer|sandbox|scripts|e2e|build|docs|src)\//.test(file) ||
        file.startsWith('/dist/web-bridge') ||
        file === '/electron-builder.yml' ||
        file.startsWith('/tsconfig'),
    );
    expect(offenders).toEqual([]);
  });

  it('ships no development dependency', () => {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    // By name: electron-builder flattens the tree, and one name can have a dev copy and a production one.
    const namesWhere = (dev: boolean) =>
      new Set(
        Object.entries(lock.packages)
          .filter(([key, entry]) => key.includes('node_modules/') && Boolean(entry.dev) === dev)
          .map(([key]) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)),
      );
    const production = namesWhere(false);
    const devOnly = [...namesWhere(true)].filter((name) => !production.has(name));
    const shipped = new Set(
      asarFiles
        .map((file) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1])
        .filter((name): name is string => Boolean(name)),
    );
    expect(shipped).toContain('keytar');
    expect(devOnly.filter((name) => shipped.has(name))).toEqual([]);
    expect([...shipped].filter((name) => !production.has(name))).toEqual([]);
  });

  it('can load every module the bundled main requires', () => {
    const main = extractFile(path.join(resources, 'app.asar'), 'dist/main/index.cjs').toString('utf8');
    const required = [...main.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]!);
    const builtin = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const missing = required.filter(
      (name) => name !== 'electron' && !builtin.has(name) && !asarFiles.includes(`/node_modules/${name}/package.json`),
    );
    expect(missing).toEqual([]);
  });
});
