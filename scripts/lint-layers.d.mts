// Types for scripts/lint-layers.mjs (an ESLint plugin with one rule, `layers`), for the tests.
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
export declare function layerOf(repoPath: string): { name: string; paths: string[]; uses: string[] } | null;
