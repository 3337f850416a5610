// `npm run lint` (part of `npm test`): JavaScript's and TypeScript's recommended rules with type
// information, React's rules of hooks in the renderer, and Ferry's layers (scripts/lint-layers.mjs:
// the engine never imports Electron or a host, the renderer only the contract, nothing upward).
// Formatting is Prettier's (.prettierrc.json), checked by the same script.

import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './scripts/lint-layers.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**'] },

  js.configs.recommended,
  // Matching control characters on purpose is what sanitising untrusted names and messages is.
  { rules: { 'no-control-regex': 'off' } },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*.js', 'tests/fixtures/renderer-*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    files: ['**/*.{ts,tsx}'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The Vite configs are in no tsconfig (Vite loads them itself).
        projectService: { allowDefaultProject: ['vite.config.ts', 'vite.preload.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Deliberately unawaited promises are marked with `void`; any other is a bug.
      // (node:test's test() and describe() return promises the runner itself awaits.)
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      // Methods are async to keep the contract's shape (every call answers with a promise).
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are kept on purpose (a parameter a callback's shape requires).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },

  // Tests poke at untyped JSON, fakes and the browser through Playwright: the type-safety rules
  // would only add casts there. The rules that catch bugs (floating promises, unused values) stay.
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // Async callbacks are what tests hand to node:test, Playwright and event fixtures; checking
      // every one against a void signature was over half the lint time of tests/ (a promise in
      // a condition or a spread is still refused).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },

  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },

  // Ferry's layers, for the code of the app itself.
  {
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { ferry: layers },
    rules: { 'ferry/layers': 'error' },
  },
);
