import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/SECURITY.md maps each security claim to code and tests by file path. A path that no longer exists, an
 * Inferno row cited that is not in the requirement list, or a checklist item left out makes the map wrong.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const DOC = readFileSync(path.join(ROOT, 'docs/SECURITY.md'), 'utf8');
const REQUIREMENTS = path.join(ROOT, 'spec/inferno-client-requirements-2.2.txt');

/** Every `code span` that looks like a repository path (a folder and a file name with an extension). */
function namedPaths(): string[] {
  const spans = [...DOC.matchAll(/`([^`\s]+)`/g)].map((match) => match[1]!);
  return [...new Set(spans.filter((span) => /^[\w.-]+\/[\w./-]*\.\w+$/.test(span) || /^[\w.-]+\/[\w.-]+\/$/.test(span)))];
}

describe('docs/SECURITY.md', () => {
  it('names only files that exist', () => {
    const paths = namedPaths();
    expect(paths.length).toBeGreaterThan(60);
    const missing = paths.filter((name) => !existsSync(path.join(ROOT, name)));
    expect(missing).toEqual([]);
  });

  it('lists all 20 items of the Electron checklist, in order', () => {
    const section = DOC.slice(DOC.indexOf('## 1.'), DOC.indexOf('## 2.'));
    const items = [...section.matchAll(/^\| (\d+) +\|/gm)].map((match) => Number(match[1]));
    expect(items).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('accounts for every SHALL and SHALL NOT row of the Inferno client list', () => {
    const shallRows = readFileSync(REQUIREMENTS, 'utf8')
      .split('\n')
      .map((line) => /^(\d+) SHALL( NOT)? /.exec(line)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number);
    const section = DOC.slice(DOC.indexOf('## 2.'), DOC.indexOf('## 3.'));
    const covered = new Set<number>();
    for (const [, cell] of section.matchAll(/^\| (\d[\d, –-]*?) +\|/gm)) {
      for (const part of cell!.split(',')) {
        const [from, to = from] = part.trim().split(/[–-]/).map(Number) as [number, number?];
        for (let id = from; id <= to!; id++) covered.add(id);
      }
    }
    expect(shallRows.length).toBeGreaterThan(100);
    expect(shallRows.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('is right that Electron is pinned to an exact version (checklist item 16)', () => {
    const { devDependencies = {}, dependencies = {} } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
      dependencies?: Record<string, string>;
    };
    expect({ ...dependencies, ...devDependencies }.electron).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
