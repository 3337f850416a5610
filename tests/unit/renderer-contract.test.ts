// The renderer uses the engine's contract itself (renderer/src/contract.ts re-exports it),
// which therefore stays free of Node. And the renderer reaches the world only through the bridge.

import { REPO } from '../repo.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as Real from '../../main/core/contract/index.js';
import * as Mirror from '../../renderer/src/contract.js';

const ROOT_DIR = REPO;

test("the renderer imports the engine's contract itself, not a copy", () => {
  const text = readFileSync(join(ROOT_DIR, 'renderer', 'src', 'contract.ts'), 'utf8');
  assert.match(text, /export \* from '\.\.\/\.\.\/main\/core\/contract\/index\.js'/);
  assert.equal(Mirror.OFFER_PREVIEW_ENTRIES, Real.OFFER_PREVIEW_ENTRIES);
  assert.deepEqual(Mirror.COMMAND_NAMES, Real.COMMAND_NAMES);
  // The contract (main/core/contract/) stays free of Node, or the renderer could not use it,
  // and imports nothing from outside its folder.
  const dir = join(ROOT_DIR, 'main', 'core', 'contract');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 6, `contract modules: ${files.join(', ')}`);
  for (const file of files) {
    const src = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(src, /from 'node:|NodeJS\.|\bBuffer\b|\bprocess\./, file);
    for (const m of src.matchAll(/from '([^']+)'/g)) assert.match(m[1]!, /^\.\/[a-z-]+\.js$/, `${file} imports ${m[1]}`);
  }
});

test('only renderer/src/bridge talks to the outside: no fetch, WebSocket, IPC or Node modules elsewhere', () => {
  const src = join(REPO, 'renderer', 'src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(src, f));
  assert.ok(files.length > 10, 'renderer sources found');
  const forbidden = [
    /\bfetch\s*\(/,
    /\bWebSocket\b/,
    /\bXMLHttpRequest\b/,
    /\bipcRenderer\b/,
    /\bEventSource\b/,
    /from\s+['"]node:/,
    /from\s+['"]electron['"]/,
    /\bwindow\.ferry\b/,
  ];
  const offenders: string[] = [];
  for (const file of files) {
    const rel = relative(src, file).split('\\').join('/');
    if (rel.startsWith('bridge/') || rel === 'global.d.ts') continue;
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1');
    for (const re of forbidden) if (re.test(code)) offenders.push(`${rel}: ${re.source}`);
  }
  assert.deepEqual(offenders, []);
});
