import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyHere = 'Only main/electron/ and preload/ may import electron: keep logic testable under Node.';

export default tseslint.config(
  {
    ignores: [
      'scripts/fixtures/**',
      'dist/**',
      'release/**',
      '.tsbuild/**',
      'test-results/**',
      'node_modules/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: electronOnlyHere }],
          patterns: [{ group: ['electron/*'], message: electronOnlyHere }],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // The Electron glue: the only place main touches electron.
    files: ['main/electron/**/*.ts', 'preload/electron-preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // ipcRenderer is the preload's business only; main never reaches for the renderer side.
    files: ['main/**/*.ts', 'renderer/**/*.{ts,svelte}', 'common/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'ipcRenderer belongs to preload/ only.' },
        { selector: "Identifier[name='ipcRenderer']", message: 'ipcRenderer belongs to preload/ only.' },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,svelte}'],
    ignores: ['renderer/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main through window.chartdesk only.' }],
          patterns: [
            {
              group: ['node:*', '**/main/**', '**/preload/**'],
              message: 'The renderer is sandboxed: common/ and its own code only.',
            },
          ],
        },
      ],
    },
  },
);
