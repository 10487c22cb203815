import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** One axe-core finding as test-results/axe.json records it: the rule, its impact, and the elements it found. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  /** The CSS selector of each failing element, with axe's one-line account of why it fails. */
  nodes: Array<{ target: string; failure: string }>;
}

export interface AxeScreen {
  screen: string;
  violations: AxeViolation[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResults {
  violations: Array<{
    id: string;
    impact?: string | null;
    nodes: Array<{ target: unknown[]; failureSummary?: string }>;
  }>;
}

/**
 * Runs axe-core (from node_modules, the version package-lock.json pins) on the page as it stands, with
 * every rule axe enables by default (WCAG 2.x A and AA, and its best practices). The script is evaluated
 * through the DevTools protocol, so the renderer's CSP stays as strict as in the product.
 */
export async function scanWithAxe(page: Page, screen: string): Promise<AxeScreen> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (context: Document) => Promise<unknown> } }).axe.run(document),
  )) as AxeResults;
  return {
    screen,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map(String).join(' '),
        failure: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    })),
  };
}

export function writeAxeReport(file: string, screens: readonly AxeScreen[]): void {
  writeFileSync(file, JSON.stringify(screens, null, 2) + '\n');
}
