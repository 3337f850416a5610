// Bundles the `ferry` command (bin/ferry.js runs dist/main/hosts/cli/ferry.bundle.mjs). Node
// resolves and compiles each ES module of a program on start: the CLI's ~60 small modules cost
// ~50 ms of every `ferry send`, a tenth of a small transfer's time. Each command's code stays
// in a chunk of its own, loaded when it runs (`ferry serve`'s web server, and the `ws` package
// it imports, are not loaded by `ferry send`). npm packages stay outside, as installed. The
// files sit beside the compiled ferry.js, so paths relative to a module (the built renderer,
// for `ferry serve`) hold for both.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist/main/hosts/cli';
// Chunk names carry a hash: the last build's would pile up.
for (const f of fs.existsSync(OUT) ? fs.readdirSync(OUT) : []) if (f.endsWith('.bundle.mjs')) fs.rmSync(path.join(OUT, f));

await build({
  entryPoints: { 'ferry.bundle': 'main/hosts/cli/ferry.ts' },
  outdir: OUT,
  chunkNames: '[name]-[hash].bundle',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
