import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          // Most tests take milliseconds; a few take a second or two on an idle machine (crypto keys, servers on
          // loopback) and over 6 s at load average 13 on 2 cores. Vitest's default of 5 s failed those.
          testTimeout: 30_000,
          include: [
            'common/**/*.test.ts',
            'main/**/*.test.ts',
            'sandbox/**/*.test.ts',
            'scripts/**/*.test.ts',
            'preload/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.fuzz.test.ts'],
        },
      },
      {
        test: {
          // Property and fuzz tests are bounded by their number of runs (numRuns), not by time. The slowest takes
          // about 2 s on an idle core; the timeout leaves room for a machine many times busier.
          name: 'fuzz',
          environment: 'node',
          include: ['**/*.fuzz.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 120_000,
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'component',
          environment: 'jsdom',
          // 10,000-row tables in jsdom: a second idle, over 6 s on a busy machine (budgets are asserted on CPU time).
          testTimeout: 30_000,
          include: ['renderer/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          // Servers, child processes and builds: seconds on an idle machine, several times that on a busy one
          // (load average 10 on 2 cores stretched the slowest test from 16 s to 33 s).
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
