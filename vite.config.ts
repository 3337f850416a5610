// Builds the renderer only; main and preload are compiled by tsc (see preload/tsconfig.json).

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  // Relative asset URLs, because Electron loads the page from file:// (loadFile).
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // One bundle, read from the disk or loopback, never a network: its size (React, i18next and
    // both languages' words, about 540 kB) costs no download. Warn only well past that.
    chunkSizeWarningLimit: 800,
  },
});
