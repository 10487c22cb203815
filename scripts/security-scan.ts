import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';

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

/**
 * What the scan covers: source folders (tests left out) and the production build. Electronegativity reads no `.cjs`
 * file, so the bundles that ship (main and preload) are copied under a `.js` name; its AST walker does not know class
 * private fields (which the bundled libraries use), so those are lowered to ES2021 first, the code otherwise as built.
 */
const SCAN_SOURCES: Array<{ from: string; to: string }> = [
  { from: 'main', to: 'main' },
  { from: 'preload', to: 'preload' },
  { from: 'renderer/src', to: 'renderer/src' },
  { from: 'renderer/index.html', to: 'renderer/index.html' },
  { from: 'dist/renderer', to: 'dist/renderer' },
  { from: 'dist/main/index.cjs', to: 'dist/main/index.js' },
  { from: 'dist/preload/index.cjs', to: 'dist/preload/index.js' },
];

const ENGINE = path.join(ROOT, 'node_modules/@doyensec/electronegativity/dist');

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
      lowerBundles(path.join(target, 'dist'));
    }
    const sarif = path.join(work, 'out.sarif');
    // Its CLI says nothing of a file it could not read when it writes a report: run it as a library, which does.
    const options = {
      input: target,
      output: sarif,
      isSarif: true,
      isRelative: true,
      isVerbose: true,
      customScan: [],
      // Its only network check (release lookups) cannot run offline and is no code finding.
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      electronVersionOverride: ELECTRON_VERSION,
      parserPlugins: [],
    };
    const script = `require(${JSON.stringify(path.join(ENGINE, 'locales/i18n.js'))});
      require(${JSON.stringify(path.join(ENGINE, 'runner.js'))})(${JSON.stringify(options)}, false)
        .then((result) => process.stdout.write(JSON.stringify(result.errors.filter((error) => !error.tolerable))));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0 || !existsSync(sarif)) {
      throw new Error(`electronegativity failed (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
    }
    const unread = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as Array<{ file: string; message: string }>;
    if (unread.length > 0) {
      const list = unread.map((error) => `${path.relative(target, error.file)} (${error.message})`).join('; ');
      throw new Error(`electronegativity could not read ${list}: a file it cannot read is a file it did not check`);
    }
    return readFindings(sarif);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The built JavaScript, class private fields lowered so that Electronegativity's walker can read it. */
function lowerBundles(dir: string): void {
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (!file.endsWith('.js')) continue;
    const format = file.includes(`${path.sep}renderer${path.sep}`) ? 'esm' : 'cjs';
    writeFileSync(file, transformSync(readFileSync(file, 'utf8'), { target: 'es2021', format }).code);
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
