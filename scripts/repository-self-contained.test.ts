import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A clone builds, runs and passes its tests from its own files: no tracked file may point at a folder beside the
 * checkout (the shared data folder the project once read its patients and requirement list from, or any other).
 */
const ROOT = path.resolve(import.meta.dirname, '..');
/** The folder that used to sit beside the checkout, however it is spelled. */
const SHARED_FOLDER = /\.\.\/shared\b|\bshared\/(?:fhir-data|spec)\b/;
/** A relative path climbing out of its folder, as written in code, docs and configs. */
const CLIMBING_PATH = /(?<![\w.])((?:\.\.\/)+)[\w@-]/g;

interface TextFile {
  name: string;
  text: string;
}

function trackedTextFiles(): TextFile[] {
  const names = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return names
    .map((name) => ({ name, bytes: readFileSync(path.join(ROOT, name)) }))
    .filter(({ bytes }) => !bytes.includes(0))
    .map(({ name, bytes }) => ({ name, text: bytes.toString('utf8') }));
}

/** `file:line` for every line that matches, looking only at the files that hold `mark` (the fixtures are large). */
function linesMatching(files: TextFile[], mark: string, test: (line: string, file: string) => boolean): string[] {
  return files
    .filter(({ text }) => text.includes(mark))
    .flatMap(({ name, text }) =>
      text
        .split('\n')
        .flatMap((line, index) =>
          line.includes(mark) && test(line, name) ? [`${name}:${index + 1}: ${line.trim().slice(0, 160)}`] : [],
        ),
    );
}

/** True when a `../` chain on this line, taken from the file's own folder, leaves the checkout. */
function climbsOutOfCheckout(line: string, file: string): boolean {
  const folder = path.dirname(path.join(ROOT, file));
  return [...line.matchAll(CLIMBING_PATH)].some((match) => {
    const target = path.resolve(folder, match[1]!);
    return target !== ROOT && !target.startsWith(`${ROOT}${path.sep}`);
  });
}

describe('the repository stands on its own', () => {
  const files = trackedTextFiles();

  it('scans every tracked text file', () => {
    expect(files.map((file) => file.name)).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'vitest.config.ts', 'fixtures/synthea-r4/LICENSE']),
    );
  });

  it('names no shared folder beside the checkout', () => {
    expect(linesMatching(files, 'shared', (line) => SHARED_FOLDER.test(line))).toEqual([]);
  });

  it('has no relative path that climbs out of the checkout', () => {
    expect(linesMatching(files, '../', climbsOutOfCheckout)).toEqual([]);
  });

  it('catches both kinds of path it looks for', () => {
    // Built from parts, so that this file does not hold what it looks for.
    const up = (levels: number) => '../'.repeat(levels);
    const data = ['shared', 'fhir-data', 'synthea-r4'].join('/');
    expect(SHARED_FOLDER.test(`path.resolve(ROOT, '${up(1)}${data}')`)).toBe(true);
    expect(SHARED_FOLDER.test(`path.join(ROOT, '..', '${data}')`)).toBe(true);
    expect(climbsOutOfCheckout(`'${up(4)}${data}'`, 'main/fhir/testing/synthea.ts')).toBe(true);
    expect(climbsOutOfCheckout(`import { x } from '${up(3)}common/chart';`, 'renderer/src/chart/x.ts')).toBe(false);
    expect(climbsOutOfCheckout(`[the guide](${up(1)}README.md)`, 'docs/IT-GUIDE.md')).toBe(false);
  });
});
