import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * PHI must stay out of window titles and OS notifications, and reach the clipboard or a printer only by an
 * explicit action of the clinician. ChartDesk has no copy or print feature at all, so no shipped source may
 * touch any of these surfaces; the window title is fixed to "ChartDesk" (e2e/chart.e2e.ts checks it live).
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SHIPPED = ['renderer/src', 'preload', 'main', 'common'];
const SURFACES: Array<[string, RegExp]> = [
  ['document.title', /document\s*\.\s*title/],
  ['<svelte:head> (sets the title)', /<svelte:head/],
  ['BrowserWindow.setTitle', /\.setTitle\s*\(/],
  ['Notification API', /\bNotification\s*[.(]|new\s+Notification\b/],
  ['clipboard', /\bclipboard\b/i],
  ['printing', /\bprint(ToPDF)?\s*\(|window\s*\.\s*print\b/],
  ['badge and overlay icons', /setBadgeCount|setOverlayIcon|setProgressBar/],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'testing' ? [] : sources(full);
    return /\.(ts|svelte|html)$/.test(name) && !/\.(test|int\.test|fuzz\.test|perf\.test)\.ts$/.test(name) ? [full] : [];
  });
}

describe('PHI surfaces (window title, notifications, clipboard, printing)', () => {
  const files = SHIPPED.flatMap((dir) => sources(path.join(ROOT, dir)));

  it('scans the shipped sources', () => {
    expect(files.some((file) => file.endsWith('Workspace.svelte'))).toBe(true);
    expect(files.some((file) => file.endsWith(path.join('electron', 'index.ts')))).toBe(true);
  });

  it('no shipped source sets the title, notifies, uses the clipboard or prints', () => {
    const hits: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [name, pattern] of SURFACES) if (pattern.test(text)) hits.push(`${path.relative(ROOT, file)}: ${name}`);
    }
    expect(hits).toEqual([]);
  });

  it('the window title is fixed: "ChartDesk" in the page, and page titles are not passed to the window', () => {
    expect(readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8')).toMatch(/<title>ChartDesk<\/title>/);
    expect(readFileSync(path.join(ROOT, 'main/electron/index.ts'), 'utf8')).toMatch(
      /on\('page-title-updated', \(event\) => event\.preventDefault\(\)\)/,
    );
  });
});
