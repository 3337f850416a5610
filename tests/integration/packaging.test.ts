// What can be checked of the desktop packaging without the Electron binary: the
// electron-builder config (parsed, and validated by electron-builder's own schema), the files
// and icons it names, the deb's metadata, the icon containers, and the built main process:
// what it imports, and that it starts under plain Node with electron stubbed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_HOMEPAGE } from '../../main/hosts/electron/window.js';
import { REPO } from '../helpers.js';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(source: string): unknown };
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  description?: string;
  homepage?: string;
  author?: string | { name?: string; email?: string };
  dependencies?: Record<string, string>;
};

interface BuilderConfig {
  directories?: { output?: string; buildResources?: string };
  files?: string[];
  linux?: { target?: unknown; icon?: string };
  win?: { target?: unknown; icon?: string };
  mac?: { target?: unknown; icon?: string };
}
const config = yaml.load(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

const targets = (t: unknown): string[] =>
  (Array.isArray(t) ? t : [t]).map((x) => (typeof x === 'string' ? x : (x as { target: string }).target));

function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  test("parses, and electron-builder's own schema accepts it", async () => {
    assert.ok(config && typeof config === 'object');
    // Deep imports into electron-builder's library: the same loader and validator `npm run dist` runs.
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<unknown>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger, log } = require('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
      log: { stream: NodeJS.WritableStream };
    };
    // Its log lines ("• loaded configuration") would go to stdout, which carries the test
    // runner's own serialized reports from this process: interleaved, they corrupt them.
    log.stream = process.stderr;
    const loaded = await getConfig(REPO, join(REPO, 'electron-builder.yml'), null);
    await validateConfiguration(loaded, new DebugLogger(false));
  });

  test('targets AppImage and deb on Linux, nsis on Windows, dmg on macOS', () => {
    assert.deepEqual(targets(config.linux?.target).sort(), ['AppImage', 'deb']);
    assert.deepEqual(targets(config.win?.target), ['nsis']);
    assert.deepEqual(targets(config.mac?.target), ['dmg']);
  });

  test('every icon and file it names exists, and the whitelist ships what the app loads', () => {
    assert.ok(statSync(join(REPO, config.directories?.buildResources ?? '')).isDirectory(), 'buildResources');
    assert.ok(config.win?.icon?.endsWith('.ico') && existsSync(join(REPO, config.win.icon)), `win.icon ${config.win?.icon}`);
    assert.ok(config.mac?.icon?.endsWith('.icns') && existsSync(join(REPO, config.mac.icon)), `mac.icon ${config.mac?.icon}`);
    assert.ok(statSync(join(REPO, config.linux?.icon ?? '')).isDirectory(), 'linux.icon is a folder of NxN.png');

    const files = config.files ?? [];
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('dist/**'), 'the whole build ships');
    // What the packaged app opens at run time, from package.json "main" on.
    for (const built of [pkg.main, 'dist/preload/index.js', 'dist/preload/package.json', 'dist/renderer/index.html']) {
      assert.ok(built.startsWith('dist/'), `${built} is inside the whitelist`);
      assert.ok(existsSync(join(REPO, built)), `${built} is missing: run npm run build`);
    }
  });

  test('the deb has its maintainer and homepage (package.json author.email and homepage)', () => {
    // electron-builder's FpmTarget refuses to build a deb without these.
    const author =
      typeof pkg.author === 'string' ? { name: pkg.author.replace(/\s*<.*$/, ''), email: /<([^>]+)>/.exec(pkg.author)?.[1] } : pkg.author;
    assert.ok(author?.name, 'author.name');
    assert.match(author?.email ?? '', /^[^@\s]+@[^@\s]+$/, 'author.email');
    assert.match(pkg.homepage ?? '', /^https:\/\//, 'homepage');
    assert.ok(pkg.description, 'description (the deb synopsis falls back to it)');
    assert.equal(PROJECT_HOMEPAGE, pkg.homepage, 'links the UI may open are vetted against package.json homepage');
  });
});

describe('icons', () => {
  test('icon.ico: a directory of PNG payloads from 16 to 256 px', () => {
    const ico = readFileSync(join(REPO, 'assets', 'icon.ico'));
    assert.equal(ico.readUInt16LE(0), 0);
    assert.equal(ico.readUInt16LE(2), 1, 'type 1: icon');
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    let end = 6 + 16 * count;
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const dim = ico.readUInt8(e) || 256;
      assert.equal(ico.readUInt8(e + 1) || 256, dim, 'square');
      assert.equal(ico.readUInt16LE(e + 4), 1, 'planes');
      assert.equal(ico.readUInt16LE(e + 6), 32, 'bits per pixel');
      const size = ico.readUInt32LE(e + 8);
      const offset = ico.readUInt32LE(e + 12);
      assert.ok(offset >= 6 + 16 * count && offset + size <= ico.length, 'payload inside the file');
      assert.deepEqual(pngSize(ico.subarray(offset, offset + size)), { width: dim, height: dim });
      sizes.push(dim);
      end = Math.max(end, offset + size);
    }
    assert.equal(end, ico.length, 'nothing after the last payload');
    assert.deepEqual(sizes, [16, 32, 48, 64, 128, 256]);
  });

  test('icon.icns: typed PNG chunks, the @1x and @2x sizes macOS asks for', () => {
    const icns = readFileSync(join(REPO, 'assets', 'icon.icns'));
    assert.equal(icns.toString('latin1', 0, 4), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    const expected: Record<string, number> = {
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512,
    };
    const found: string[] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('latin1', at, at + 4);
      const len = icns.readUInt32BE(at + 4);
      assert.ok(len > 8 && at + len <= icns.length, `${type} fits`);
      assert.ok(type in expected, `known type ${type}`);
      const { width, height } = pngSize(icns.subarray(at + 8, at + len));
      assert.deepEqual([width, height], [expected[type], expected[type]], type);
      found.push(type);
      at += len;
    }
    for (const needed of ['ic07', 'ic08', 'ic09', 'ic13', 'ic14']) assert.ok(found.includes(needed), `has ${needed}`);
  });

  test('the committed .ico and .icns are what scripts/make-icons.mjs makes from the PNGs today', () => {
    const out = mkdtempSync(join(tmpdir(), 'ferry-icons-'));
    try {
      const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'make-icons.mjs'), '--out', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      for (const f of ['icon.ico', 'icon.icns']) {
        assert.ok(
          readFileSync(join(out, f)).equals(readFileSync(join(REPO, 'assets', f))),
          `assets/${f} is stale: run node scripts/make-icons.mjs`,
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

// import/export … from 'x' and import 'x' (statements: tsc starts each on a line of its own, so
// words such as `from "{{name}}"` in a string are not taken for one), import('x'), require('x').
const SPECIFIERS = /(?:^\s*(?:import|export)\b[^;'"]*?\bfrom\s*|^\s*import\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])([^'"]+)\1/gm;

function specifiersOf(file: string): string[] {
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(SPECIFIERS)].map((m) => m[2]!);
}

const isBuiltin = (s: string): boolean => s.startsWith('node:') || builtinModules.includes(s.split('/')[0]!);
const packageOf = (s: string): string => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);

describe('the built main process', () => {
  const mainJs = join(REPO, pkg.main);

  test("imports only electron, Node's builtins, our own files and the packaged dependencies", () => {
    const seen = new Set<string>();
    const bare = new Map<string, string>(); // specifier → first file importing it
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      assert.ok(existsSync(file), `${relative(REPO, file)} is imported but not built`);
      for (const s of specifiersOf(file)) {
        if (s.startsWith('.')) walk(resolve(dirname(file), s));
        else if (!bare.has(s)) bare.set(s, relative(REPO, file));
      }
    };
    walk(mainJs);
    assert.ok(
      [...seen].some((f) => f.includes(join('dist', 'main', 'core'))),
      'the walk reaches the engine',
    );
    assert.ok(![...seen].some((f) => f.includes(join('dist', 'main', 'hosts', 'cli'))), 'the desktop app does not load the CLI');
    const deps = new Set(Object.keys(pkg.dependencies ?? {}));
    const bad = [...bare].filter(([s]) => s !== 'electron' && !isBuiltin(s) && !deps.has(packageOf(s)));
    assert.deepEqual(bad, [], 'not electron, a builtin or a dependency (devDependencies are not packaged)');
    // The Electron glue itself needs nothing from npm but electron.
    const glue = [...bare].filter(
      ([s, from]) => from.startsWith(join('dist', 'main', 'hosts', 'electron')) && s !== 'electron' && !isBuiltin(s),
    );
    assert.deepEqual(glue, []);
  });

  test('dist/main/core never references electron', () => {
    const core = join(REPO, 'dist', 'main', 'core');
    const files = readdirSync(core, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    assert.ok(files.length > 10, 'dist/main/core is built');
    const offenders = files.filter((f) => specifiersOf(join(core, f)).some((s) => s === 'electron' || s.startsWith('electron/')));
    assert.deepEqual(offenders, []);
  });

  test('starts under plain Node with electron stubbed: the imports resolve and main prepares the app before ready', () => {
    const configDir = mkdtempSync(join(tmpdir(), 'ferry-main-'));
    try {
      const r = spawnSync(process.execPath, ['--import', join(REPO, 'tests', 'fixtures', 'electron-stub-register.mjs'), mainJs], {
        encoding: 'utf8',
        env: { ...process.env, FERRY_CONFIG_DIR: configDir },
        timeout: 30_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const { calls, listeners } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
        calls: Array<{ name: string; args: unknown[] }>;
        listeners: Record<string, number>;
      };
      const names = calls.map((c) => c.name);
      assert.deepEqual(names, [
        'app.setPath',
        'app.requestSingleInstanceLock',
        'app.enableSandbox',
        'protocol.registerSchemesAsPrivileged',
        'app.whenReady',
      ]);
      assert.deepEqual(
        calls[0]!.args,
        ['userData', join(configDir, 'electron')],
        "Chromium's data inside the config folder FERRY_CONFIG_DIR names",
      );
      for (const event of ['web-contents-created', 'second-instance', 'activate', 'window-all-closed', 'before-quit']) {
        assert.equal(listeners[event], 1, event);
      }
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
  });
});
