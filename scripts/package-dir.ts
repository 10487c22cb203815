import { existsSync } from 'node:fs';
import path from 'node:path';
import { build, Platform, type AfterPackContext } from 'electron-builder';
import { buildAll } from './build';

/**
 * `npm run package:dir`: the unpacked app (electron-builder's `dir` target) for the host OS, from
 * an Electron folder already on disk (`ELECTRON_DIST`), so it needs no download. Installers come
 * from `npm run package` on a machine that can download electron-builder's tools.
 */

export interface PackageDirOptions {
  /** The folder holding package.json, electron-builder.yml and a built dist/. */
  projectDir: string;
  /** An unpacked Electron distribution: the folder with `electron`, `electron.exe` or `Electron.app`. */
  electronDist: string;
  /** Where to write the unpacked app; electron-builder.yml's `directories.output` when absent. */
  outputDir?: string;
  /**
   * Flipping fuses rewrites the real Electron binary: turn it off for a placeholder Electron
   * folder, and for a build that Playwright drives (it needs `--inspect`).
   */
  applyFuses: boolean;
}

/** Packs the app and returns the unpacked app's folder (e.g. release/linux-unpacked). */
export async function packageDir(options: PackageDirOptions): Promise<string> {
  let appOutDir: string | null = null;
  await build({
    projectDir: options.projectDir,
    targets: Platform.current().createTarget('dir'),
    publish: 'never',
    // Merged over electron-builder.yml by electron-builder itself.
    config: {
      electronDist: path.resolve(options.electronDist),
      ...(options.outputDir ? { directories: { output: path.resolve(options.outputDir) } } : {}),
      ...(options.applyFuses ? {} : { electronFuses: null }),
      afterPack: (context: AfterPackContext) => {
        appOutDir = context.appOutDir;
      },
    },
  });
  if (appOutDir === null) throw new Error('electron-builder finished without packing the app.');
  return appOutDir;
}

/** Where the packed app keeps app.asar and app.asar.unpacked. */
export function resourcesDir(appOutDir: string, productName: string, platform = process.platform): string {
  return platform === 'darwin'
    ? path.join(appOutDir, `${productName}.app`, 'Contents', 'Resources')
    : path.join(appOutDir, 'resources');
}

export function electronDistFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const dist = env.ELECTRON_DIST;
  if (!dist) {
    throw new Error(
      'ELECTRON_DIST is not set. Point it at an unpacked Electron folder (the one holding the electron ' +
        'executable, electron.exe or Electron.app), e.g. ELECTRON_DIST=node_modules/electron/dist.',
    );
  }
  if (!existsSync(dist)) throw new Error(`ELECTRON_DIST names a folder that does not exist: ${dist}`);
  return dist;
}

async function main(): Promise<void> {
  const projectDir = path.resolve(import.meta.dirname, '..');
  let electronDist: string;
  try {
    electronDist = electronDistFromEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  await buildAll();
  const appOutDir = await packageDir({
    projectDir,
    electronDist,
    applyFuses: !process.argv.includes('--no-fuses'),
  });
  console.log(`Unpacked app: ${path.relative(projectDir, appOutDir)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await main();
}
