// The built renderer (dist/renderer) in Debian's Chromium with a fake bridge in place of
// Electron's preload (tests/fixtures/renderer-fake-bridge.js): what each screen shows and
// which contract call each control makes, found by role and name as assistive tech finds
// them. The end-to-end test drives the same UI against real daemons; this one covers what
// those cannot reach (Electron-only buttons, identity warnings, validation, the secret flow).

import { REPO } from '../repo.js';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const CHROMIUM = process.env.FERRY_E2E_CHROMIUM ?? '/usr/lib/chromium/chromium';
const BUILD = path.join(REPO, 'dist', 'renderer');
const FAKE = path.join(REPO, 'tests', 'fixtures', 'renderer-fake-bridge.js');

interface Scenario {
  offers?: boolean;
  empty?: boolean;
  identityChanged?: boolean;
  receiverError?: boolean;
  native?: boolean;
  failLoad?: boolean;
  failSend?: boolean;
}

type Call = [string, ...unknown[]];

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The page's drag-and-drop globals, typed just enough: the tests compile without the DOM library. */
interface DragGlobals {
  DataTransfer: new () => { items: { add(file: File): unknown } };
  DragEvent: new (type: string, init: { bubbles: boolean; cancelable: boolean; dataTransfer: unknown }) => Event;
}

// In CI a missing browser must fail loudly, not pass as skipped.
const skip =
  !existsSync(CHROMIUM) && process.env.CI === undefined
    ? `no Chromium at ${CHROMIUM}`
    : !existsSync(path.join(BUILD, 'index.html'))
      ? 'no renderer build (npm run build)'
      : false;

describe('the renderer with a fake bridge', { skip }, () => {
  let server: Server;
  let url = '';
  let browser: Browser;
  let fake = '';
  const problems: string[] = [];

  before(async () => {
    fake = await readFile(FAKE, 'utf8');
    server = createServer((req, res) => {
      const rel = path.normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '') || 'index.html';
      const file = path.join(BUILD, rel);
      if (!file.startsWith(BUILD)) return void res.writeHead(403).end();
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(scenario: Scenario = {}, viewport = { width: 1280, height: 860 }): Promise<Page> {
    const page = await browser.newPage({ viewport, reducedMotion: 'reduce' });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon|404/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.addInitScript(`${fake}\nwindow.__installFakeBridge(${JSON.stringify(scenario)});`);
    await page.goto(url);
    await page.locator(scenario.failLoad ? '.splash h1' : '.app-header').waitFor();
    return page;
  }

  async function calls(page: Page, name?: string): Promise<Call[]> {
    const all = await page.evaluate(() => (globalThis as unknown as { __calls: Call[] }).__calls);
    return name ? all.filter((c) => c[0] === name) : all;
  }

  async function waitForCall(page: Page, name: string): Promise<Call> {
    await page.waitForFunction((n) => (globalThis as unknown as { __calls: Call[] }).__calls.some((c) => c[0] === n), name, {
      timeout: 5_000,
    });
    return (await calls(page, name)).at(-1)!;
  }

  async function closeChecked(page: Page): Promise<void> {
    const csp = await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp);
    problems.push(...csp.map((v) => `CSP violation: ${v}`));
    await page.close();
  }

  async function drop(target: Locator, names: string[]): Promise<void> {
    await target.evaluate((el, list) => {
      const { DataTransfer, DragEvent } = globalThis as unknown as DragGlobals;
      const dt = new DataTransfer();
      for (const name of list) dt.items.add(new File([`contents of ${name}`], name));
      for (const type of ['dragenter', 'dragover', 'drop'])
        el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, names);
  }

  test('peer cards are groups named after the peer; their buttons pick and send', async () => {
    const page = await open();
    const office = page.getByRole('group', { name: 'Office PC', exact: true });
    await office.waitFor();
    assert.match(await office.innerText(), /192\.168\.1\.44:33779/);
    assert.match(await office.innerText(), /Online/);
    const mac = page.getByRole('group', { name: 'Anna’s MacBook Pro' });
    assert.match(await mac.innerText(), /Trusted/);
    await office.getByRole('button', { name: 'Send files…' }).click();
    assert.deepEqual(await waitForCall(page, 'pickAndSend'), ['pickAndSend', 'p-win', 'files']);
    await mac.getByRole('button', { name: 'Send folder…' }).click();
    assert.deepEqual((await calls(page, 'pickAndSend')).at(-1), ['pickAndSend', 'p-mac', 'folder']);
    // Manual peers can be removed (by the HOST:PORT the user typed).
    const nas = page.getByRole('group', { name: 'nas.local:33779' });
    assert.match(await nas.innerText(), /Not reachable/);
    await nas.getByRole('button', { name: 'Remove nas.local:33779' }).click();
    assert.deepEqual(await waitForCall(page, 'removeManualPeer'), ['removeManualPeer', 'nas.local:33779']);
    await nas.waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('files dropped on a card are sent to that peer, with their names as relative paths', async () => {
    const page = await open();
    await drop(page.getByRole('group', { name: 'Office PC' }), ['report.pdf', 'photo.jpg']);
    assert.deepEqual(await waitForCall(page, 'sendDropped'), ['sendDropped', 'p-win', ['report.pdf', 'photo.jpg']]);
    await closeChecked(page);
  });

  test('a failed send says why in a message that does not block the window', async () => {
    const page = await open({ failSend: true });
    await drop(page.getByRole('group', { name: 'Office PC' }), ['a.txt']);
    const alert = page.getByRole('alert').filter({ hasText: 'no longer on the network' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Could not send to Office PC: that device is no longer on the network/);
    // Still usable underneath, and the message can be dismissed.
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await alert.waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('offers: one dialog at a time, with the code, the counts and the three answers', async () => {
    const page = await open({ offers: true });
    const dialog = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Check that the sender sees the same code:\s*482 915/);
    assert.match(text, /192\.168\.1\.44/);
    assert.match(text, /15 files\s+in 1 folder/);
    assert.match(text, /47\.3 MB/);
    assert.match(text, /Holiday 2024\/IMG_4214\.jpg/);
    assert.match(text, /1 more offer waiting/);
    assert.equal(await page.getByRole('dialog').count(), 1, 'one dialog at a time');
    for (const name of ['Accept', 'Decline', 'Always accept from this device']) {
      assert.equal(await dialog.getByRole('button', { name, exact: true }).count(), 1, name);
    }
    assert.equal(await page.getByRole('alert').count(), 0, 'no identity warning for a first contact');
    // Escape does not make an offer vanish unanswered, not even pressed twice.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // Chromium may close it on the second Escape; it must come back (Modal's close handler),
    // which on a loaded machine can take longer than a moment.
    await page.waitForTimeout(100);
    await dialog.waitFor({ state: 'visible', timeout: 3000 }).catch(() => assert.fail('the offer is no longer on screen'));
    assert.equal((await calls(page, 'answerOffer')).length, 0);
    await dialog.getByRole('button', { name: 'Always accept from this device', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o1', 'always']);
    // The next offer follows in a fresh dialog.
    const next = page.getByRole('dialog', { name: 'Anna’s MacBook Pro wants to send you files' });
    await next.waitFor();
    await next.getByRole('button', { name: 'Accept', exact: true }).click();
    await next.waitFor({ state: 'detached' });
    assert.deepEqual((await calls(page, 'answerOffer')).at(-1), ['answerOffer', 'o2', 'accept']);
    assert.equal(await page.getByRole('dialog').count(), 0);
    await closeChecked(page);
  });

  test('an offer from a changed identity warns before anything else', async () => {
    const page = await open({ offers: true, identityChanged: true, receiverError: true });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const warning = dialog.getByRole('alert');
    assert.match(await warning.innerText(), /This is not the “Office PC” you trusted/);
    await dialog.getByRole('button', { name: 'Decline', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o1', 'decline']);
    // The receiver's trouble is in the header, and this device says it is not visible.
    await page.getByRole('dialog', { name: /Anna/ }).getByRole('button', { name: 'Decline', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.match(await page.getByRole('banner').innerText(), /port 33779 is in use by another program/);
    assert.match(await page.getByRole('banner').innerText(), /Not visible to others/);
    await closeChecked(page);
  });

  test('progress bars carry an integer percentage and a name per direction and peer', async () => {
    const page = await open();
    const row = page.getByRole('listitem').filter({ hasText: 'Sending' });
    const sending = row.getByRole('progressbar', { name: 'Transfer to Anna’s MacBook Pro', exact: true });
    assert.equal(await sending.getAttribute('aria-valuenow'), '41');
    assert.equal(await sending.getAttribute('aria-valuemin'), '0');
    assert.equal(await sending.getAttribute('aria-valuemax'), '100');
    const text = await row.innerText();
    for (const part of ['Sending', '41%', '1.4 GB of 3.5 GB', '38.4 MB/s', 'about 55 s left'])
      assert.ok(text.includes(part), `${part} in ${text}`);
    const received = page.getByRole('progressbar', { name: 'Transfer from Office PC', exact: true });
    assert.equal(await received.getAttribute('aria-valuenow'), '100');
    const failed = page.getByRole('listitem').filter({ hasText: 'Failed: the connection to Anna’s MacBook Pro was lost' });
    assert.equal(await failed.count(), 1);
    assert.match(await page.getByRole('listitem').filter({ hasText: 'Waiting for acceptance' }).innerText(), /To Office PC/);
    await closeChecked(page);
  });

  test('queue rows: cancel, retry, dismiss; expand shows files that open where the host can', async () => {
    const page = await open();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Transfers/ })
      .click();
    await page.getByRole('button', { name: 'Cancel the transfer to Anna’s MacBook Pro' }).click();
    assert.deepEqual(await waitForCall(page, 'cancelTransfer'), ['cancelTransfer', 't1']);
    await page.getByRole('button', { name: 'Retry the transfer to Anna’s MacBook Pro' }).first().click();
    assert.deepEqual(await waitForCall(page, 'retryTransfer'), ['retryTransfer', 't4']);

    const expand = page.getByRole('button', { name: 'Files of the transfer from Office PC' });
    assert.equal(await expand.getAttribute('aria-expanded'), 'false');
    await expand.click();
    assert.equal(await expand.getAttribute('aria-expanded'), 'true');
    const files = page.getByRole('list', { name: 'Files received from Office PC' });
    await files.waitFor();
    assert.match(await files.innerText(), /render_002\.exr[\s\S]*saved as Project\/render_002 \(1\)\.exr/);
    assert.match(await files.innerText(), /resumed at 4\.0 MB/);
    await files.getByRole('button', { name: 'Open Project/render_002.exr' }).click();
    assert.deepEqual(await waitForCall(page, 'openReceived'), ['openReceived', 't3', 'Project/render_002 (1).exr', 'open']);
    await files.getByRole('button', { name: 'Show in folder Project/render_001.exr' }).click();
    assert.deepEqual((await calls(page, 'openReceived')).at(-1), ['openReceived', 't3', 'Project/render_001.exr', 'show']);
    await page.getByRole('button', { name: 'Open folder' }).click();
    assert.deepEqual((await calls(page, 'openReceived')).at(-1), ['openReceived', 't3', '', 'open']);

    await page.getByRole('button', { name: 'Dismiss the transfer from Office PC' }).click();
    assert.deepEqual(await waitForCall(page, 'dismissTransfer'), ['dismissTransfer', 't3']);
    await page.getByRole('progressbar', { name: 'Transfer from Office PC' }).waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('a browser host gets no Open buttons and types the download folder', async () => {
    const page = await open({ native: false });
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Transfers/ })
      .click();
    await page.getByRole('button', { name: 'Files of the transfer from Office PC' }).click();
    await page.getByRole('list', { name: 'Files received from Office PC' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Open|^Show in folder/ }).count(), 0);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click();
    const folder = page.getByRole('textbox', { name: 'Download folder' });
    await folder.fill('/srv/incoming');
    await folder.press('Enter');
    assert.deepEqual(await waitForCall(page, 'updateSettings'), ['updateSettings', { downloadDir: '/srv/incoming' }]);
    assert.equal(await page.getByRole('button', { name: /Choose/ }).count(), 0);
    await closeChecked(page);
  });

  test('adding a device by address: checked first, the engine’s refusal shown, success adds a card', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Add a device' }).click();
    const field = page.getByRole('textbox', { name: 'Add a device by address' });
    await field.fill('192.168.1.77');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /Add the port after a colon, like 192\.168\.1\.77:33779/);
    assert.equal((await calls(page, 'addManualPeer')).length, 0, 'not sent to the engine');
    await field.fill('bad-host:80');
    await field.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'a manual peer is HOST:PORT' }).waitFor();
    await field.fill('10.0.0.9:33779');
    await field.press('Enter');
    assert.deepEqual(await waitForCall(page, 'addManualPeer'), ['addManualPeer', '10.0.0.9:33779']);
    await page.getByRole('group', { name: '10.0.0.9:33779' }).waitFor();
    await closeChecked(page);
  });

  test('the header renames this device in place', async () => {
    const page = await open();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Studio workstation');
    assert.match(await page.getByRole('banner').innerText(), /192\.168\.1\.23:33779, 10\.8\.0\.4:33779/);
    assert.match(await page.getByRole('banner').innerText(), /Visible to others/);
    await page.getByRole('button', { name: 'Rename this device' }).click();
    const name = page.getByRole('textbox', { name: 'Device name' });
    await name.fill('Render box');
    await name.press('Enter');
    assert.deepEqual(await waitForCall(page, 'updateSettings'), ['updateSettings', { deviceName: 'Render box' }]);
    await page.getByRole('heading', { level: 1, name: 'Render box' }).waitFor();
    await closeChecked(page);
  });

  test('settings: switches, the accept policy, a checked port, the shared secret and trusted devices', async () => {
    const page = await open();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('switch', { name: 'Visible to others' }).click();
    assert.deepEqual(await waitForCall(page, 'updateSettings'), ['updateSettings', { announce: false }]);
    await page.getByRole('switch', { name: 'Notifications' }).click();
    await page.getByRole('combobox', { name: 'When someone sends files' }).selectOption('trusted');
    await page.getByRole('textbox', { name: 'Port' }).fill('99999');
    await page.getByRole('textbox', { name: 'Port' }).press('Enter');
    await page.getByRole('alert').filter({ hasText: 'whole number from 1 to 65535' }).waitFor();
    await page.getByRole('textbox', { name: 'Port' }).fill('40000');
    await page.getByRole('textbox', { name: 'Port' }).press('Enter');
    await page.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
    await page.getByRole('button', { name: 'Choose…' }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'updateSettings').length >= 5,
    );
    assert.deepEqual(
      (await calls(page, 'updateSettings')).map((c) => c[1]),
      [{ announce: false }, { notifications: false }, { acceptPolicy: 'trusted' }, { port: 40000 }, { downloadDir: '/home/sam/Incoming' }],
    );

    await page.getByRole('button', { name: 'Generate a secret' }).click();
    const secret = page.getByRole('textbox', { name: 'Your new secret (shown only now)' });
    assert.equal(await secret.inputValue(), 'q3V9xk2Lr7pZ0wNfTg5hYc8bMdA1sE4uJ6iO-KvWnXy');
    await page.getByRole('button', { name: 'Use this secret' }).click();
    assert.deepEqual(await waitForCall(page, 'setSecret'), ['setSecret', 'q3V9xk2Lr7pZ0wNfTg5hYc8bMdA1sE4uJ6iO-KvWnXy']);
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('button', { name: 'Turn off the shared secret' }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'setSecret').length === 2,
    );
    assert.deepEqual((await calls(page, 'setSecret')).at(-1), ['setSecret', null]);
    await page.getByRole('button', { name: 'Enter a secret…' }).click();
    await page.getByLabel('The secret from your other device').fill('too short');
    await page.getByRole('button', { name: 'Use this secret' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 16' }).waitFor();
    assert.equal((await calls(page, 'setSecret')).length, 2, 'a short secret is not sent');

    await page.getByRole('button', { name: 'Remove Anna’s MacBook Pro from trusted devices' }).click();
    assert.equal((await waitForCall(page, 'untrustDevice'))[1], 'p-mac0123456789abcdef0123456789abcdef');
    await closeChecked(page);
  });

  test('no peers: the empty state explains, and troubleshooting shows what discovery sees', async () => {
    const page = await open({ empty: true });
    const devices = page.getByRole('region', { name: 'Devices' });
    const text = await devices.innerText();
    assert.match(text, /Install and open Ferry on the other computer/);
    assert.match(text, /firewall/);
    await page.getByRole('button', { name: 'Why can’t I see other devices?' }).click();
    const dialog = page.getByRole('dialog', { name: 'Network troubleshooting' });
    await dialog.getByRole('list', { name: 'Findings' }).waitFor();
    const findings = await dialog.innerText();
    assert.match(findings, /Nothing heard from other devices yet/);
    assert.match(findings, /tun0 \(10\.8\.0\.4\): multicast is unavailable/);
    assert.match(findings, /wlp2s0/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.ok((await calls(page, 'getDiscoveryStatus')).length >= 1);
    await closeChecked(page);
  });

  test('history lists past transfers and clears after a confirmation', async () => {
    const page = await open();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'History' }).click();
    const list = page.getByRole('list', { name: 'Past transfers' });
    await list.waitFor();
    assert.equal(await list.getByRole('listitem').count(), 4);
    assert.match(await list.innerText(), /To Anna’s MacBook Pro[\s\S]*the connection was lost/);
    await page.getByRole('button', { name: 'Clear history…' }).click();
    await page.getByRole('button', { name: 'Clear history', exact: true }).click();
    await waitForCall(page, 'clearHistory');
    await list.waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('a failed first load says why and offers to try again', async () => {
    const page = await open({ failLoad: true });
    assert.match(await page.getByRole('alert').innerText(), /The engine is not running\./);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'getState').length >= 2);
    await closeChecked(page);
  });

  test('every control has an accessible name, at full width and at 720 px', async () => {
    for (const width of [1280, 720]) {
      const page = await open({}, { width, height: 800 });
      for (const section of ['Devices', 'Transfers', 'History', 'Settings']) {
        await page
          .getByRole('navigation', { name: 'Sections' })
          .getByRole('button', { name: new RegExp(`^${section}`) })
          .click();
        await page.waitForTimeout(100);
        const unnamed = await page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<NamedElement> } }).document;
          interface NamedElement {
            id: string;
            outerHTML: string;
            textContent: string | null;
            labels?: ArrayLike<unknown> | null;
            getAttribute(n: string): string | null;
          }
          return Array.from(doc.querySelectorAll('button, input, select, textarea, [role="progressbar"], [role="group"], dialog'))
            .filter((el) => {
              const label = el.getAttribute('aria-label') ?? el.getAttribute('aria-labelledby') ?? '';
              const text = (el.textContent ?? '').trim();
              const tag = el.outerHTML.slice(0, 8).toLowerCase();
              const needsLabel = tag.startsWith('<input') || tag.startsWith('<select') || tag.startsWith('<textare');
              if (needsLabel) return !label && !(el.labels && el.labels.length > 0);
              return !label && !text;
            })
            .map((el) => el.outerHTML.slice(0, 120));
        });
        assert.deepEqual(unnamed, [], `${section} at ${width} px`);
      }
      // Collapsed to icons, the sections keep their names.
      assert.equal(await page.getByRole('button', { name: 'History', exact: true }).count(), 1);
      await closeChecked(page);
    }
  });

  test('no script errors and no Content-Security-Policy violations on any page', () => {
    assert.deepEqual(problems, []);
  });
});
