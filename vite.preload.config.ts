// Bundles the preload into one CommonJS file, dist/preload/index.js. A sandboxed preload
// runs as a script whose `require` knows only 'electron' (and a few Node polyfills), so the
// call tables (main/core/contract/commands.ts) and the channel names derived from them
// (main/hosts/electron/channels.ts) are inlined; types from main/core vanish in the bundle.
// Type-checking is tsc's job (preload/tsconfig.json).

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/preload', import.meta.url)),
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    // Electron 45's Chromium.
    target: 'chrome140',
    lib: {
      entry: fileURLToPath(new URL('./preload/index.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'index.js',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});
