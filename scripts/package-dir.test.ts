import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronDistFromEnv, resourcesDir } from './package-dir';

describe('package:dir inputs', () => {
  it('explains a missing ELECTRON_DIST', () => {
    expect(() => electronDistFromEnv({})).toThrow(/ELECTRON_DIST is not set.*unpacked Electron folder/);
  });

  it('rejects an ELECTRON_DIST that does not exist', () => {
    const absent = path.join(tmpdir(), 'no-such-electron-dist');
    expect(() => electronDistFromEnv({ ELECTRON_DIST: absent })).toThrow(`does not exist: ${absent}`);
  });

  it('accepts an existing folder', () => {
    expect(electronDistFromEnv({ ELECTRON_DIST: tmpdir() })).toBe(tmpdir());
  });

  it('finds the resources folder per OS', () => {
    expect(resourcesDir('/out/linux-unpacked', 'ChartDesk', 'linux')).toBe(path.join('/out/linux-unpacked', 'resources'));
    expect(resourcesDir('/out/win-unpacked', 'ChartDesk', 'win32')).toBe(path.join('/out/win-unpacked', 'resources'));
    expect(resourcesDir('/out/mac', 'ChartDesk', 'darwin')).toBe(path.join('/out/mac', 'ChartDesk.app', 'Contents', 'Resources'));
  });
});
