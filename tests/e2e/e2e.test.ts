// The real UI end to end: Debian's Chromium, driven by Playwright, on pages served by real
// `ferry serve` daemons on loopback. Files are dropped the way a file manager drops them (a
// DataTransfer on the peer card) or picked with "Send files…", offers are answered in the
// dialog, and what arrives is compared by md5. Tests find things by role and name, as a
// screen reader would. Screenshots of each main screen land in test-artifacts/screenshots/.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { CHROMIUM, CHROMIUM_ARGS } from '../fixtures/renderer-page.js';
import type { AppState, FileView } from '../../main/core/contract/index.js';
import { zhCN } from '../../main/i18n/catalog/zh-CN.js';
import { freeUdpPort, md5File, onCleanup, type ProxyOptions, randomFile, REPO, sleep, startCli, TcpProxy, tempDir } from '../helpers.js';

const SHOTS = path.join(REPO, 'test-artifacts', 'screenshots');
const UI_BUILD = path.join(REPO, 'dist', 'renderer', 'index.html');

interface Served {
  name: string;
  url: string;
  port: number;
  token: string;
  receiverPort: number;
  deviceId: string;
  dir: string;
  /** SIGTERM, then waits for the exit (a clean stop removes its staging folder). */
  stop(): Promise<void>;
}

async function serve(name: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<Served> {
  const config = await tempDir('ferry-e2e-cfg-');
  const dir = await tempDir('ferry-e2e-dl-');
  const cli = startCli(
    ['serve', '--json', '--name', name, '--port', '0', '--host', '127.0.0.1', '--config', config, '--dir', dir, ...extra],
    env,
  );
  const s = (await cli.waitFor((e) => (e.event as string) === 'serving', 20_000)) as unknown as Omit<
    Served,
    'name' | 'dir' | 'stop' | 'token'
  >;
  const stop = async (): Promise<void> => {
    cli.child.kill('SIGTERM');
    await Promise.race([cli.done, sleep(8_000)]);
  };
  return { ...s, name, dir, token: new URL(s.url).searchParams.get('token')!, stop };
}

/** The engine's side, for what a screen does not show (resume offsets). */
async function engineCall<T>(s: Served, call: string, args: unknown[] = []): Promise<T> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/ws?token=${s.token}`, { origin: `http://127.0.0.1:${s.port}` });
  onCleanup(() => ws.terminate());
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const reply = await new Promise<{ ok: boolean; result?: T; error?: unknown }>((resolve) => {
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id?: number };
      if (m.id === 1) resolve(m as { ok: boolean; result?: T });
    });
    ws.send(JSON.stringify({ id: 1, call, args }));
  });
  ws.close();
  assert.ok(reply.ok, `${call}: ${JSON.stringify(reply.error)}`);
  return reply.result as T;
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1); // no hover effects on the last button clicked
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The newest row of the queue whose progress bar is named `label` and that says `state`. */
function transferRow(page: Page, label: string, state: RegExp): Locator {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('progressbar', { name: label, exact: true }) })
    .filter({ hasText: state })
    .first();
}

async function progressOf(row: Locator): Promise<number> {
  return Number(await row.getByRole('progressbar').getAttribute('aria-valuenow', { timeout: 1_000 }));
}

/** The page's drag-and-drop globals, typed just enough: the tests compile without the DOM library. */
interface DragGlobals {
  DataTransfer: new () => { items: { add(file: File): unknown } };
  DragEvent: new (type: string, init: { bubbles: boolean; cancelable: boolean; dataTransfer: unknown }) => Event;
}

/** Drops files on an element as a file manager would: dragenter, dragover, drop with a DataTransfer. */
async function dropFiles(target: Locator, files: Array<{ name: string; data: Buffer }>): Promise<void> {
  await target.evaluate(
    (el, list) => {
      const { DataTransfer, DragEvent } = globalThis as unknown as DragGlobals;
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'application/octet-stream', lastModified: Date.now() }));
      }
      for (const type of ['dragenter', 'dragover', 'drop']) {
        el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    },
    files.map((f) => ({ name: f.name, base64: f.data.toString('base64') })),
  );
}

function section(page: Page, name: 'Devices' | 'Transfers' | 'History' | 'Settings'): Locator {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: new RegExp(`^${name}`) });
}

// In CI a missing browser must fail loudly, not pass as skipped.
const haveChromium = existsSync(CHROMIUM) || process.env.CI !== undefined;

describe(
  'the UI in Chromium, served by ferry serve',
  { skip: haveChromium ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` },
  () => {
    let browser: Browser;
    let a: Served; // sends; asks in its UI
    let b: Served; // receives; asks in its UI
    let c: Served; // receives everything, reachable by A only through a proxy that can slow down
    let pageA: Page;
    let pageB: Page;
    const proxyOpts: ProxyOptions = { target: 0 };
    let proxy: TcpProxy;
    const pageErrors: string[] = [];

    before(async () => {
      if (!existsSync(UI_BUILD)) throw new Error(`no UI build at ${UI_BUILD}: run npm run build first`);
      await fs.mkdir(SHOTS, { recursive: true });
      const env = { FERRY_DISCOVERY_INTERFACES: 'loopback', FERRY_DISCOVERY_PORT: String(await freeUdpPort()) };
      const tag = process.pid;
      [b, c] = await Promise.all([serve(`Bravo ${tag}`, env), serve(`Charlie ${tag}`, env, ['--accept', 'all', '--no-announce'])]);
      proxyOpts.target = c.receiverPort;
      proxy = new TcpProxy(proxyOpts);
      a = await serve(`Alpha ${tag}`, env, ['--peer', `127.0.0.1:${await proxy.listen()}`]);
      onCleanup(async () => {
        await Promise.all([a, b, c].map((s) => s?.stop()));
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      });
      const open = async (s: Served): Promise<Page> => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(`${s.name}: ${e.message}`));
        // The served CSP (header and meta) must not block anything the UI does.
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) pageErrors.push(`${s.name}: ${m.text()}`);
        });
        await page.goto(s.url);
        return page;
      };
      [pageA, pageB] = await Promise.all([open(a), open(b)]);
    });

    after(async () => {
      await browser?.close();
    });

    test('the token leaves the address bar, and each UI shows the other as a peer card', async () => {
      for (const [page, s] of [
        [pageA, a],
        [pageB, b],
      ] as const) {
        assert.equal(new URL(page.url()).searchParams.get('token'), null, 'token removed from the URL');
        await page.getByRole('heading', { name: s.name }).first().waitFor({ timeout: 15_000 });
      }
      await pageA.getByRole('group', { name: b.name }).waitFor({ timeout: 15_000 });
      await pageA.getByRole('group', { name: c.name }).waitFor({ timeout: 15_000 });
      await pageB.getByRole('group', { name: a.name }).waitFor({ timeout: 15_000 });
      await shot(pageA, '01-peers-light');
      await pageA.emulateMedia({ colorScheme: 'dark' });
      await shot(pageA, '02-peers-dark');
      await pageA.emulateMedia({ colorScheme: 'light' });
      // A reload keeps working: the token stays with the tab.
      await pageB.reload();
      await pageB.getByRole('group', { name: a.name }).waitFor({ timeout: 15_000 });
    });

    test("two files dropped on B's card: B accepts in the dialog, both sides reach 100 % and done, md5 equal", async () => {
      const files = [
        { name: 'holiday photo.jpg', data: randomBytes(1_700_000) },
        { name: 'notes.txt', data: Buffer.from('Ferry end-to-end test\n'.repeat(5000)) },
      ];
      await dropFiles(pageA.getByRole('group', { name: b.name }), files);

      const dialog = pageB.getByRole('dialog');
      await dialog.waitFor({ timeout: 20_000 });
      assert.match(await dialog.innerText(), new RegExp(a.name));
      for (const f of files) assert.ok((await dialog.innerText()).includes(f.name), f.name);
      await shot(pageB, '03-offer-dialog-light');
      await pageB.emulateMedia({ colorScheme: 'dark' });
      await shot(pageB, '04-offer-dialog-dark');
      await pageB.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });

      const sent = transferRow(pageA, `Transfer to ${b.name}`, /Done/);
      const received = transferRow(pageB, `Transfer from ${a.name}`, /Done/);
      await eventually('A to show the send done at 100 %', async () => (await progressOf(sent)) === 100);
      await eventually('B to show the receipt done at 100 %', async () => (await progressOf(received)) === 100);
      for (const f of files) {
        const want = (await import('node:crypto')).createHash('md5').update(f.data).digest('hex');
        assert.equal(await md5File(path.join(b.dir, f.name)), want, f.name);
      }
      await shot(pageA, '05-done-sender');
      await shot(pageB, '06-done-receiver');
    });

    test('B declines: A shows the transfer declined and nothing arrives', async () => {
      await dropFiles(pageA.getByRole('group', { name: b.name }), [{ name: 'unwanted.bin', data: randomBytes(50_000) }]);
      const dialog = pageB.getByRole('dialog');
      await dialog.waitFor({ timeout: 20_000 });
      assert.ok((await dialog.innerText()).includes('unwanted.bin'));
      await dialog.getByRole('button', { name: 'Decline', exact: true }).click();
      await transferRow(pageA, `Transfer to ${b.name}`, /Declined/).waitFor({ timeout: 15_000 });
      assert.equal(existsSync(path.join(b.dir, 'unwanted.bin')), false);
    });

    test('cancel mid-transfer from the UI, then Retry resumes where it stopped and finishes', async () => {
      const src = await tempDir('ferry-e2e-src-');
      const size = 300 * 1024 * 1024;
      const file = await randomFile(path.join(src, 'disk image.iso'), size);
      // Slow enough to act mid-transfer; the upload into A's staging is not slowed (it is local).
      proxyOpts.bytesPerSecond = 40 * 1024 * 1024;

      const card = pageA.getByRole('group', { name: c.name });
      const chooser = pageA.waitForEvent('filechooser');
      await card.getByRole('button', { name: /^Send files/ }).click();
      await (await chooser).setFiles(file);

      const row = transferRow(pageA, `Transfer to ${c.name}`, /Sending/);
      await eventually('the transfer to pass 15 %', async () => (await progressOf(row)) >= 15, 45_000);
      await shot(pageA, '07-transfer-in-progress');
      await row.getByRole('button', { name: /^Cancel/ }).click();
      const cancelled = transferRow(pageA, `Transfer to ${c.name}`, /Cancelled/);
      await cancelled.waitFor({ timeout: 15_000 });
      const stoppedAt = await progressOf(cancelled);
      assert.ok(stoppedAt > 0 && stoppedAt < 100, `stopped at ${stoppedAt} %`);
      await shot(pageA, '08-cancelled');

      proxyOpts.bytesPerSecond = undefined;
      const before = proxy.bytesUp;
      // After a cancel the button says what it does: the receiver is asked again (C accepts all).
      const again = cancelled.getByRole('button', { name: /^Send again/ });
      assert.match((await again.getAttribute('title')) ?? '', /^Asks .* again/);
      await again.click();
      const done = transferRow(pageA, `Transfer to ${c.name}`, /Done/);
      await eventually('the retried transfer to finish', async () => (await progressOf(done)) === 100, 45_000);
      const onTheWire = proxy.bytesUp - before;

      assert.equal(await md5File(path.join(c.dir, 'disk image.iso')), await md5File(file));
      const state = await engineCall<AppState>(c, 'getState');
      const receipt = state.transfers.find((t) => t.direction === 'receive' && t.state === 'done' && t.totalBytes === size)!;
      assert.ok(receipt, 'C lists the receipt as done');
      const [f] = await engineCall<FileView[]>(c, 'getTransferFiles', [receipt.id]);
      assert.ok(f && f.resumedFrom > 0, `the receiver resumed (resumedFrom ${f?.resumedFrom})`);
      assert.ok(onTheWire < size - f.resumedFrom + 8 * 1024 * 1024, `${onTheWire} bytes crossed for ${size - f.resumedFrom} missing`);
    });

    test('settings and history screens, light and dark', async () => {
      await section(pageA, 'Settings').click();
      await pageA
        .getByRole('heading', { name: /Device|Receiving/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot(pageA, '09-settings-light');
      await pageA.emulateMedia({ colorScheme: 'dark' });
      await shot(pageA, '10-settings-dark');
      await pageA.emulateMedia({ colorScheme: 'light' });
      await section(pageA, 'History').click();
      await pageA.getByRole('list', { name: 'Past transfers' }).waitFor({ timeout: 10_000 });
      await shot(pageA, '11-history-light');
      await pageA.emulateMedia({ colorScheme: 'dark' });
      await shot(pageA, '12-history-dark');
      await section(pageA, 'Transfers').click();
      await shot(pageA, '13-transfers-dark');
      await pageA.emulateMedia({ colorScheme: 'light' });
      await shot(pageA, '14-transfers-light');
    });

    test('in Simplified Chinese, for browsers that prefer it: every main screen, an offer accepted, a verified finish', async () => {
      // The same daemons (language 'system'): each browser gets its own language; pageA and
      // pageB stay English meanwhile.
      const zh = zhCN;
      const fill = (text: string, values: Record<string, string>): string =>
        text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
      const open = async (s: Served): Promise<Page> => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light', locale: 'zh-CN' });
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(`${s.name} (zh-CN): ${e.message}`));
        await page.goto(s.url);
        return page;
      };
      const [zhA, zhB] = await Promise.all([open(a), open(b)]);
      const nav = (page: Page, name: string): Locator =>
        page.getByRole('navigation', { name: zh.app.nav.label }).getByRole('button', { name: new RegExp(`^${name}`) });
      for (const page of [zhA, zhB]) {
        await nav(page, zh.app.nav.devices).waitFor({ timeout: 15_000 });
        assert.equal(
          await page.evaluate(
            () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang,
          ),
          'zh-CN',
        );
      }
      await zhA.getByRole('group', { name: b.name }).waitFor({ timeout: 15_000 });
      await shot(zhA, 'zh-01-peers-light');
      await zhA.emulateMedia({ colorScheme: 'dark' });
      await shot(zhA, 'zh-02-peers-dark');
      await zhA.emulateMedia({ colorScheme: 'light' });

      const files = [
        { name: '假期照片.jpg', data: randomBytes(300_000) },
        { name: '笔记.txt', data: Buffer.from('渡船 Ferry\n'.repeat(2000)) },
      ];
      await dropFiles(zhA.getByRole('group', { name: b.name }), files);
      const dialog = zhB.getByRole('dialog');
      await dialog.waitFor({ timeout: 20_000 });
      for (const f of files) assert.ok((await dialog.innerText()).includes(f.name), f.name);
      await shot(zhB, 'zh-03-offer-dialog-light');
      await zhB.emulateMedia({ colorScheme: 'dark' });
      await shot(zhB, 'zh-04-offer-dialog-dark');
      await zhB.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('button', { name: zh.common.actions.accept, exact: true }).click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });

      const sent = transferRow(zhA, fill(zh.transfers.progress.to, { name: b.name }), new RegExp(zh.transfers.state.done));
      const received = transferRow(zhB, fill(zh.transfers.progress.from, { name: a.name }), new RegExp(zh.transfers.state.done));
      await eventually('A to show the send done at 100 %', async () => (await progressOf(sent)) === 100);
      await eventually('B to show the receipt done at 100 %', async () => (await progressOf(received)) === 100);
      for (const f of files) {
        const want = (await import('node:crypto')).createHash('md5').update(f.data).digest('hex');
        assert.equal(await md5File(path.join(b.dir, f.name)), want, f.name);
      }
      await shot(zhA, 'zh-05-done-sender');
      await shot(zhB, 'zh-06-done-receiver');

      await nav(zhA, zh.app.nav.settings).click();
      await zhA.getByRole('combobox', { name: zh.settings.language.label }).waitFor({ timeout: 10_000 });
      await shot(zhA, 'zh-07-settings-light');
      await zhA.emulateMedia({ colorScheme: 'dark' });
      await shot(zhA, 'zh-08-settings-dark');
      await zhA.emulateMedia({ colorScheme: 'light' });
      await nav(zhA, zh.app.nav.history).click();
      await zhA.getByRole('list', { name: zh.history.listLabel }).waitFor({ timeout: 10_000 });
      await shot(zhA, 'zh-09-history-light');
      await nav(zhA, zh.app.nav.transfers).click();
      await shot(zhA, 'zh-10-transfers-light');
      await zhA.context().close();
      await zhB.context().close();
    });

    test('no script errors and no Content-Security-Policy violations on either page', () => {
      assert.deepEqual(pageErrors, []);
    });

    test('the CSP holds: a page without the token cannot drive the daemon, nor reach other ports', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const consoleText: string[] = [];
      page.on('console', (m) => consoleText.push(m.text()));
      await page.goto(`http://127.0.0.1:${a.port}/`);
      await page.getByRole('alert').first().waitFor({ timeout: 15_000 });
      assert.match(await page.getByRole('alert').first().innerText(), /access key|token/i);
      await shot(page, '15-without-token');
      const outcome = await page.evaluate(() =>
        fetch('http://127.0.0.1:9/').then(
          () => 'reached',
          (e: Error) => `blocked: ${e.message}`,
        ),
      );
      assert.match(outcome, /^blocked/);
      await eventually(
        'a CSP report in the console',
        async () => consoleText.some((t) => /Content Security Policy/.test(t) && t.includes('connect-src')),
        5_000,
      );
      await context.close();
    });
  },
);
