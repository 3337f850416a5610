// The built renderer (dist/renderer) in Debian's Chromium with a fake bridge in place of
// Electron's preload (tests/fixtures/renderer-fake-bridge.js): what each screen shows and
// which contract call each control makes, found by role and name as assistive tech finds
// them. The end-to-end test drives the same UI against real daemons; this one covers what
// those cannot reach (Electron-only buttons, identity warnings, validation, the secret flow).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { calls, drop, expectFocus, rendererHarness, skip, waitForCall, type Call, type Scenario } from '../fixtures/renderer-page.js';

describe('the renderer with a fake bridge', { skip }, () => {
  const { open, closeChecked, problems } = rendererHarness();

  async function nav(page: Page, section: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: new RegExp(`^${section}`) })
      .click();
  }

  /** Focuses `target` and presses `key` on it, as a keyboard user would. */
  async function press(target: Locator, key = 'Enter'): Promise<void> {
    await target.focus();
    await target.press(key);
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
    await press(nas.getByRole('button', { name: 'Remove nas.local:33779' }));
    assert.deepEqual(await waitForCall(page, 'removeManualPeer'), ['removeManualPeer', 'nas.local:33779']);
    await nas.waitFor({ state: 'detached' });
    // Focus moves into the card that took its place, not back to the top of the window.
    await expectFocus(page, office.getByRole('button').first());
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
    // The folders and the file name are two boxes (the folders give way first): a break between.
    assert.match(text, /Holiday 2024\/\s*IMG_4214\.jpg/);
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
    await page
      .getByRole('button', { name: /^Retry\b.* to Anna’s MacBook Pro/ })
      .first()
      .click();
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
    await field.fill('192.168.1.77:99999');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /1 to 65535/);
    assert.equal((await calls(page, 'addManualPeer')).length, 0, 'not sent to the engine');
    await field.fill('bad-host:80');
    await field.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'a manual peer is HOST:PORT' }).waitFor();
    // An address alone means the default port.
    await field.fill('10.0.0.9');
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
    await expectFocus(page, page.getByRole('button', { name: 'Why can’t I see other devices?' }));
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

  test('every control has an accessible name, at full width and at 720 px, LocalSend’s included', async () => {
    const runs: Array<[number, Scenario]> = [
      [1280, {}],
      [720, {}],
      [720, { localsend: true }],
    ];
    for (const [width, scenario] of runs) {
      const page = await open(scenario, { viewport: { width, height: 800 } });
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
        assert.deepEqual(unnamed, [], `${section} at ${width} px, ${JSON.stringify(scenario)}`);
      }
      // Collapsed to icons, the sections keep their names.
      assert.equal(await page.getByRole('button', { name: 'History', exact: true }).count(), 1);
      await closeChecked(page);
    }
  });

  test('removing a trusted device moves focus to the next one’s Remove, then to the heading', async () => {
    const page = await open();
    await nav(page, 'Settings');
    await press(page.getByRole('button', { name: 'Remove Anna’s MacBook Pro from trusted devices' }));
    await waitForCall(page, 'untrustDevice');
    await expectFocus(page, page.getByRole('button', { name: 'Remove Kitchen laptop from trusted devices' }));
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Trusted devices' }).waitFor({ state: 'detached' });
    await expectFocus(page, page.getByRole('heading', { name: 'Trusted devices' }));
    await closeChecked(page);
  });

  test('dismissing a queue row moves focus to the next row’s Dismiss; Clear finished to the heading', async () => {
    const page = await open();
    await nav(page, 'Transfers');
    await press(page.getByRole('button', { name: 'Dismiss the transfer from Office PC' }));
    await page.getByRole('progressbar', { name: 'Transfer from Office PC' }).waitFor({ state: 'detached' });
    // The next finished row (failed, to Anna) has a Dismiss button in the same place.
    await expectFocus(page, page.getByRole('button', { name: 'Dismiss the transfer to Anna’s MacBook Pro' }));
    await press(page.getByRole('button', { name: 'Clear finished' }));
    await page.getByRole('list', { name: 'Finished transfers' }).waitFor({ state: 'detached' });
    await expectFocus(page, page.getByRole('heading', { level: 2, name: 'Transfers' }));
    await closeChecked(page);
  });

  test('the clear-history dialog: Escape returns to its opener, Tab stays inside, clearing focuses the heading', async () => {
    const page = await open();
    await nav(page, 'History');
    const opener = page.getByRole('button', { name: 'Clear history…' });
    await press(opener);
    const dialog = page.getByRole('dialog', { name: 'Clear the history?' });
    await dialog.waitFor();
    // Keep first: Enter pressed out of habit must not wipe anything.
    await expectFocus(page, dialog.getByRole('button', { name: 'Keep' }));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, opener);
    assert.equal((await calls(page, 'clearHistory')).length, 0);

    await press(opener);
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await expectFocus(page, dialog.getByRole('button', { name: 'Clear history', exact: true }));
    await page.keyboard.press('Tab');
    await expectFocus(page, dialog.getByRole('button', { name: 'Keep' }));
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await waitForCall(page, 'clearHistory');
    await page.getByRole('list', { name: 'Past transfers' }).waitFor({ state: 'detached' });
    await expectFocus(page, page.getByRole('heading', { level: 2, name: 'History' }));
    await closeChecked(page);
  });

  test('Add a device is a dialog: focus in its field, Escape closes it back to its button', async () => {
    const page = await open();
    const opener = page.getByRole('button', { name: 'Add a device' });
    await press(opener);
    const dialog = page.getByRole('dialog', { name: 'Add a device' });
    await dialog.waitFor();
    await expectFocus(page, dialog.getByRole('textbox', { name: 'Add a device by address' }));
    await page.keyboard.type('10.0.0');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, opener);
    assert.equal((await calls(page, 'addManualPeer')).length, 0);
    // Added: closed, and focus is back on the button too.
    await press(opener);
    await page.keyboard.type('10.0.0.9:33779');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, opener);
    await closeChecked(page);
  });

  test('the shared secret: each step takes focus along (the new secret, then back to Generate)', async () => {
    const page = await open({ secretEnabled: true });
    await nav(page, 'Settings');
    await press(page.getByRole('button', { name: 'Generate a new one' }));
    const secret = page.getByRole('textbox', { name: 'Your new secret (shown only now)' });
    await expectFocus(page, secret);
    await press(page.locator('.secret-box').getByRole('button', { name: 'Cancel' }));
    await expectFocus(page, page.getByRole('button', { name: 'Generate a new one' }));
    await press(page.getByRole('button', { name: 'Turn off', exact: true }));
    await expectFocus(page, page.getByRole('button', { name: 'Keep it on' }));
    // Escape backs out of a step like its Cancel does.
    await page.keyboard.press('Escape');
    await page.getByRole('group', { name: 'Turn off the shared secret' }).waitFor({ state: 'detached' });
    await expectFocus(page, page.getByRole('button', { name: 'Generate a new one' }));
    assert.equal((await calls(page, 'setSecret')).length, 0);
    await closeChecked(page);
  });

  test('files dragged over a card: the hint covers the card on an opaque background, in the dark too', async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      const page = await open({}, { colorScheme });
      const card = page.getByRole('group', { name: 'Office PC' });
      await drop(card, ['report.pdf'], { release: false });
      await page.locator('.peer-card.is-drop-target').waitFor();
      const hint = card.locator('.drop-hint');
      await page.waitForFunction(() => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
        const el = doc.querySelector('.is-drop-target .drop-hint');
        const get = (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle;
        return !!el && get(el).opacity === '1';
      });
      // (No helper functions inside: the page gets this function's source, without tsx's helpers.)
      const look = await hint.evaluate((el) => {
        const style = (
          globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string; position: string; zIndex: string } }
        ).getComputedStyle(el);
        const h = el.getBoundingClientRect();
        const c = el.parentElement!.getBoundingClientRect();
        return {
          background: style.backgroundColor,
          position: style.position,
          zIndex: style.zIndex,
          hint: [h.left, h.top, h.right, h.bottom].map(Math.round),
          card: [c.left, c.top, c.right, c.bottom].map(Math.round),
        };
      });
      // rgb(…) or color(srgb …) without an alpha part, or with alpha 1: nothing of the card shows through.
      const alpha = /\/\s*([\d.]+)\)$|rgba\([^)]*,\s*([\d.]+)\)$/.exec(look.background);
      assert.ok(!alpha || Number(alpha[1] ?? alpha[2]) === 1, `${colorScheme}: the hint's background ${look.background} is see-through`);
      assert.equal(look.position, 'absolute');
      assert.ok(Number(look.zIndex) >= 1, `${colorScheme}: the hint is above the card's content`);
      // The card's border is 1px: the hint covers everything inside it.
      look.card.forEach((edge, i) =>
        assert.ok(Math.abs(edge - look.hint[i]!) <= 1, `${colorScheme}: hint ${look.hint} vs card ${look.card}`),
      );
      assert.match(await hint.innerText(), /Drop to send to Office PC/);
      await closeChecked(page);
    }
  });

  test('a transfer of 1,000 deep paths: every file name readable, all of them reachable by scrolling', async () => {
    const page = await open({ manyFiles: true }, { viewport: { width: 800, height: 600 } });
    await nav(page, 'Transfers');
    await page.getByRole('button', { name: 'Files of the transfer from Anna’s MacBook Pro' }).click();
    const list = page.getByRole('list', { name: 'Files received from Anna’s MacBook Pro' });
    await list.waitFor();
    const rows = list.getByRole('listitem');
    // Windowed: a screenful is rendered, not a thousand rows.
    const rendered = await rows.count();
    assert.ok(rendered > 3 && rendered < 40, `${rendered} rows rendered`);
    assert.equal(await rows.first().getAttribute('aria-setsize'), '1000');
    assert.equal(await rows.first().getAttribute('aria-posinset'), '1');
    assert.equal((await page.getByText(/not listed/).count()) > 0, false, 'every file is listed');

    // Cut in the middle: the folders give way, the file name stays whole and in view.
    const first = await rows.first().evaluate((li) => {
      const head = li.querySelector('.middle-path-head')!;
      const tail = li.querySelector('.middle-path-tail')!;
      const main = li.querySelector('.file-main')!;
      return {
        title: li.querySelector('.middle-path')!.getAttribute('title'),
        tail: tail.textContent,
        headCut: head.scrollWidth > head.clientWidth,
        tailWhole: tail.scrollWidth <= tail.clientWidth,
        tailInside: tail.getBoundingClientRect().right <= main.getBoundingClientRect().right + 0.5,
      };
    });
    assert.deepEqual(first, {
      title:
        'Pictures/Family archive (scanned and sorted)/2023 Summer holiday with the grandparents/Europe/Portugal/Algarve/photo-0000.jpg',
      tail: 'photo-0000.jpg',
      headCut: true,
      tailWhole: true,
      tailInside: true,
    });

    // By keyboard: the list takes focus and End scrolls to the last of the 1,000.
    await list.focus();
    await page.keyboard.press('End');
    const last = list.locator('li[aria-posinset="1000"]');
    await last.waitFor({ timeout: 5_000 });
    assert.match(await last.innerText(), /photo-0999\.jpg/);
    assert.ok((await rows.count()) < 40, 'still windowed at the end');
    assert.equal(await hasNoGaps(list), true);
    await closeChecked(page);
  });

  /** The rendered rows are consecutive positions: windowing skipped none in the middle. */
  async function hasNoGaps(list: Locator): Promise<boolean> {
    const positions = await list.getByRole('listitem').evaluateAll((items) => items.map((li) => Number(li.getAttribute('aria-posinset'))));
    return positions.every((p, i) => i === 0 || p === positions[i - 1]! + 1);
  }

  // ---- LocalSend (the fake bridge's localsend* scenarios) ----

  test('LocalSend devices: tagged, their kind shown, the same computer’s two entries told apart, files dropped sent', async () => {
    const page = await open({ localsend: true });
    // Office PC runs Ferry and a LocalSend app: two cards, two names, two ports.
    const ferry = page.getByRole('group', { name: 'Office PC', exact: true });
    const viaLocalSend = page.getByRole('group', { name: 'Office PC (LocalSend)', exact: true });
    await viaLocalSend.waitFor();
    assert.doesNotMatch(await ferry.innerText(), /LocalSend/);
    assert.match(await ferry.innerText(), /192\.168\.1\.44:33779/);
    const desktop = await viaLocalSend.innerText();
    assert.match(desktop, /LocalSend/);
    assert.match(desktop, /Computer/);
    assert.match(desktop, /192\.168\.1\.44:53317/);
    const phone = page.getByRole('group', { name: 'Sam’s Pixel (LocalSend)', exact: true });
    assert.match(await phone.innerText(), /LocalSend[\s\S]*Online\s*·\s*Android[\s\S]*Phone/);
    // A drop on a LocalSend card sends as on any other, to that entry.
    await drop(phone, ['ticket.pdf']);
    assert.deepEqual(await waitForCall(page, 'sendDropped'), ['sendDropped', 'ls-pixel', ['ticket.pdf']]);
    await viaLocalSend.getByRole('button', { name: 'Send files…' }).click();
    assert.deepEqual(await waitForCall(page, 'pickAndSend'), ['pickAndSend', 'ls-office', 'files']);
    // Trusting one: its app shows no code, so none is asked for (nor the one the engine has).
    await press(viaLocalSend.getByRole('button', { name: /^Trust…/ }));
    const dialog = page.getByRole('dialog', { name: 'Trust Office PC (LocalSend)?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /LocalSend apps show no code to compare/);
    assert.doesNotMatch(text, /771 204|codes match/);
    await dialog.getByRole('button', { name: 'Trust this device' }).click();
    assert.deepEqual(await waitForCall(page, 'trustDevice'), ['trustDevice', 'ls-office']);
    await dialog.waitFor({ state: 'detached' });
    await viaLocalSend.getByText('Trusted', { exact: true }).waitFor();
    await closeChecked(page);
  });

  test('Add a device takes localsend://HOST:PORT (LocalSend’s port when none is given), and its hint says so', async () => {
    const page = await open({ localsend: true });
    await page.getByRole('button', { name: 'Add a device' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a device' });
    const field = dialog.getByRole('textbox', { name: 'Add a device by address' });
    assert.match((await field.getAttribute('placeholder')) ?? '', /localsend:\/\//);
    assert.match(
      await dialog.innerText(),
      /For a phone or a LocalSend app: localsend:\/\/ and its address, like localsend:\/\/192\.168\.1\.50:53317/,
    );
    await field.fill('localsend://');
    await field.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'address after localsend://' }).waitFor();
    await field.fill('ftp://192.168.1.50');
    await field.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'localsend://HOST:PORT for a LocalSend app' }).waitFor();
    assert.equal((await calls(page, 'addManualPeer')).length, 0, 'not sent to the engine');
    await field.fill('localsend://192.168.1.50');
    await field.press('Enter');
    assert.deepEqual(await waitForCall(page, 'addManualPeer'), ['addManualPeer', 'localsend://192.168.1.50:53317']);
    const card = page.getByRole('group', { name: 'localsend://192.168.1.50:53317 (LocalSend)', exact: true });
    await card.waitFor();
    await card.getByRole('button', { name: 'Remove localsend://192.168.1.50:53317' }).click();
    assert.deepEqual(await waitForCall(page, 'removeManualPeer'), ['removeManualPeer', 'localsend://192.168.1.50:53317']);
    await closeChecked(page);
  });

  test('offers from LocalSend apps: no code to compare; one without a certificate cannot be always accepted', async () => {
    const page = await open({ localsendOffer: true });
    const unverified = page.getByRole('dialog', { name: 'Kitchen tablet wants to send you files' });
    await unverified.waitFor();
    let text = await unverified.innerText();
    assert.match(text, /LocalSend/);
    assert.match(text, /This app does not prove who it is\. Accept only if you expect files from Kitchen tablet\./);
    assert.doesNotMatch(text, /same code/);
    assert.equal(await unverified.getByRole('button', { name: 'Always accept from this device' }).count(), 0);
    // The warning is what the dialog is described by, read with its name.
    assert.match((await unverified.getAttribute('aria-describedby')) ?? '', /offer-desc-o-ls1/);
    assert.match(await unverified.locator('#offer-desc-o-ls1').innerText(), /does not prove who it is/);
    await expectFocus(page, unverified.getByRole('button', { name: 'Decline', exact: true }));
    await unverified.getByRole('button', { name: 'Accept', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o-ls1', 'accept']);
    // A LocalSend app that proved its id: still no code, but it may be trusted.
    const verified = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await verified.waitFor();
    text = await verified.innerText();
    assert.match(text, /Sent with LocalSend, which shows no code to compare/);
    assert.doesNotMatch(text, /771 204|does not prove/);
    await verified.getByRole('button', { name: 'Always accept from this device' }).click();
    assert.deepEqual((await waitForCall(page, 'answerOffer')).slice(1), ['o-ls2', 'always']);
    await closeChecked(page);
  });

  test('a LocalSend receiver asks for a PIN: the row’s field takes focus, Enter sends it, a wrong one is said, Give up sends null', async () => {
    const page = await open({ localsend: true });
    await nav(page, 'Transfers');
    const row = page.locator('li.transfer').filter({ hasText: 'boarding-pass.pdf' });
    assert.match(await row.innerText(), /Sam’s Pixel asks for a PIN/);
    assert.match(await row.innerText(), /Waiting for a PIN/);
    // No code to compare on a send to a LocalSend app.
    assert.equal(await row.locator('.transfer-code').count(), 0);
    const field = row.getByLabel('PIN for Sam’s Pixel');
    assert.equal(await field.getAttribute('type'), 'password');
    await expectFocus(page, field);
    // Nothing typed: said at once, nothing sent.
    await field.press('Enter');
    await row.getByRole('alert').filter({ hasText: 'Type the PIN set on Sam’s Pixel' }).waitFor();
    assert.equal((await calls(page, 'answerPin')).length, 0);
    await field.fill('1111');
    await field.press('Enter');
    assert.deepEqual(await waitForCall(page, 'answerPin'), ['answerPin', 't7', '1111']);
    await row.getByRole('alert').filter({ hasText: 'That PIN was wrong — try again' }).waitFor();
    assert.equal(await field.inputValue(), '', 'a refused PIN is typed again from scratch');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await expectFocus(page, field);
    await field.fill('2468');
    await row.getByRole('button', { name: 'Send the PIN to Sam’s Pixel' }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'answerPin').length === 2,
    );
    assert.deepEqual((await calls(page, 'answerPin')).at(-1), ['answerPin', 't7', '2468']);
    await field.waitFor({ state: 'detached' });
    await row.getByText('Sending').waitFor();
    await closeChecked(page);

    // Giving up: the send stops (null), and the row says it can start over, not resume.
    const again = await open({ localsend: true });
    const compact = again.locator('li.transfer').filter({ hasText: 'boarding-pass.pdf' });
    await expectFocus(again, compact.getByLabel('PIN for Sam’s Pixel'));
    await compact.getByRole('button', { name: 'Give up the send to Sam’s Pixel' }).click();
    assert.deepEqual(await waitForCall(again, 'answerPin'), ['answerPin', 't7', null]);
    await compact.getByRole('button', { name: /^Retry from the start/ }).waitFor();
    await closeChecked(again);
  });

  test('a PIN asked for later takes focus, but not from a field the person is typing in', async () => {
    const page = await open({ localsend: true });
    await nav(page, 'Transfers');
    /** Sets t7's pin as the engine would (the fake's state, changed in one place). */
    const setPin = (pin: string | null): Promise<void> =>
      page.evaluate(async (p) => {
        const g = globalThis as unknown as {
          ferry: { getState(): Promise<{ transfers: Array<{ id: string; pin: string | null }> }> };
          __setState(patch: unknown): void;
        };
        const { transfers } = await g.ferry.getState();
        g.__setState({ transfers: transfers.map((t) => (t.id === 't7' ? { ...t, pin: p } : t)) });
      }, pin);
    const field = page.getByLabel('PIN for Sam’s Pixel');
    await setPin(null);
    await field.waitFor({ state: 'detached' });
    // Renaming this device when the phone asks: the typing stays where it is.
    await page.getByRole('button', { name: 'Rename this device' }).click();
    const name = page.getByRole('textbox', { name: 'Device name' });
    await expectFocus(page, name);
    await setPin('required');
    await field.waitFor();
    await page.waitForTimeout(100);
    await expectFocus(page, name);
    await name.press('Escape');
    // Asked again while nothing is being typed: straight into the field.
    await setPin(null);
    await field.waitFor({ state: 'detached' });
    await setPin('required');
    await expectFocus(page, field);
    await closeChecked(page);
  });

  test('a failed LocalSend send: Retry says it starts the unfinished files again, and nothing promises a resume', async () => {
    const page = await open({ localsend: true });
    await nav(page, 'Transfers');
    const row = page.locator('li.transfer').filter({ hasText: 'Slides' });
    const retry = row.getByRole('button', { name: /^Retry from the start\b/ });
    const help = (await retry.getAttribute('title')) ?? '';
    assert.match(help, /^Offers the files to Office PC again and sends the unfinished ones from their beginning/);
    const text = await row.innerText();
    assert.match(text, /LocalSend/);
    assert.doesNotMatch(`${text} ${help}`, /(?<!cannot )resum|does not have yet|not sent twice|kept/i);
    await retry.click();
    assert.deepEqual(await waitForCall(page, 'retryTransfer'), ['retryTransfer', 't8']);
    // Ferry's own failed send still resumes, and says so.
    const ferry = page.getByRole('button', { name: /^Retry\b.* to Anna’s MacBook Pro/ });
    assert.match((await ferry.getAttribute('title')) ?? '', /sends what Anna’s MacBook Pro does not have yet/);
    await closeChecked(page);
  });

  test('settings: the LocalSend switch, its checked port, and the receive PIN set, changed and removed (never shown)', async () => {
    const page = await open({ localsend: true });
    await nav(page, 'Settings');
    const section = page.getByRole('region', { name: 'LocalSend' });
    const port = section.getByRole('textbox', { name: 'LocalSend port', exact: true });
    assert.equal(await port.inputValue(), '53317');
    await port.fill('99999');
    await port.press('Enter');
    await section.getByRole('alert').filter({ hasText: 'whole number from 1 to 65535' }).waitFor();
    await port.fill('1');
    await port.press('Enter');
    await section.getByRole('alert').filter({ hasText: 'port 1 needs administrator rights' }).waitFor();
    await port.fill('53318');
    await port.press('Enter');
    await section.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    assert.deepEqual(
      (await calls(page, 'updateSettings')).map((c) => c[1]),
      [{ localsendPort: 1 }, { localsendPort: 53318 }],
    );

    // The PIN: none yet; set one (checked first), then change it, then remove it.
    assert.match(await section.innerText(), /Receive PIN\s*None/);
    await press(section.getByRole('button', { name: 'Set a PIN…' }));
    const pin = section.getByLabel('PIN for LocalSend senders');
    await expectFocus(page, pin);
    assert.equal(await pin.getAttribute('type'), 'password');
    await pin.fill('12');
    await pin.press('Enter');
    await section.getByRole('alert').filter({ hasText: 'at least 4 characters' }).waitFor();
    assert.equal((await calls(page, 'setLocalSendPin')).length, 0, 'a short PIN is not sent');
    await pin.fill('4321');
    await pin.press('Enter');
    assert.deepEqual(await waitForCall(page, 'setLocalSendPin'), ['setLocalSendPin', '4321']);
    // Back to the row, which says a PIN is set and never shows it.
    await expectFocus(page, section.getByRole('button', { name: 'Change PIN…' }));
    assert.match(await section.innerText(), /Receive PIN\s*Set/);
    assert.doesNotMatch(await page.locator('body').innerText(), /4321/);
    await press(section.getByRole('button', { name: 'Change PIN…' }));
    await section.getByLabel('New PIN for LocalSend senders').fill('9876');
    await section.getByRole('button', { name: 'Save PIN' }).click();
    await page.waitForFunction(
      () => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'setLocalSendPin').length === 2,
    );
    // Escape backs out of the form like Cancel.
    await press(section.getByRole('button', { name: 'Change PIN…' }));
    await page.keyboard.press('Escape');
    await expectFocus(page, section.getByRole('button', { name: 'Change PIN…' }));
    await press(section.getByRole('button', { name: 'Remove PIN' }));
    await page.waitForFunction(
      () => (globalThis as unknown as { __calls: Call[] }).__calls.filter((c) => c[0] === 'setLocalSendPin').length === 3,
    );
    assert.deepEqual(
      (await calls(page, 'setLocalSendPin')).map((c) => c[1]),
      ['4321', '9876', null],
    );
    await expectFocus(page, section.getByRole('button', { name: 'Set a PIN…' }));

    // Off: the port and the PIN, which only LocalSend uses, go with it.
    await section.getByRole('switch', { name: 'Also speak LocalSend (phones and LocalSend apps)' }).click();
    assert.deepEqual((await calls(page, 'updateSettings')).at(-1), ['updateSettings', { localsend: false }]);
    await port.waitFor({ state: 'detached' });
    await section.getByRole('switch', { name: 'Also speak LocalSend (phones and LocalSend apps)' }).click();
    assert.deepEqual((await calls(page, 'updateSettings')).at(-1), ['updateSettings', { localsend: true }]);
    await port.waitFor();
    await closeChecked(page);
  });

  test('LocalSend settings fixed by the command line are shown as such and cannot be changed', async () => {
    const page = await open({ localsend: true, fixed: ['localsend', 'localsendPort'] });
    await nav(page, 'Settings');
    const section = page.getByRole('region', { name: 'LocalSend' });
    const toggle = section.getByRole('switch', { name: 'Also speak LocalSend (phones and LocalSend apps)' });
    assert.equal(await toggle.isDisabled(), true);
    await section.getByText('Set by --no-localsend when this Ferry was started', { exact: false }).waitFor();
    const port = section.getByRole('textbox', { name: 'LocalSend port', exact: true });
    assert.equal(await port.getAttribute('readonly'), '');
    await section.getByText('Set by --localsend-port when this Ferry was started', { exact: false }).waitFor();
    await port.focus();
    await page.keyboard.type('1');
    await port.press('Enter');
    assert.deepEqual(await calls(page, 'updateSettings'), []);
    // The PIN is not a command-line setting: it stays changeable.
    assert.equal(await section.getByRole('button', { name: 'Set a PIN…' }).isEnabled(), true);
    await closeChecked(page);
  });

  test('LocalSend’s port taken: the header warns as for the receiver, troubleshooting shows its port and why', async () => {
    const page = await open({ localsendProblem: true });
    const header = page.getByRole('banner');
    const warning = header.getByRole('alert').filter({ hasText: 'LocalSend:' });
    assert.equal(
      await warning.innerText(),
      'LocalSend: port 53317 is in use by another program (perhaps a LocalSend app on this computer); LocalSend devices reach this one on port 40123',
    );
    assert.match(await header.innerText(), /LocalSend 40123/);
    await page.getByRole('button', { name: 'Troubleshoot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Network troubleshooting' });
    const findings = dialog.getByRole('list', { name: 'Findings' });
    await findings.waitFor();
    const item = findings.getByRole('listitem').filter({ hasText: 'LocalSend: port 53317 is in use' });
    assert.match((await item.getAttribute('class')) ?? '', /finding-warning/);
    assert.match(await dialog.innerText(), /LocalSend\s*TCP 40123/);
    await closeChecked(page);

    // On its own port: said as working; off: said as off.
    const fine = await open({ localsend: true });
    assert.equal(await fine.getByRole('banner').getByRole('alert').count(), 0);
    await fine.getByRole('button', { name: 'Troubleshoot' }).click();
    const ok = fine.getByRole('dialog', { name: 'Network troubleshooting' });
    await ok.getByText('Phones and LocalSend apps reach this device on TCP port 53317.').waitFor();
    assert.match(await ok.innerText(), /LocalSend\s*TCP 53317/);
    await closeChecked(fine);
    const off = await open();
    await off.getByRole('button', { name: 'Troubleshoot' }).click();
    await off.getByRole('dialog', { name: 'Network troubleshooting' }).getByText('LocalSend is off', { exact: false }).waitFor();
    assert.doesNotMatch(await off.getByRole('banner').innerText(), /LocalSend/);
    await closeChecked(off);
  });

  test('no script errors and no Content-Security-Policy violations on any page', () => {
    assert.deepEqual(problems, []);
  });
});
