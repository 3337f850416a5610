// The built renderer (dist/renderer) in Debian's Chromium with a fake bridge in place of
// Electron's preload (tests/fixtures/renderer-fake-bridge.js): what each screen shows and
// which contract call each control makes, found by role and name as assistive tech finds
// them. The end-to-end test drives the same UI against real daemons; this one covers what
// those cannot reach (Electron-only buttons, identity warnings, validation, the secret flow).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import {
  calls,
  drop,
  expectFocus,
  paste,
  rendererHarness,
  skip,
  waitForCall,
  type Call,
  type Scenario,
} from '../fixtures/renderer-page.js';

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
    // Focus moves into the card that took its place (its first control), not back to the top of the window.
    await expectFocus(page, office.getByRole('checkbox', { name: 'Select Office PC' }));
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
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o1', 'always', null]);
    // The next offer follows in a fresh dialog.
    const next = page.getByRole('dialog', { name: 'Anna’s MacBook Pro wants to send you files' });
    await next.waitFor();
    // One file: nothing to choose between, so no boxes; its folder can still be changed.
    assert.equal(await next.getByRole('checkbox').count(), 0);
    assert.equal(await next.getByRole('button', { name: 'Select none' }).count(), 0);
    assert.match(await next.innerText(), /a\.txt[\s\S]*Save to\s*\/home\/sam\/Downloads/);
    await next.getByRole('button', { name: 'Accept', exact: true }).click();
    await next.waitFor({ state: 'detached' });
    assert.deepEqual((await calls(page, 'answerOffer')).at(-1), ['answerOffer', 'o2', 'accept', null]);
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
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o1', 'decline', null]);
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

  test('every control has an accessible name, at full width and at 720 px, LocalSend’s and messages’ included', async () => {
    const runs: Array<[number, Scenario]> = [
      [1280, {}],
      [720, {}],
      [720, { localsend: true }],
      [1280, { texts: true }],
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
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o-ls1', 'accept', null]);
    // A LocalSend app that proved its id: still no code, but it may be trusted.
    const verified = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await verified.waitFor();
    text = await verified.innerText();
    assert.match(text, /Sent with LocalSend, which shows no code to compare/);
    assert.doesNotMatch(text, /771 204|does not prove/);
    await verified.getByRole('button', { name: 'Always accept from this device' }).click();
    assert.deepEqual((await waitForCall(page, 'answerOffer')).slice(1), ['o-ls2', 'always', null]);
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

  // ---- Text messages (the fake bridge's texts and textOffer scenarios) ----

  /** The page's globals these tests reach, typed just enough. */
  interface TextGlobals {
    __calls: Call[];
    __receiveText(view?: unknown): void;
    __setState(patch: unknown): void;
    __xss?: unknown;
    __notes: Array<{ title: string; body?: string; tag?: string }>;
    ferry: { getState(): Promise<{ peers: Array<{ key: string; online: boolean }>; settings: object }> };
    document: { title: string; activeElement: { blur?(): void } | null };
    navigator: { clipboard: { readText(): Promise<string>; writeText(t: string): Promise<void> } };
    getSelection(): { toString(): string } | null;
  }

  /** Moves focus off every control (to <body>), where a paste is the window's. */
  async function blur(page: Page): Promise<void> {
    await page.evaluate(() => (globalThis as unknown as TextGlobals).document.activeElement?.blur?.());
  }

  test('Send text… on a card: a labelled field, Ctrl+Enter sends to that device, Escape cancels back to the button', async () => {
    const page = await open();
    const office = page.getByRole('group', { name: 'Office PC', exact: true });
    const opener = office.getByRole('button', { name: 'Send text…' });
    assert.equal(await opener.getAttribute('aria-haspopup'), 'dialog');
    await press(opener);
    const dialog = page.getByRole('dialog', { name: 'Send a message to Office PC' });
    await dialog.waitFor();
    const field = dialog.getByRole('textbox', { name: 'Message' });
    await expectFocus(page, field);
    assert.match(await dialog.innerText(), /192\.168\.1\.44:33779/);
    assert.match(await dialog.innerText(), /Ctrl\+Enter to send/);
    // Escape: gone, nothing sent, focus back where it was.
    await page.keyboard.type('never mind');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, opener);
    assert.equal((await calls(page, 'sendText')).length, 0);
    // A fresh dialog each time: the words typed before are not kept.
    await press(opener);
    await expectFocus(page, field);
    assert.equal(await field.inputValue(), '');
    await page.keyboard.type('Lunch at');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('noon?');
    // Plain Enter is a new line, not a send.
    await page.keyboard.press('Enter');
    assert.equal((await calls(page, 'sendText')).length, 0);
    await page.keyboard.press('Control+Enter');
    assert.deepEqual(await waitForCall(page, 'sendText'), ['sendText', 'p-win', 'Lunch at\nnoon?\n']);
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, opener);
    await page.getByRole('status').filter({ hasText: 'Message on its way to Office PC' }).waitFor();
    // The send is in the queue as a message, its words on one line.
    const row = page.locator('li.transfer').filter({ hasText: 'Lunch at noon?' });
    await row.waitFor();
    assert.match(await row.innerText(), /Message\s*To Office PC/);
    await closeChecked(page);
  });

  test('a message past the limit is refused with the reason and a counter; an empty one and a refused send say why', async () => {
    const page = await open({ failSend: true });
    await page.getByRole('group', { name: 'Anna’s MacBook Pro' }).getByRole('button', { name: 'Send text…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a message to Anna’s MacBook Pro' });
    const field = dialog.getByRole('textbox', { name: 'Message' });
    await field.waitFor();
    // Empty: said, nothing sent.
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Type a message to send.' }).waitFor();
    // Near the limit the counter shows, in bytes of UTF-8 (an é is two).
    await field.fill('é'.repeat(30_000));
    assert.match(await dialog.innerText(), /60,000 \/ 65,536 bytes/);
    assert.equal(await dialog.getByRole('alert').count(), 0);
    assert.equal(await field.getAttribute('aria-invalid'), null);
    // Past it: said at once, and neither Ctrl+Enter nor Send sends it.
    await field.fill('é'.repeat(40_000));
    const alert = dialog.getByRole('alert');
    await alert.filter({ hasText: 'Too long to send as a message: 80,000 bytes' }).waitFor();
    assert.match(await alert.innerText(), /at most 65,536 bytes \(64 KB\)\. Shorten it, or send it as a file\./);
    assert.match(await dialog.innerText(), /80,000 \/ 65,536 bytes/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(
      (await field.getAttribute('aria-describedby')) ?? '',
      new RegExp((await alert.getAttribute('id'))!.replace(/[:]/g, '\\:')),
    );
    await field.press('Control+Enter');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await page.waitForTimeout(100);
    assert.equal((await calls(page, 'sendText')).length, 0, 'nothing past the limit reaches the engine');
    // Back under it: the engine's refusal is shown in the dialog, which keeps the words.
    await field.fill('Short again');
    assert.equal(await dialog.getByRole('alert').count(), 0);
    await field.press('Control+Enter');
    assert.deepEqual(await waitForCall(page, 'sendText'), ['sendText', 'p-mac', 'Short again']);
    await dialog.getByRole('alert').filter({ hasText: 'that device is no longer on the network' }).waitFor();
    assert.equal(await field.inputValue(), 'Short again');
    await closeChecked(page);
  });

  test('text pasted on a card opens the message to that device, prefilled; files pasted there are sent', async () => {
    const page = await open();
    const office = page.getByRole('group', { name: 'Office PC', exact: true });
    const button = office.getByRole('button', { name: 'Send files…' });
    await button.focus();
    assert.equal(await paste(page, { text: 'Wi-Fi password: correct horse' }), true);
    const dialog = page.getByRole('dialog', { name: 'Send a message to Office PC' });
    const field = dialog.getByRole('textbox', { name: 'Message' });
    await expectFocus(page, field);
    assert.equal(await field.inputValue(), 'Wi-Fi password: correct horse');
    // The caret after the pasted words, ready to add to them.
    assert.equal(await field.evaluate((el) => (el as unknown as { selectionStart: number }).selectionStart), 29);
    await page.keyboard.type('!');
    await page.keyboard.press('Control+Enter');
    assert.deepEqual(await waitForCall(page, 'sendText'), ['sendText', 'p-win', 'Wi-Fi password: correct horse!']);
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, button);

    // A click on the card (not on a button) makes it where a paste goes.
    await office.locator('.peer-address').click();
    await expectFocus(page, office);
    await paste(page, { text: 'second' });
    await dialog.waitFor();
    assert.equal(await field.inputValue(), 'second');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Files pasted on a card go as dropped ones do.
    await office.getByRole('button', { name: 'Send folder…' }).focus();
    assert.equal(await paste(page, { files: ['screenshot.png'] }), true);
    assert.deepEqual(await waitForCall(page, 'sendDropped'), ['sendDropped', 'p-win', ['screenshot.png']]);
    assert.equal(await page.getByRole('dialog').count(), 0);
    // Whitespace alone is not a message.
    assert.equal(await paste(page, { text: '  \n ' }), false);
    assert.equal(await page.getByRole('dialog').count(), 0);
    await closeChecked(page);
  });

  test('text pasted on the window: a device picker (one online: chosen), none online said; a field keeps its paste', async () => {
    const page = await open();
    await blur(page);
    assert.equal(await paste(page, { text: 'for someone' }), true);
    const dialog = page.getByRole('dialog', { name: 'Send a message', exact: true });
    await dialog.waitFor();
    const picker = dialog.getByRole('group', { name: 'Send to' });
    const anna = picker.getByRole('radio', { name: /Anna’s MacBook Pro/ });
    const office = picker.getByRole('radio', { name: /Office PC/ });
    // Online devices only; none chosen for the person; focus on the first to choose.
    assert.equal(await picker.getByRole('radio').count(), 2);
    assert.equal(await anna.isChecked(), false);
    assert.equal(await office.isChecked(), false);
    await expectFocus(page, anna);
    const field = dialog.getByRole('textbox', { name: 'Message' });
    assert.equal(await field.inputValue(), 'for someone');
    await field.press('Control+Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Choose the device to send this to.' }).waitFor();
    await expectFocus(page, anna);
    assert.equal((await calls(page, 'sendText')).length, 0);
    await page.keyboard.press('ArrowRight');
    assert.equal(await office.isChecked(), true);
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'sendText'), ['sendText', 'p-win', 'for someone']);
    await dialog.waitFor({ state: 'detached' });

    // Typing in a field: the paste is the field's.
    await page.getByRole('button', { name: 'Rename this device' }).click();
    assert.equal(await paste(page, { text: 'New name' }), false);
    assert.equal(await page.getByRole('dialog').count(), 0);
    await page.getByRole('textbox', { name: 'Device name' }).press('Escape');

    // One device online: it is chosen already, and the words take focus.
    await page.evaluate(async () => {
      const g = globalThis as unknown as TextGlobals;
      const { peers } = await g.ferry.getState();
      g.__setState({ peers: peers.map((p) => ({ ...p, online: p.key === 'p-mac' })) });
    });
    await page.getByText('1 online', { exact: false }).waitFor();
    await blur(page);
    await paste(page, { text: 'just you' });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('radio', { name: /Anna’s MacBook Pro/ }).isChecked(), true);
    await expectFocus(page, field);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => (globalThis as unknown as TextGlobals).__calls.filter((c) => c[0] === 'sendText').length === 2);
    assert.deepEqual((await calls(page, 'sendText')).at(-1), ['sendText', 'p-mac', 'just you']);
    await closeChecked(page);

    // Nobody online: the dialog says so, and Send waits for a device.
    const empty = await open({ empty: true });
    await paste(empty, { text: 'into the void' });
    const lonely = empty.getByRole('dialog', { name: 'Send a message', exact: true });
    await lonely.getByText('No device is online.').waitFor();
    assert.equal(await lonely.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true);
    assert.equal(await lonely.getByRole('textbox', { name: 'Message' }).inputValue(), 'into the void');
    await closeChecked(empty);
  });

  test('Messages: who, when, the words as text (never markup), a long one clamped behind Show all', async () => {
    const page = await open({ texts: true });
    const panel = page.getByRole('region', { name: 'Messages' });
    const list = panel.getByRole('list', { name: 'Received messages' });
    await list.waitFor();
    const items = list.getByRole('listitem');
    assert.equal(await items.count(), 3);
    // Newest first; line breaks kept.
    const first = items.nth(0);
    assert.match(await first.getByRole('heading', { level: 3 }).innerText(), /Office PC/);
    assert.match(await first.innerText(), /Today, /);
    assert.match(await first.innerText(), /Meeting moved to 3 pm\.\nRoom 4B — bring the printed agenda\./);
    assert.equal(await first.getByRole('button', { name: /^Show all/ }).count(), 0, 'nothing hidden, nothing to show');
    // Markup in a message is shown as its characters, and runs nothing.
    const long = items.filter({ hasText: 'Sam’s Pixel' });
    assert.match(await long.innerText(), /LocalSend/);
    assert.match(await long.innerText(), /<b>not bold<\/b> <img src=x onerror="window\.__xss=1">/);
    assert.equal(await panel.locator('b, img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as TextGlobals).__xss), undefined);
    // Clamped, then whole (scrolling in its box, reachable by keyboard), then clamped again.
    const body = long.locator('.message-text');
    const more = long.getByRole('button', { name: 'Show all of the message from Sam’s Pixel' });
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    const clipped = await body.evaluate((el) => el.scrollHeight > el.clientHeight);
    assert.equal(clipped, true);
    await more.click();
    const less = long.getByRole('button', { name: 'Show less of the message from Sam’s Pixel' });
    assert.equal(await less.getAttribute('aria-expanded'), 'true');
    assert.equal(await body.getAttribute('tabindex'), '0');
    assert.match(await body.innerText(), /THE END$/);
    await less.click();
    await more.waitFor();
    // The sidebar counts them on Devices, for whoever is elsewhere.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Devices\W*3 messages$/ })
      .waitFor();
    // On Transfers too, above the queue.
    await nav(page, 'Transfers');
    await page.getByRole('region', { name: 'Messages' }).getByRole('listitem').first().waitFor();
    await closeChecked(page);
  });

  test('Copy puts the words on the clipboard and says so; when the clipboard refuses, they are selected', async () => {
    const page = await open({ texts: true });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    const first = page.getByRole('list', { name: 'Received messages' }).getByRole('listitem').first();
    await first.getByRole('button', { name: 'Copy the message from Office PC' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied the message from Office PC' }).waitFor();
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as TextGlobals).navigator.clipboard.readText()),
      'Meeting moved to 3 pm.\nRoom 4B — bring the printed agenda.',
    );
    // Refused (no permission, no focus) and no copy by hand either: the words are selected, and the person told.
    await page.evaluate(() => {
      const g = globalThis as unknown as TextGlobals & { document: { execCommand(c: string): boolean } };
      g.navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));
      g.document.execCommand = () => false;
    });
    const long = page.getByRole('list', { name: 'Received messages' }).getByRole('listitem').filter({ hasText: 'Sam’s Pixel' });
    await long.getByRole('button', { name: 'Copy the message from Sam’s Pixel' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not copy: the message is selected, copy it with Ctrl+C' }).waitFor();
    const selected = await page.evaluate(() => (globalThis as unknown as TextGlobals).getSelection()?.toString() ?? '');
    assert.match(selected, /^Notes from the call[\s\S]*THE END$/);
    // Shown whole, so what is selected is what is seen.
    await long.getByRole('button', { name: /^Show less/ }).waitFor();
    await closeChecked(page);
  });

  test('a link: Open link asks the desktop host to open it; Dismiss removes a message, focus going to the next', async () => {
    const page = await open({ texts: true });
    const list = page.getByRole('list', { name: 'Received messages' });
    const link = list.getByRole('listitem').filter({ hasText: 'example.com' });
    // Electron blocks links in the window: the host opens it, by the message's id.
    assert.equal(await link.getByRole('link').count(), 0);
    await link.getByRole('button', { name: 'Open link from Anna’s MacBook Pro in your browser' }).click();
    assert.deepEqual(await waitForCall(page, 'openTextLink'), ['openTextLink', 'tx-link']);
    // Only a message that is a link offers to open one.
    assert.equal(await list.getByRole('button', { name: /^Open link/ }).count(), 1);

    await press(list.getByRole('button', { name: 'Dismiss the message from Office PC' }));
    assert.deepEqual(await waitForCall(page, 'dismissText'), ['dismissText', 'tx2']);
    await list.getByRole('listitem').filter({ hasText: 'Meeting moved' }).waitFor({ state: 'detached' });
    await expectFocus(page, list.getByRole('button', { name: 'Dismiss the message from Anna’s MacBook Pro' }));
    await page.keyboard.press('Enter');
    await list.getByRole('listitem').filter({ hasText: 'example.com' }).waitFor({ state: 'detached' });
    await expectFocus(page, list.getByRole('button', { name: 'Dismiss the message from Sam’s Pixel' }));
    // The last one takes the panel along; focus goes to the queue next to it.
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Messages' }).waitFor({ state: 'detached' });
    await expectFocus(page, page.getByRole('heading', { level: 2, name: 'Transfers' }));
    assert.deepEqual(
      (await calls(page, 'dismissText')).map((c) => c[1]),
      ['tx2', 'tx-link', 'tx-long'],
    );
    await closeChecked(page);
  });

  test('in a browser a link is a plain link to a new tab, without opener or referrer', async () => {
    const page = await open({ texts: true, native: false });
    const item = page.getByRole('list', { name: 'Received messages' }).getByRole('listitem').filter({ hasText: 'example.com' });
    const link = item.getByRole('link', { name: 'Open link from Anna’s MacBook Pro in a new tab' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/docs/ferry?ref=lan');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.deepEqual(((await link.getAttribute('rel')) ?? '').split(/\s+/).sort(), ['noopener', 'noreferrer']);
    assert.equal(await item.getByRole('button', { name: /^Open link/ }).count(), 0);
    // A "link" that is not http(s) is never one.
    await page.evaluate(() =>
      (globalThis as unknown as TextGlobals).__receiveText({ id: 'evil', text: 'javascript:alert(1)', link: 'javascript:alert(1)' }),
    );
    const evil = page.getByRole('list', { name: 'Received messages' }).getByRole('listitem').filter({ hasText: 'javascript:' });
    await evil.waitFor();
    assert.equal(await evil.getByRole('link').count(), 0);
    assert.equal(await evil.getByRole('button', { name: /^Open link/ }).count(), 0);
    await closeChecked(page);
  });

  test('a text offer: who and how long, no file list, and the answers (and rules) of any offer', async () => {
    const page = await open({ textOffer: true });
    const dialog = page.getByRole('dialog', { name: 'Office PC wants to send you a message (42 characters)' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Check that the sender sees the same code:\s*482 915/);
    assert.match(text, /A text message of 42 characters\./);
    assert.doesNotMatch(text, /\bfiles?\b|\d+ B\b/);
    assert.equal(await dialog.getByRole('list').count(), 0);
    // Nothing to choose: no boxes, no folder.
    assert.equal(await dialog.getByRole('checkbox').count(), 0);
    assert.doesNotMatch(text, /Save to|Select all/);
    await expectFocus(page, dialog.getByRole('button', { name: 'Decline', exact: true }));
    for (const name of ['Accept', 'Decline', 'Always accept from this device'])
      assert.equal(await dialog.getByRole('button', { name, exact: true }).count(), 1, name);
    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), ['answerOffer', 'o-text', 'accept', null]);
    await dialog.waitFor({ state: 'detached' });
    await closeChecked(page);

    // From a LocalSend app that proves nothing: warned, and never "always".
    const unverified = await open({});
    await unverified.evaluate(() =>
      (globalThis as unknown as TextGlobals).__setState({
        offers: [
          {
            id: 'o-ls-text',
            from: {
              id: 'unverified:1',
              name: 'Kitchen tablet',
              platform: 'android',
              address: '192.168.1.71',
              verificationCode: '',
              trusted: false,
              identityChangedFrom: null,
              protocol: 'localsend',
              verified: false,
            },
            fileCount: 0,
            dirCount: 0,
            totalBytes: 5,
            entries: [],
            text: { chars: 1 },
            receivedAt: Date.now(),
          },
        ],
      }),
    );
    const ls = unverified.getByRole('dialog', { name: 'Kitchen tablet wants to send you a message (1 character)' });
    await ls.getByText('Accept only if you expect a message from Kitchen tablet.', { exact: false }).waitFor();
    assert.equal(await ls.getByRole('button', { name: 'Always accept from this device' }).count(), 0);
    await closeChecked(unverified);
  });

  test('text transfers: "Message" and its first words on one line; no files, sizes or folders; Cancel and Send again', async () => {
    const page = await open({ texts: true });
    await nav(page, 'Transfers');
    const waiting = page.locator('li.transfer').filter({ hasText: 'Here are the slides' });
    const text = await waiting.innerText();
    assert.match(text, /Message\s*To Office PC/);
    assert.match(text, /Here are the slides for tomorrow: the link is in the calendar invite\./);
    assert.match(text, /Waiting for acceptance/);
    assert.match(text, /Verification code 482 915/);
    assert.doesNotMatch(text, /\bfiles?\b|\d B\b|%/);
    assert.equal(await waiting.getByRole('progressbar').count(), 0);
    assert.equal(await waiting.getByRole('button', { name: /^Files/ }).count(), 0);
    const snippet = waiting.locator('.transfer-snippet');
    assert.deepEqual(
      await snippet.evaluate((el) => {
        const s = (
          globalThis as unknown as { getComputedStyle(e: unknown): { whiteSpace: string; textOverflow: string } }
        ).getComputedStyle(el);
        return [s.whiteSpace, s.textOverflow];
      }),
      ['nowrap', 'ellipsis'],
    );
    await waiting.getByRole('button', { name: 'Cancel the transfer to Office PC' }).click();
    assert.deepEqual(await waitForCall(page, 'cancelTransfer'), ['cancelTransfer', 'tx1']);

    // Received: nothing to open or show in a folder.
    const received = page.locator('li.transfer').filter({ hasText: 'Meeting moved' });
    assert.match(await received.innerText(), /Message\s*From Office PC/);
    assert.doesNotMatch(await received.innerText(), /Saved in|Open folder|Files/);
    // Failed: sent again whole, and says so.
    const failed = page.locator('li.transfer').filter({ hasText: 'Dinner at 8?' });
    const again = failed.getByRole('button', { name: /^Send again/ });
    assert.equal(await again.getAttribute('title'), 'Sends the message to Anna’s MacBook Pro again');
    await again.click();
    assert.deepEqual(await waitForCall(page, 'retryTransfer'), ['retryTransfer', 'tx3']);

    // History: the message's words where files have counts and sizes; older entries unchanged.
    await nav(page, 'History');
    const history = page.getByRole('list', { name: 'Past transfers' });
    await history.waitFor();
    assert.equal(await history.getByRole('listitem').count(), 5);
    const entry = history.getByRole('listitem').filter({ hasText: 'PC LOAD LETTER' });
    const line = await entry.innerText();
    assert.match(line, /Message\s*To Office PC\s*Can you check the printer\? It says PC LOAD LETTER\./);
    assert.doesNotMatch(line, /\bfiles?\b|took/);
    assert.match(await history.getByRole('listitem').filter({ hasText: 'From Kitchen laptop' }).innerText(), /120 files · 5\.3 GB/);
    await closeChecked(page);
  });

  test('a message while the tab is hidden: a notification and a count in the title; in view, a toast only', async () => {
    const page = await open({ native: false });
    // The page's Notification, as a browser that was granted it would have it; hidden at will.
    // Source text, not a function: the page must not get tsx's helpers (__name) with it.
    await page.evaluate(`(() => {
      window.__notes = [];
      let hidden = true;
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      window.__show = (shown) => {
        hidden = !shown;
        document.dispatchEvent(new Event('visibilitychange'));
      };
      window.Notification = function (title, options = {}) {
        window.__notes.push({ title, body: options.body, tag: options.tag });
        this.close = () => {};
      };
      window.Notification.permission = 'granted';
    })()`);
    const notes = (): Promise<TextGlobals['__notes']> => page.evaluate(() => (globalThis as unknown as TextGlobals).__notes);
    const title = (): Promise<string> => page.title();
    await page.evaluate(() =>
      (globalThis as unknown as TextGlobals).__receiveText({ id: 'n1', text: 'Are you there?\nCall me back.', at: Date.now() }),
    );
    await page.waitForFunction(() => (globalThis as unknown as TextGlobals).__notes.length === 1);
    assert.deepEqual(await notes(), [{ title: 'Message from Office PC', body: 'Are you there? Call me back.', tag: 'text-n1' }]);
    await page.waitForFunction(() => (globalThis as unknown as TextGlobals).document.title === '(1) New message · Ferry');
    await page.evaluate(() => (globalThis as unknown as TextGlobals).__receiveText({ id: 'n2', text: 'Hello?' }));
    await page.waitForFunction(() => (globalThis as unknown as TextGlobals).document.title === '(2) New messages · Ferry');
    // The message is in the list, and was said in a toast too.
    await page.getByRole('list', { name: 'Received messages' }).getByText('Are you there?', { exact: false }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Office PC sent you a message' }).first().waitFor();
    // Seen: the count goes; in view, no notification.
    await page.evaluate(() => (globalThis as unknown as { __show(h: boolean): void }).__show(true));
    await page.waitForFunction(() => (globalThis as unknown as TextGlobals).document.title === 'Ferry');
    await page.evaluate(() => (globalThis as unknown as TextGlobals).__receiveText({ id: 'n3', text: 'Seen this one' }));
    await page.getByRole('list', { name: 'Received messages' }).getByText('Seen this one').waitFor();
    assert.equal((await notes()).length, 2);
    assert.equal(await title(), 'Ferry');
    // Notifications off in Settings: hidden or not, none.
    await page.evaluate(async () => {
      const g = globalThis as unknown as TextGlobals;
      const { settings } = await g.ferry.getState();
      g.__setState({ settings: { ...settings, notifications: false } });
      (g as unknown as { __show(h: boolean): void }).__show(false);
    });
    await page.waitForTimeout(100);
    await page.evaluate(() => (globalThis as unknown as TextGlobals).__receiveText({ id: 'n4', text: 'Quietly' }));
    await page.waitForFunction(() => (globalThis as unknown as TextGlobals).document.title === '(1) New message · Ferry');
    assert.equal((await notes()).length, 2);
    await closeChecked(page);
  });

  // ---- Issue 14: part of an offer and its folder, skipped files, desktop settings, several devices, this device's address ----

  /** What these tests reach in the page, typed just enough. */
  interface PageGlobals {
    __calls: Call[];
    __setState(patch: unknown): void;
    ferry: { getState(): Promise<{ device: object }> };
    navigator: { clipboard: { readText(): Promise<string> } };
  }

  async function callCount(page: Page, name: string, n: number): Promise<void> {
    await page.waitForFunction(
      ({ name, n }) => (globalThis as unknown as PageGlobals).__calls.filter((c) => c[0] === name).length >= n,
      { name, n },
      { timeout: 5_000 },
    );
  }

  test('an offer’s files can be left out: a file and a folder unticked, the totals follow, the answer names the rest', async () => {
    const page = await open({ choiceOffer: true });
    const dialog = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await dialog.waitFor();
    const box = (name: string): Locator => dialog.getByRole('checkbox', { name, exact: true });
    const summary = dialog.locator('.offer-summary-text');
    assert.match(await summary.innerText(), /^7 files in 3 folders · 29\.3 MB$/);
    // Every entry listed has its box, all ticked to start with.
    assert.equal(await dialog.getByRole('checkbox').count(), 10);
    assert.equal(await dialog.getByRole('checkbox', { checked: false }).count(), 0);

    // The only file of a subfolder: the subfolder goes with it, its parent is partly ticked.
    await box('Holiday 2024/Raw/IMG_0001.cr3').uncheck();
    assert.equal(await box('Holiday 2024/Raw (folder)').isChecked(), false);
    assert.equal(await box('Holiday 2024 (folder)').evaluate((el) => (el as unknown as { indeterminate: boolean }).indeterminate), true);
    // A folder: everything in it.
    await box('Scans (folder)').uncheck();
    assert.equal(await box('Scans/passport.pdf').isChecked(), false);
    assert.equal(await box('Scans/lease.pdf').isChecked(), false);
    assert.match(await summary.innerText(), /^4 of 7 files · 7\.3 MB of 29\.3 MB$/);
    assert.equal(await summary.getAttribute('aria-live'), 'polite');

    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), [
      'answerOffer',
      'o-choice',
      'accept',
      { paths: ['Holiday 2024/IMG_0001.jpg', 'Holiday 2024/IMG_0002.jpg', 'budget.xlsx', 'notes.txt'], folder: null },
    ]);
    await dialog.waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('Select none cannot be accepted; a folder ticked whole goes by its own path; Select all answers with no choice', async () => {
    const page = await open({ choiceOffer: true });
    const dialog = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    const box = (name: string): Locator => dialog.getByRole('checkbox', { name, exact: true });
    const accept = dialog.getByRole('button', { name: 'Accept', exact: true });
    const always = dialog.getByRole('button', { name: 'Always accept from this device', exact: true });
    await dialog.getByRole('button', { name: 'Select none' }).click();
    assert.equal(await dialog.getByRole('checkbox', { checked: true }).count(), 0);
    assert.match(await dialog.innerText(), /Nothing ticked[\s\S]*Nothing is ticked: tick what you want to receive, or decline\./);
    assert.equal(await accept.isDisabled(), true);
    assert.equal(await always.isDisabled(), true);
    // Declining stays possible.
    assert.equal(await dialog.getByRole('button', { name: 'Decline', exact: true }).isDisabled(), false);

    await box('Holiday 2024 (folder)').check();
    for (const name of [
      'Holiday 2024/IMG_0001.jpg',
      'Holiday 2024/IMG_0002.jpg',
      'Holiday 2024/Raw (folder)',
      'Holiday 2024/Raw/IMG_0001.cr3',
    ])
      assert.equal(await box(name).isChecked(), true, name);
    await box('notes.txt').check();
    assert.match(await dialog.locator('.offer-summary-text').innerText(), /^4 of 7 files · 27\.0 MB of 29\.3 MB$/);
    assert.equal(await accept.isDisabled(), false);
    await always.click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), [
      'answerOffer',
      'o-choice',
      'always',
      { paths: ['Holiday 2024', 'notes.txt'], folder: null },
    ]);
    await closeChecked(page);

    const again = await open({ choiceOffer: true });
    const second = again.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await second.getByRole('button', { name: 'Select none' }).click();
    await second.getByRole('button', { name: 'Select all' }).click();
    await second.getByRole('button', { name: 'Accept', exact: true }).click();
    assert.deepEqual(await waitForCall(again, 'answerOffer'), ['answerOffer', 'o-choice', 'accept', null]);
    await closeChecked(again);
  });

  test('another folder for one offer: the desktop app’s folder picker, and back to the download folder', async () => {
    const page = await open({ choiceOffer: true });
    const dialog = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Save to\s*\/home\/sam\/Downloads/);
    const change = dialog.getByRole('button', { name: 'Change…' });
    await change.click();
    await waitForCall(page, 'pickFolder');
    await dialog.getByText('/home/sam/Incoming').waitFor();
    await dialog.getByRole('button', { name: 'Use the download folder' }).click();
    await dialog.getByText('/home/sam/Downloads').waitFor();
    await change.click();
    await dialog.getByText('/home/sam/Incoming').waitFor();
    // All of it, elsewhere: the paths say all, the folder is named.
    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    assert.deepEqual(await waitForCall(page, 'answerOffer'), [
      'answerOffer',
      'o-choice',
      'accept',
      { paths: null, folder: '/home/sam/Incoming' },
    ]);
    assert.equal(await dialog.getByRole('textbox').count(), 0, 'the desktop app picks, it does not ask for a path');
    await closeChecked(page);
  });

  test('in a browser the folder is typed: a relative path is refused here, the engine’s refusal is shown, then it goes', async () => {
    const page = await open({ choiceOffer: true, native: false });
    const dialog = page.getByRole('dialog', { name: 'Office PC wants to send you files' });
    await dialog.getByRole('button', { name: 'Change…' }).click();
    const field = dialog.getByRole('textbox', { name: 'Save to' });
    await expectFocus(page, field);
    assert.equal(await field.inputValue(), '/home/sam/Downloads');
    const accept = dialog.getByRole('button', { name: 'Accept', exact: true });
    await field.fill('Pictures/Holiday');
    await accept.click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: 'Type the whole path of a folder, from the top: like /home/sam/Pictures.' })
      .waitFor();
    await expectFocus(page, field);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal((await calls(page, 'answerOffer')).length, 0, 'not sent');

    await field.fill('/root/forbidden');
    await accept.click();
    await dialog.getByRole('alert').filter({ hasText: 'cannot make the folder /root/forbidden: permission denied' }).waitFor();
    await field.fill('/srv/photos');
    await dialog.getByRole('checkbox', { name: 'budget.xlsx', exact: true }).uncheck();
    await accept.click();
    await callCount(page, 'answerOffer', 2);
    assert.deepEqual((await calls(page, 'answerOffer')).at(-1), [
      'answerOffer',
      'o-choice',
      'accept',
      { paths: ['Holiday 2024', 'Scans', 'notes.txt'], folder: '/srv/photos' },
    ]);
    assert.equal((await calls(page, 'pickFolder')).length, 0);
    await dialog.waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('an offer that lists only its first entries: its top-level entries can be chosen, and it says so', async () => {
    const page = await open({ bigOffer: true });
    const dialog = page.getByRole('dialog', { name: 'Anna’s MacBook Pro wants to send you files' });
    await dialog.waitFor();
    assert.match(
      await dialog.innerText(),
      /Only the first 200 items are listed, so you choose among the top-level files and folders shown/,
    );
    assert.match(await dialog.innerText(), /and 1,001 more items/);
    // The folder and the 49 loose files; what is in the folder is listed, without boxes.
    assert.equal(await dialog.getByRole('checkbox').count(), 50);
    assert.equal(await dialog.getByRole('checkbox', { name: 'Camera roll/IMG_0001.jpg' }).count(), 0);
    await dialog.getByText('Camera roll/IMG_0150.jpg').waitFor({ state: 'attached' });
    await dialog.getByRole('checkbox', { name: 'clip-01.mp4', exact: true }).uncheck();
    assert.match(await dialog.locator('.offer-summary-text').innerText(), /^At least 198 of 1,200 files · at least 780 MB of 5\.4 GB$/);
    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    const [, id, answer, choice] = await waitForCall(page, 'answerOffer');
    assert.equal(id, 'o-big');
    assert.equal(answer, 'accept');
    const clips = Array.from({ length: 48 }, (_, i) => `clip-${String(i + 2).padStart(2, '0')}.mp4`);
    assert.deepEqual(choice, { paths: ['Camera roll', ...clips], folder: null });
    await closeChecked(page);
  });

  test('files the receiver left out show as skipped, not failed; the finished row counts them', async () => {
    const page = await open({ skipped: true });
    await nav(page, 'Transfers');
    const row = page.locator('li.transfer').filter({ hasText: 'Holiday 2024 (5 files)' });
    const details = await row.locator('.transfer-details').innerText();
    assert.match(details, /2 skipped/);
    assert.equal(await row.locator('.pill').innerText(), 'Done');
    assert.equal(await row.locator('.transfer-reason').count(), 0, 'no failure reason');
    await row.getByRole('button', { name: 'Files of the transfer from Office PC' }).click();
    const files = row.getByRole('list', { name: 'Files received from Office PC' });
    await files.waitFor();
    const text = await files.innerText();
    assert.equal(text.match(/Skipped \(not wanted\)/g)?.length, 2);
    assert.doesNotMatch(text, /Failed/);
    assert.match(text, /Raw\/\s*IMG_0001\.cr3\s*20\.0 MB · Skipped \(not wanted\)/);
    // Skipped files have nothing to open.
    assert.equal(await files.getByRole('button', { name: /IMG_0001\.cr3$/ }).count(), 0);
    await closeChecked(page);
  });

  test('what a send left out is said on its row, in the window’s language; a send that left nothing out says nothing', async () => {
    const page = await open({ leftOut: true });
    await nav(page, 'Transfers');
    const one = page.locator('li.transfer').filter({ hasText: 'Projects (4 files)' });
    assert.equal(await one.locator('.transfer-left-out').innerText(), 'Not sent: Projects/node_modules (a link to a folder)');
    const more = page.locator('li.transfer').filter({ hasText: 'Scans (2 files)' });
    assert.equal(await more.locator('.transfer-left-out').innerText(), 'Not sent: Scans/printer.sock (not a file or folder) and 2 more');
    assert.equal(await more.locator('.pill').innerText(), 'Done');
    assert.equal(await page.locator('li.transfer').filter({ hasText: 'report.pdf' }).first().locator('.transfer-left-out').count(), 0);
    await closeChecked(page);
  });

  test('the desktop app’s settings: start at login and the tray, each switch saved on its own', async () => {
    const page = await open({ desktop: true });
    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Desktop', exact: true }).waitFor();
    const login = page.getByRole('switch', { name: 'Start Ferry when I log in' });
    const tray = page.getByRole('switch', { name: 'Keep receiving when the window is closed (in the tray)' });
    assert.equal(await login.isChecked(), false);
    assert.equal(await tray.isChecked(), true);
    await login.click();
    assert.deepEqual(await waitForCall(page, 'updateSettings'), ['updateSettings', { desktop: { startAtLogin: true } }]);
    await page.waitForFunction(() => {
      const el = (globalThis as unknown as { document: { querySelector(s: string): { checked: boolean } | null } }).document;
      return el.querySelector('#settings-desktop + .card input[role="switch"]')?.checked === true;
    });
    await tray.click();
    await callCount(page, 'updateSettings', 2);
    assert.deepEqual((await calls(page, 'updateSettings')).at(-1), ['updateSettings', { desktop: { closeToTray: false } }]);
    await page.getByText('Closing the window quits Ferry: nothing is received until you open it again.').waitFor();
    assert.equal(await login.isChecked(), true, 'the other switch keeps its value');
    await closeChecked(page);

    // Not the desktop app (SettingsView.desktop null): no such section.
    const served = await open({ native: false });
    await nav(served, 'Settings');
    await served.getByRole('heading', { name: 'Receiving' }).waitFor();
    assert.equal(await served.getByRole('heading', { name: 'Desktop', exact: true }).count(), 0);
    assert.equal(await served.getByRole('switch', { name: /log in|tray/ }).count(), 0);
    await closeChecked(served);
  });

  test('several devices: picked files go to each selected one (sendPaths per device), a row each; a drop on a selected card too', async () => {
    const page = await open({ sendRows: true });
    const office = page.getByRole('group', { name: 'Office PC', exact: true });
    const mac = page.getByRole('group', { name: 'Anna’s MacBook Pro' });
    await office.getByRole('checkbox', { name: 'Select Office PC' }).check();
    // Ctrl+click on a card (not on its controls) selects it too.
    await mac.getByRole('heading', { name: 'Anna’s MacBook Pro' }).click({ modifiers: ['Control'] });
    assert.equal(await mac.getByRole('checkbox', { name: 'Select Anna’s MacBook Pro' }).isChecked(), true);
    const bar = page.getByRole('group', { name: 'Selected devices' });
    assert.match(await bar.innerText(), /2 devices selected\s*Anna’s MacBook Pro and Office PC/);

    const chooser = page.waitForEvent('filechooser');
    await bar.getByRole('button', { name: 'Send files… to the 2 selected devices' }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF') },
      { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('jpeg') },
    ]);
    await callCount(page, 'sendPaths', 2);
    const byPeer = (list: Call[]): Call[] => [...list].sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    assert.deepEqual(byPeer(await calls(page, 'sendPaths')), [
      ['sendPaths', 'p-mac', ['/home/sam/Desktop/report.pdf', '/home/sam/Desktop/photo.jpg']],
      ['sendPaths', 'p-win', ['/home/sam/Desktop/report.pdf', '/home/sam/Desktop/photo.jpg']],
    ]);
    // A row of its own for each device.
    const rows = page.locator('li.transfer').filter({ hasText: 'report.pdf and 1 more' });
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } })
        .document;
      return Array.from(doc.querySelectorAll('li.transfer')).filter((li) => li.textContent?.includes('report.pdf and 1 more')).length === 2;
    });
    assert.deepEqual((await rows.locator('.transfer-peer').allInnerTexts()).sort(), ['To Anna’s MacBook Pro', 'To Office PC']);

    // Files dragged over a selected card are for the whole selection; dropped, they go to each.
    await drop(office, ['notes.txt'], { release: false });
    assert.equal(await office.locator('.drop-hint').innerText(), 'Drop to send to the 2 selected devices');
    await drop(office, ['notes.txt']);
    await callCount(page, 'sendDropped', 4);
    assert.deepEqual(byPeer((await calls(page, 'sendDropped')).slice(2)), [
      ['sendDropped', 'p-mac', ['notes.txt']],
      ['sendDropped', 'p-win', ['notes.txt']],
    ]);
    // A card outside the selection takes its drop for itself alone.
    await drop(page.getByRole('group', { name: 'nas.local:33779' }), ['solo.txt']);
    await callCount(page, 'sendDropped', 5);
    assert.deepEqual((await calls(page, 'sendDropped')).at(-1), ['sendDropped', 'manual:nas.local:33779', ['solo.txt']]);

    // Clear: the bar goes, focus to the first selected card's box.
    await bar.getByRole('button', { name: 'Clear the selection' }).click();
    await bar.waitFor({ state: 'detached' });
    await expectFocus(page, office.getByRole('checkbox', { name: 'Select Office PC' }));
    assert.equal(await page.getByRole('checkbox', { name: /^Select /, checked: true }).count(), 0);
    await closeChecked(page);
  });

  test('several devices in a browser: uploaded once per device; Escape lets the selection go', async () => {
    const page = await open({ native: false, sendRows: true });
    await page.getByRole('checkbox', { name: 'Select Office PC' }).check();
    await page.getByRole('checkbox', { name: 'Select nas.local:33779' }).check();
    const bar = page.getByRole('group', { name: 'Selected devices' });
    const chooser = page.waitForEvent('filechooser');
    await bar.getByRole('button', { name: /^Send files…/ }).click();
    await (await chooser).setFiles([{ name: 'slides.key', mimeType: 'application/octet-stream', buffer: Buffer.from('key') }]);
    await callCount(page, 'sendDropped', 2);
    assert.deepEqual(
      (await calls(page, 'sendDropped')).map((c) => c.slice(1)).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['manual:nas.local:33779', ['slides.key']],
        ['p-win', ['slides.key']],
      ],
    );
    assert.equal((await calls(page, 'sendPaths')).length, 0);
    await page.getByRole('checkbox', { name: 'Select Office PC' }).focus();
    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
    await closeChecked(page);
  });

  test('a message to several devices: one sendText each, from the selection bar', async () => {
    const page = await open();
    await page.getByRole('checkbox', { name: 'Select Office PC' }).check();
    await page.getByRole('checkbox', { name: 'Select Anna’s MacBook Pro' }).check();
    const opener = page
      .getByRole('group', { name: 'Selected devices' })
      .getByRole('button', { name: 'Send text… to the 2 selected devices' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Send a message to 2 devices' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Each gets it as a message of its own: Anna’s MacBook Pro and Office PC\./);
    assert.equal(await dialog.getByRole('radio').count(), 0, 'no device picker');
    const field = dialog.getByRole('textbox', { name: 'Message' });
    await expectFocus(page, field);
    await field.fill('Lunch at 1?');
    await field.press('Control+Enter');
    await callCount(page, 'sendText', 2);
    assert.deepEqual((await calls(page, 'sendText')).map((c) => c.slice(1)).sort(), [
      ['p-mac', 'Lunch at 1?'],
      ['p-win', 'Lunch at 1?'],
    ]);
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Message on its way to Anna’s MacBook Pro and Office PC' }).waitFor();
    // Back to the button that opened it; the selection stays.
    await expectFocus(page, opener);
    await closeChecked(page);
  });

  test('Show my address: every address as text, the chosen one as a QR code with a name, and Copy', async () => {
    const page = await open({ localsend: true });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    const opener = page.getByRole('button', { name: 'Show my address' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'This device’s address' });
    await dialog.waitFor();
    const radios = dialog.getByRole('radio');
    assert.deepEqual(await radios.evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value)), [
      '192.168.1.23:33779',
      '10.8.0.4:33779',
      'localsend://192.168.1.23:53317',
      'localsend://10.8.0.4:53317',
    ]);
    assert.equal(await dialog.getByRole('radio', { name: /^192\.168\.1\.23:33779/ }).isChecked(), true);
    const qr = dialog.getByRole('img', { name: 'QR code of 192.168.1.23:33779' });
    await qr.waitFor();
    assert.match(await dialog.locator('.address-text').innerText(), /^192\.168\.1\.23:33779$/);
    // The drawing is the encoder's: the same modules as uqr makes for the text.
    const { encode } = await import('uqr');
    const expected = (value: string): string => {
      const parts: string[] = [];
      encode(value, { ecc: 'M', border: 0 }).data.forEach((row, y) => {
        for (let x = 0; x < row.length;) {
          if (!row[x]) {
            x++;
            continue;
          }
          let run = 1;
          while (row[x + run]) run++;
          parts.push(`M${x + 4} ${y + 4}h${run}v1h-${run}z`);
          x += run;
        }
      });
      return parts.join('');
    };
    assert.equal(await qr.locator('path').getAttribute('d'), expected('192.168.1.23:33779'));

    await dialog.getByRole('radio', { name: /^localsend:\/\/10\.8\.0\.4:53317/ }).check();
    const lsQr = dialog.getByRole('img', { name: 'QR code of localsend://10.8.0.4:53317' });
    await lsQr.waitFor();
    assert.equal(await lsQr.locator('path').getAttribute('d'), expected('localsend://10.8.0.4:53317'));
    assert.match(await dialog.innerText(), /a LocalSend app asks for the address and the port/);
    await dialog.getByRole('button', { name: 'Copy localsend://10.8.0.4:53317' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Copied to the clipboard' }).waitFor();
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText()),
      'localsend://10.8.0.4:53317',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, opener);

    // No network: nothing to show, and why.
    await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      const { device } = await g.ferry.getState();
      g.__setState({ device: { ...device, addresses: [] } });
    });
    await page.getByRole('banner').getByText('No network', { exact: false }).waitFor();
    await opener.click();
    await dialog.getByText('This device is on no network', { exact: false }).waitFor();
    assert.equal(await dialog.getByRole('img').count(), 0);
    await closeChecked(page);
  });

  test('no script errors and no Content-Security-Policy violations on any page', () => {
    assert.deepEqual(problems, []);
  });
});
