import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds an Electron binary without triggering the `electron` package's download (which fails
 * offline): `ELECTRON_PATH` first, then a binary the package already installed.
 */
export function findElectronBinary(root: string): string | null {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
