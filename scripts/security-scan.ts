import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs Electronegativity offline over the Electron-facing sources and the built renderer and
 * preload, and returns the findings that no reviewed exclusion covers. Electronegativity exits 0
 * even with findings, so the gate reads its SARIF output.
 */
export interface Finding {
  check: string;
  file: string;
  line: number;
  message: string;
}

export interface Exclusion {
  check: string;
  file: string;
  reason: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const ELECTRON_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version;

/** What the scan covers: source folders (tests left out) and the production build. */
const SCAN_SOURCES: Array<{ from: string; to: string }> = [
  { from: 'main', to: 'main' },
  { from: 'preload', to: 'preload' },
  { from: 'renderer/src', to: 'renderer/src' },
  { from: 'renderer/index.html', to: 'renderer/index.html' },
  { from: 'dist/renderer', to: 'dist/renderer' },
  { from: 'dist/preload', to: 'dist/preload' },
];

export function loadExclusions(file = path.join(ROOT, 'scripts/electronegativity-exclusions.json')): Exclusion[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { exclusions?: unknown };
  if (!Array.isArray(parsed.exclusions)) throw new Error(`${file}: "exclusions" must be an array`);
  return parsed.exclusions.map((entry: unknown, index) => {
    const { check, file: excludedFile, reason } = (entry ?? {}) as Record<string, unknown>;
    if (
      typeof check !== 'string' ||
      typeof excludedFile !== 'string' ||
      typeof reason !== 'string' ||
      reason.trim().length < 20
    ) {
      throw new Error(`${file}: exclusion #${index + 1} needs a check, a file and a reason of a sentence at least`);
    }
    return { check, file: excludedFile, reason };
  });
}

/** Copies the inputs (or the given folder) into a scratch folder and scans it. */
export function scan(inputDir?: string): Finding[] {
  const work = mkdtempSync(path.join(os.tmpdir(), 'chartdesk-eng-'));
  try {
    const target = path.join(work, 'app');
    if (inputDir) {
      cpSync(inputDir, target, { recursive: true });
    } else {
      for (const source of SCAN_SOURCES) {
        const from = path.join(ROOT, source.from);
        if (!existsSync(from)) throw new Error(`${source.from} is missing: run \`npm run build\` before the security scan`);
        cpSync(from, path.join(target, source.to), {
          recursive: true,
          filter: (file) => !/\.(test|int\.test|fuzz\.test)\.ts$/.test(file),
        });
      }
    }
    const sarif = path.join(work, 'out.sarif');
    const run = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/@doyensec/electronegativity/dist/index.js'),
        '-i',
        target,
        '-o',
        sarif,
        '-r',
        '-e',
        ELECTRON_VERSION,
        // Its only network check (release lookups) cannot run offline and is no code finding.
        '-x',
        'AvailableSecurityFixesGlobalCheck',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (run.status !== 0 || !existsSync(sarif)) {
      throw new Error(`electronegativity failed (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
    }
    return readFindings(sarif);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readFindings(sarifFile: string): Finding[] {
  interface SarifResult {
    ruleId: string;
    message?: { text?: string };
    locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }>;
  }
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: Array<{ results: SarifResult[] }> };
  return (sarif.runs[0]?.results ?? []).map((result) => {
    const location = result.locations?.[0]?.physicalLocation;
    return {
      check: result.ruleId,
      file: (location?.artifactLocation?.uri ?? '').replace(/^file:\/\/\/?/, '').replace(/^.*?\/app\//, ''),
      line: location?.region?.startLine ?? 0,
      message: result.message?.text ?? '',
    };
  });
}

export function unexcused(findings: Finding[], exclusions: Exclusion[]): Finding[] {
  return findings.filter((finding) => !exclusions.some((e) => e.check === finding.check && e.file === finding.file));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const remaining = unexcused(scan(), loadExclusions());
  for (const finding of remaining) console.log(`${finding.check} ${finding.file}:${finding.line} ${finding.message}`);
  console.log(
    remaining.length === 0 ? 'Electronegativity: no finding outside the reviewed exclusions.' : `${remaining.length} finding(s).`,
  );
  process.exit(remaining.length === 0 ? 0 : 1);
}
