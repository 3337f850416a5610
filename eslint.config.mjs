// `npm run lint` (part of `npm test`) runs three checkers, one after the other.
// - ESLint, here: JavaScript's and TypeScript's recommended rules, React's rules (the rules of
//   hooks and the React Compiler's checks) in the renderer, and Ferry's layers
//   (scripts/lint-layers.mjs: the engine never imports Electron or a host, the renderer only
//   the contract, nothing upward). No type information: that is the next checker's.
// - Oxlint with type information (.oxlintrc.json): typescript-eslint's type-checked rules
//   (floating and misused promises, unsafe `any`, …) through tsgolint. typescript-eslint ran
//   them in 35-45 s here on two cores, tsgolint runs them in about 3 s; the rules and their
//   options are the same, and ESLint no longer builds a TypeScript program.
// - Prettier (.prettierrc.json) for formatting.

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
    extends: [...tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are kept on purpose (a parameter a callback's shape requires).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },

  // Tests poke at untyped JSON, fakes and the browser through Playwright (.oxlintrc.json lets
  // them use `any` without the unsafe-`any` rules for the same reason).
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
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
