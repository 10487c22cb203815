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
          include: [
            'common/**/*.test.ts',
            'main/**/*.test.ts',
            'sandbox/**/*.test.ts',
            'scripts/**/*.test.ts',
            'preload/**/*.test.ts',
            'bench/**/*.test.ts',
            'docs/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.replay.test.ts'],
        },
      },
      {
        // Main services against recorded EHR responses served verbatim (main/chart/testing/replay-server.ts).
        test: {
          name: 'replay',
          environment: 'node',
          include: ['main/**/*.replay.test.ts'],
          // Real servers on loopback and the FHIR client's retry backoffs: seconds on a loaded machine.
          testTimeout: 30_000,
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'component',
          environment: 'jsdom',
          include: ['renderer/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
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
