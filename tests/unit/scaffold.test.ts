// Guards for the project's skeleton: the engine/host boundary and the packaging config.

import { REPO } from '../repo.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = REPO;

// js-yaml is not a direct dependency: it comes with electron-builder, which reads the
// same file, so the parser here is the one the packager uses.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(source: string): unknown };

// `electron` and its subpath entry points (`electron/main`, …), but not packages that
// merely start with the word (`electron-builder`, `@electron/get`).
const ELECTRON = String.raw`['"\`]electron(?:/[^'"\`]*)?['"\`]`;
const ELECTRON_IMPORT = new RegExp(
  [
    String.raw`\bfrom\s*${ELECTRON}`, // import … from, export … from, import type … from
    String.raw`\bimport\s*${ELECTRON}`, // side-effect import
    String.raw`\bimport\s*\(\s*${ELECTRON}`, // dynamic import()
    String.raw`\brequire\s*\(\s*${ELECTRON}`, // require(), import x = require()
  ].join('|'),
  'g',
);

/** Each place `source` loads electron, as "line: text". Comments do not count. */
function electronImports(source: string): string[] {
  // Blanked rather than removed, so offsets still map to the original lines.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' ')).replace(/(^|\s)\/\/.*$/gm, '$1');
  const lines = source.split('\n');
  return [...code.matchAll(ELECTRON_IMPORT)].map((match) => {
    const line = code.slice(0, match.index).split('\n').length;
    return `${line}: ${lines[line - 1]?.trim() ?? ''}`;
  });
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[cm]?tsx?$/.test(name))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

test('the electron-import detector flags every form of loading electron', () => {
  const loads = [
    `import { app } from "electron"`,
    `await import('electron')`,
    `const { ipcMain } = require('electron');`,
    `export { app } from 'electron';`,
    `import 'electron';`,
    `import type { App } from 'electron/main';`,
    `import electron = require("electron");`,
    `import {\n  app,\n  BrowserWindow,\n} from 'electron';`,
  ];
  for (const source of loads) assert.equal(electronImports(source).length, 1, `not flagged: ${source}`);

  const innocent = [
    `import { build } from 'electron-builder';`,
    `import { download } from '@electron/get';`,
    `// the engine never imports from 'electron'`,
    `/* require('electron') is forbidden here */`,
    `const host = 'electron';`,
    `const url = 'http://example.test/'; // not a comment start`,
  ];
  for (const source of innocent) assert.deepEqual(electronImports(source), [], `wrongly flagged: ${source}`);
});

test('main/core never imports electron', () => {
  const coreDir = join(root, 'main', 'core');
  assert.ok(existsSync(coreDir), 'main/core is missing');
  const files = tsFilesUnder(coreDir);
  assert.ok(files.length > 0, 'main/core holds no .ts files, so the check would pass vacuously');

  const offenders = files.flatMap((file) => electronImports(readFileSync(file, 'utf8')).map((hit) => `${relative(root, file)}:${hit}`));
  assert.deepEqual(offenders, [], `main/core must stay plain Node:\n${offenders.join('\n')}`);
});

/** Width and height from a PNG's IHDR chunk, which always follows the 8-byte signature. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${path} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Every string in the config that names something under assets/. */
function assetPaths(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('assets/') || value === 'assets' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(assetPaths);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(assetPaths);
  return [];
}

test('electron-builder.yml parses and every asset it names exists', () => {
  const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
  assert.ok(config !== null && typeof config === 'object', 'electron-builder.yml is not a mapping');

  const named = assetPaths(config);
  const missing = named.filter((path) => !existsSync(join(root, path)));
  assert.deepEqual(missing, [], `named in electron-builder.yml but missing: ${missing.join(', ')}`);

  const { linux, win, mac } = config as Record<string, { icon?: unknown } | undefined>;
  for (const [platform, icon] of Object.entries({ linux: linux?.icon, win: win?.icon, mac: mac?.icon })) {
    assert.ok(typeof icon === 'string' && named.includes(icon), `${platform}.icon should name a file under assets/`);
  }

  // Made offline from the PNGs by scripts/make-icons.mjs (tests/packaging.test.ts checks their contents).
  assert.match(String(win?.icon), /\.ico$/);
  assert.match(String(mac?.icon), /\.icns$/);
  // Linux takes a folder of NxN.png files, one per size the desktop may ask for.
  const linuxIcons = readdirSync(join(root, String(linux?.icon)));
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    const file = `${size}x${size}.png`;
    assert.ok(linuxIcons.includes(file), `linux icon folder lacks ${file}`);
    assert.deepEqual(pngSize(join(root, String(linux?.icon), file)), { width: size, height: size }, file);
  }
});
