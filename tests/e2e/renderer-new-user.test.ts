// What a new user met that did not hold (issue 12), in the built renderer with the fake bridge:
// the code on the sender's waiting row, rows that say what was sent, Retry only where it helps,
// partial files to discard, settings fixed by the command line, a download folder created only
// with consent, trusting a device from its card, a lost daemon shown at once, uploads shown
// from the first moment, and the count of waiting offers in the tab's title.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { calls, rendererHarness, skip, waitForCall } from '../fixtures/renderer-page.js';

async function view(page: Page, name: 'Devices' | 'Transfers' | 'History' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
}

async function emit(page: Page, event: unknown): Promise<void> {
  await page.evaluate((e) => (globalThis as unknown as { __emit(e: unknown): void }).__emit(e), event);
}

describe('what a new user meets', { skip }, () => {
  const h = rendererHarness();

  test('the sender’s waiting row shows the verification code, and rows say what was sent and to whom', async () => {
    const page = await h.open();
    await view(page, 'Transfers');
    const waiting = page.locator('li.transfer').filter({ hasText: 'budget.xlsx and 2 more' });
    assert.equal(await waiting.locator('.transfer-peer').textContent(), 'To Office PC');
    await waiting.getByText('482 915').waitFor();
    assert.match((await waiting.locator('.transfer-code').textContent()) ?? '', /check that Office PC shows the same code/);
    // A finished row does not show a code; the folder title counts files.
    assert.equal(await page.locator('.transfer-code').count(), 1);
    await h.closeChecked(page);
  });

  test('Retry says what it does; a stopped receive offers to discard its partial files', async () => {
    const page = await h.open();
    await view(page, 'Transfers');
    const retry = page.getByRole('button', { name: /^Retry/ });
    assert.match((await retry.getAttribute('title')) ?? '', /sends what Anna’s MacBook Pro does not have yet/);
    const discard = page.getByRole('button', { name: /Discard partial files \(1\.0 MB\)/ });
    await discard.click();
    assert.deepEqual(await waitForCall(page, 'discardPartials'), ['discardPartials', 't5']);
    await discard.waitFor({ state: 'detached' });
    // The cancelled receive's reason is from this side.
    await page.getByText('Kitchen laptop cancelled the transfer').waitFor();
    await h.closeChecked(page);
  });

  test('settings fixed by the command line are shown as such and cannot be changed', async () => {
    const page = await h.open({ native: false, fixed: ['downloadDir', 'port', 'acceptPolicy', 'announce'] });
    await view(page, 'Settings');
    const folder = page.getByRole('textbox', { name: 'Download folder' });
    assert.equal(await folder.getAttribute('readonly'), '');
    await page.getByText('Set by --dir when this Ferry was started', { exact: false }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'When someone sends files' }).isDisabled(), true);
    assert.equal(await page.getByRole('switch', { name: 'Visible to others' }).isDisabled(), true);
    assert.equal(await page.getByRole('textbox', { name: 'Port' }).getAttribute('readonly'), '');
    assert.equal(await folder.isEditable(), false);
    await folder.focus();
    await page.keyboard.type('/elsewhere');
    await folder.press('Enter');
    assert.equal(await folder.inputValue(), '/home/sam/Downloads');
    assert.deepEqual(await calls(page, 'updateSettings'), [], 'nothing is "saved" that would not apply');
    await h.closeChecked(page);
  });

  test('a download folder that does not exist is created only when the person says so', async () => {
    const page = await h.open({ native: false });
    await view(page, 'Settings');
    const folder = page.getByRole('textbox', { name: 'Download folder' });
    await folder.fill('/home/sam/New folder');
    await folder.press('Enter');
    await page.getByText('That folder does not exist yet.').waitFor();
    assert.deepEqual(await calls(page, 'createDownloadDir'), []);
    await page.getByRole('group', { name: 'Create the download folder' }).getByRole('button', { name: 'Create folder' }).click();
    assert.deepEqual(await waitForCall(page, 'createDownloadDir'), ['createDownloadDir', '/home/sam/New folder']);
    await h.closeChecked(page);
  });

  test('partial files: Settings says how much space they hold and discards them all', async () => {
    const page = await h.open();
    await view(page, 'Settings');
    await page.getByText('2 partial files, 411 MB', { exact: false }).waitFor();
    await page.getByRole('button', { name: /^Discard/ }).click();
    assert.deepEqual(await waitForCall(page, 'discardPartials'), ['discardPartials', null]);
    await page.getByText('None: nothing is waiting to be resumed.').waitFor();
    await h.closeChecked(page);
  });

  test('a device is trusted from its card after comparing the code, and forgotten again', async () => {
    const page = await h.open();
    const card = page.getByRole('group', { name: 'Office PC' });
    await card.getByRole('button', { name: /^Trust…/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Trust Office PC?' });
    await dialog.getByText('482 915').waitFor();
    await dialog.getByRole('button', { name: 'The codes match: trust' }).click();
    assert.deepEqual(await waitForCall(page, 'trustDevice'), ['trustDevice', 'p-win']);
    await dialog.waitFor({ state: 'detached' });
    const forget = card.getByRole('button', { name: /^Forget/ });
    await forget.click();
    assert.deepEqual(await waitForCall(page, 'untrustDevice'), ['untrustDevice', 'p-win']);
    await card.getByRole('button', { name: /^Trust…/ }).waitFor();
    await h.closeChecked(page);
  });

  test('a lost daemon shows at once (no device online) and the page recovers when it returns', async () => {
    const page = await h.open({ native: false });
    await emit(page, { type: 'connection', connected: false });
    await page.getByRole('alert').filter({ hasText: 'Lost the connection to Ferry' }).waitFor();
    await page.getByText('Reconnecting…').waitFor();
    assert.match((await page.locator('.peers-panel .panel-sub').textContent()) ?? '', /^0 online/);
    await emit(page, { type: 'connection', connected: true });
    await page.getByRole('alert').filter({ hasText: 'Lost the connection to Ferry' }).waitFor({ state: 'detached' });
    await h.closeChecked(page);
  });

  test('files on their way to ferry serve are listed at once with their progress, and can be cancelled', async () => {
    const page = await h.open({ native: false });
    await emit(page, {
      type: 'uploads',
      uploads: [
        {
          id: 'up1',
          peerKey: 'p-win',
          peerName: 'Office PC',
          label: { first: 'film.mkv', firstIsDir: false, count: 1 },
          fileCount: 1,
          dirCount: 0,
          totalBytes: 1_500_000_000,
          sentBytes: 510_000_000,
          startedAt: Date.now(),
        },
      ],
    });
    const row = page.locator('li.transfer').filter({ hasText: 'film.mkv' });
    await row.getByText('Preparing').waitFor();
    assert.equal(await row.getByRole('progressbar').getAttribute('aria-valuenow'), '34');
    await row.getByRole('button', { name: /^Cancel/ }).click();
    assert.deepEqual(await waitForCall(page, 'cancelUpload'), ['cancelUpload', 'up1']);
    await h.closeChecked(page);
  });

  test('the offer dialog keeps each file name whole: a long path gives way in its folders', async () => {
    const page = await h.open({ offers: true });
    const item = page.locator('.offer-files li').filter({ hasText: 'IMG_4201.jpg' });
    assert.equal(await item.locator('.middle-path-tail').textContent(), 'IMG_4201.jpg');
    assert.equal(await item.locator('.middle-path').getAttribute('title'), 'Holiday 2024/IMG_4201.jpg');
    await h.closeChecked(page);
  });

  test('the tab’s title counts the offers waiting for an answer', async () => {
    const page = await h.open({ offers: true });
    await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title.startsWith('(2)'));
    await h.closeChecked(page);
    const quiet = await h.open();
    assert.equal(await quiet.title(), 'Ferry');
    await h.closeChecked(quiet);
  });

  test('no script errors and no Content-Security-Policy violations', () => {
    assert.deepEqual(h.problems, []);
  });
});
