import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';
import { WORKER_EXEC_ARGV } from './testing/stall-watchdog.ts';

/**
 * Timeouts are for a busy machine, not an idle one: most tests take milliseconds, a few take a second or two when
 * idle (crypto keys, servers on loopback, 10,000-row tables in jsdom) and over 6 s at load average 13 on 2 cores,
 * which failed vitest's default of 5 s. Work is bounded by counts (fuzz runs, rows), never by time.
 */
const BUSY_MACHINE_TIMEOUT_MS = 30_000;
/** Every project's workers: what the stall watchdog needs to ask a stuck one what it is doing. */
const worker = { execArgv: WORKER_EXEC_ARGV };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          ...worker,
          environment: 'node',
          testTimeout: BUSY_MACHINE_TIMEOUT_MS,
          include: [
            'common/**/*.test.ts',
            'main/**/*.test.ts',
            'sandbox/**/*.test.ts',
            'scripts/**/*.test.ts',
            'preload/**/*.test.ts',
            'bench/**/*.test.ts',
            'docs/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.replay.test.ts', '**/*.fuzz.test.ts'],
        },
      },
      {
        test: {
          // Property and fuzz tests are bounded by their number of runs (numRuns), not by time. The slowest takes
          // about 2 s on an idle core and 15 s at load average 11; the timeout leaves room for a busier machine.
          name: 'fuzz',
          ...worker,
          environment: 'node',
          include: ['**/*.fuzz.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 120_000,
        },
      },
      {
        // Main services against recorded EHR responses served verbatim (main/chart/testing/replay-server.ts).
        test: {
          name: 'replay',
          ...worker,
          environment: 'node',
          include: ['main/**/*.replay.test.ts'],
          // Real servers on loopback and the FHIR client's retry backoffs: seconds on a loaded machine.
          testTimeout: BUSY_MACHINE_TIMEOUT_MS,
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'component',
          ...worker,
          environment: 'jsdom',
          testTimeout: BUSY_MACHINE_TIMEOUT_MS,
          include: ['renderer/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          ...worker,
          environment: 'node',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          // Servers, child processes and builds: load average 10 on 2 cores stretched the slowest test from 16 s to 33 s.
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          ...worker,
          environment: 'node',
          include: ['e2e/**/*.e2e.ts', 'sandbox/**/*.e2e.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
