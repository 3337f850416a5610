// The real desktop app, launched by Playwright, when an Electron binary is on this machine
// (ELECTRON_OVERRIDE_DIST_PATH, or one npm's electron package has already downloaded). Our
// CI machines cannot download it, so there this test reports itself skipped with the reason;
// everything it would cover below the window is tested with a stubbed electron elsewhere.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, tempDir } from '../helpers.js';

function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe =
    process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  if (override) {
    const p = path.join(override, exe);
    return existsSync(p) ? p : null;
  }
  // The npm package records where it put a downloaded binary in path.txt.
  const pkg = path.join(REPO, 'node_modules', 'electron');
  const recorded = path.join(pkg, 'path.txt');
  if (!existsSync(recorded)) return null;
  const p = path.join(pkg, 'dist', readFileSync(recorded, 'utf8').trim());
  return existsSync(p) ? p : null;
}

test('the desktop app starts, shows its window with this device and the peers list', async (t) => {
  const binary = electronBinary();
  if (!binary) {
    t.skip('no Electron binary here (set ELECTRON_OVERRIDE_DIST_PATH, or run `npm start` once on a machine that can download it)');
    return;
  }
  const { _electron } = await import('playwright-core');
  const config = await tempDir('ferry-electron-config-');
  const app = await _electron.launch({
    executablePath: binary,
    args: [path.join(REPO, 'dist', 'main', 'hosts', 'electron', 'main.js'), '--no-sandbox'],
    env: {
      ...process.env,
      FERRY_CONFIG_DIR: config,
      FERRY_DISCOVERY_INTERFACES: 'loopback',
      FERRY_DISCOVERY_PORT: String(45000 + (process.pid % 10000)),
    },
  });
  try {
    const page = await app.firstWindow();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.title(), 'Ferry');
    assert.ok(
      await page.evaluate(() => typeof (globalThis as unknown as { ferry?: unknown }).ferry === 'object'),
      'the preload bridge is exposed',
    );
    assert.equal(
      await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require),
      'undefined',
      'no Node in the renderer',
    );
  } finally {
    await app.close();
  }
});
