// The desktop app's own words (tray menu, notifications, native dialogs) in the language the
// setting names, or the system's when it says 'system'; a change of the setting makes the
// tray's menu again in the new language. With the stubbed electron module (fake-electron.ts).

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type * as Electron from 'electron';
import type { AppState, LanguageSetting, OfferView, TransferView } from '../../main/core/contract/index.js';
import { startDesktop } from '../../main/hosts/electron/desktop.js';
import { deviceLabel } from '../../main/hosts/electron/device-label.js';
import { DesktopLanguage, ENGLISH, systemLanguages } from '../../main/hosts/electron/language.js';
import { finishedText, Notifier, offerText } from '../../main/hosts/electron/notifications.js';
import { describePaths } from '../../main/hosts/electron/send-dialog.js';
import { FerryTray, TRAY_LABELS, trayLabels } from '../../main/hosts/electron/tray.js';
import { createI18n } from '../../main/i18n/index.js';
import { FakeMenu, FakeNotification, FakeTray, fakeElectron } from '../fixtures/fake-electron.js';
import { onCleanup, tempDir } from '../helpers.js';

const CHINESE = createI18n('zh-CN');
const ZH_TRAY = ['打开 Ferry', '发送剪贴板', '对其他设备可见', '退出 Ferry'];
const EN_TRAY = [TRAY_LABELS.open, TRAY_LABELS.send, TRAY_LABELS.visible, TRAY_LABELS.quit];

const trayState = (language: LanguageSetting): Pick<AppState, 'peers' | 'settings'> =>
  ({ peers: [], settings: { announce: true, fixed: [], language } }) as unknown as Pick<AppState, 'peers' | 'settings'>;

describe('the language of the desktop app', () => {
  test('the setting wins; "system" follows the system\'s preferred languages', () => {
    let system = ['zh-Hans-CN', 'en-US'];
    const language = new DesktopLanguage(() => system, 'system');
    assert.equal(language.language, 'zh-CN');
    assert.equal(language.follow('en'), true, 'changed');
    assert.equal(language.language, 'en');
    assert.equal(language.follow('en'), false, 'unchanged');
    system = ['fr-FR'];
    assert.equal(language.follow('system'), false, 'no French: English');
    assert.equal(language.follow('zh-CN'), true);
    assert.equal(language.language, 'zh-CN');
    assert.deepEqual(systemLanguages({ getPreferredSystemLanguages: () => ['zh-CN'] }), ['zh-CN']);
    assert.deepEqual(systemLanguages({ getPreferredSystemLanguages: () => [], getLocale: () => 'en-GB' }), ['en-GB']);
    assert.deepEqual(systemLanguages({}), []);
  });

  test('the tray menu speaks the language in force, and is made again when it changes (Linux)', async () => {
    const fake = fakeElectron();
    const language = new DesktopLanguage(() => ['en-US'], 'zh-CN');
    const tray = new FerryTray(
      {
        Tray: FakeTray as never,
        Menu: FakeMenu as never,
        nativeImage: fake.api.nativeImage,
        clipboard: fake.api.clipboard,
        platform: 'linux',
        ferry: { sendText: async () => ({ transferId: 't' }), updateSettings: async () => ({}) as never },
        openWindow: () => {},
        quit: () => {},
        report: () => {},
        i18n: () => language.i18n,
      },
      trayState('zh-CN'),
    );
    const icon = FakeTray.created.at(-1)!;
    await tray.install();
    assert.deepEqual(icon.contextMenu!.labels(), ZH_TRAY);
    assert.equal(icon.contextMenu!.item('没有在线的设备')?.enabled, false);

    language.follow('en');
    tray.update(trayState('en'));
    await tray.install();
    assert.deepEqual(icon.contextMenu!.labels(), EN_TRAY);
    // macOS and Windows make the menu when it opens: in the language of that moment.
    language.follow('zh-CN');
    assert.deepEqual(((await tray.menu()) as unknown as FakeMenu).labels(), ZH_TRAY);
    tray.destroy();
  });

  test('notifications and the send dialog in Chinese; English exactly as before', () => {
    const offer = {
      id: 'o',
      from: { id: 'p', name: 'Bob', platform: 'linux', address: '10.0.0.2', verificationCode: '123 456', trusted: false },
      fileCount: 3,
      dirCount: 1,
      totalBytes: 1234,
      entries: [],
      text: null,
      receivedAt: 0,
    } as unknown as OfferView;
    assert.deepEqual(offerText(offer, CHINESE), {
      title: 'Bob 想给你发送 3 个文件和 1 个文件夹',
      body: '1.2 kB，来自 10.0.0.2。打开 Ferry 以接受或拒绝。',
    });
    assert.equal(offerText(offer).title, 'Bob wants to send you 3 files and 1 folder');
    const failed = {
      direction: 'send',
      state: 'failed',
      peer: { id: 'p', name: 'Bob', address: '10.0.0.2' },
      fileCount: 2,
      totalBytes: 10,
      filesFailed: 0,
      text: null,
      error: { code: 'CONNECTION_LOST', message: 'connection lost (ECONNRESET)' },
    } as unknown as TransferView;
    assert.deepEqual(finishedText(failed, CHINESE), { title: '发送给 Bob 失败', body: CHINESE.t('errors.CONNECTION_LOST') });
    assert.deepEqual(finishedText(failed, ENGLISH), { title: 'Sending to Bob failed', body: 'connection lost (ECONNRESET)' });
    assert.equal(describePaths(['/a/holiday.jpg'], CHINESE), '“holiday.jpg”');
    assert.equal(deviceLabel({ name: '', protocol: 'localsend' }, false, CHINESE), '未命名设备（LocalSend）');
    assert.equal(deviceLabel({ name: '', protocol: 'localsend' }, false), 'Unnamed device (LocalSend)');
    assert.deepEqual(trayLabels(ENGLISH), TRAY_LABELS);
  });

  test('the notifier speaks the language of the moment it notifies', () => {
    FakeNotification.shown.length = 0;
    let i18n = CHINESE;
    const n = new Notifier({ Notification: FakeNotification as never, isAttended: () => false, showWindow: () => {}, i18n: () => i18n });
    const text = { id: 'x', peer: { id: 'p', name: 'Bob', address: '10.0.0.2' }, text: 'hi', receivedAt: 0 } as never;
    n.handle({ type: 'text', text });
    assert.equal(FakeNotification.shown.at(-1)?.options.title, '来自 Bob 的消息');
    i18n = ENGLISH;
    n.handle({ type: 'text', text });
    assert.equal(FakeNotification.shown.at(-1)?.options.title, 'Message from Bob');
  });
});

describe('the desktop app follows the language setting', () => {
  test("system language Chinese: the tray in Chinese; the setting 'en' makes it English at once", async () => {
    const configDir = await tempDir('ferry-desktop-lang-');
    const downloadDir = await tempDir('ferry-desktop-lang-dl-');
    const rendererDir = await tempDir('ferry-desktop-lang-ui-');
    await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Ferry</title>');
    const fake = fakeElectron();
    fake.app.preferredLanguages = ['zh-CN', 'en-US'];
    const desktop = startDesktop(fake.api, {
      configDir,
      rendererDir,
      preloadPath: '/nowhere/preload/index.js',
      ferry: { overrides: { port: 0, host: '127.0.0.1', downloadDir, localsend: false }, discovery: false, stateIntervalMs: 50 },
      log: () => {},
      platform: 'linux',
      argv: ['/opt/Ferry/ferry'],
      defaultApp: false,
      autostartDir: path.join(configDir, 'autostart'),
    });
    onCleanup(async () => {
      await desktop.ferry()?.stop();
    });
    fake.app.ready();
    assert.equal(await desktop.started, true);
    const icon = FakeTray.created.at(-1)!;
    const menu = async (labels: string[]): Promise<FakeMenu> => {
      const end = Date.now() + 10_000;
      for (;;) {
        await desktop.tray()!.install();
        if (JSON.stringify(icon.contextMenu?.labels()) === JSON.stringify(labels)) return icon.contextMenu!;
        if (Date.now() > end) throw new Error(`tray menu ${JSON.stringify(icon.contextMenu?.labels())}, not ${JSON.stringify(labels)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await menu(ZH_TRAY);
    await desktop.ferry()!.updateSettings({ language: 'en' });
    (await menu(EN_TRAY)).click(TRAY_LABELS.open);
    await desktop.ferry()!.updateSettings({ language: 'zh-CN' });
    const zh = await menu(ZH_TRAY);
    assert.equal(
      (zh.items.find((i) => i.label === '发送剪贴板')!.submenu as Electron.MenuItemConstructorOptions[])[0]!.label,
      '没有在线的设备',
    );
  });
});
