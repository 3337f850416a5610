// The Electron adapter (main/hosts/electron) driven with a stubbed electron module: a real FerryApp
// on temp folders, discovery on loopback on a port of its own, and a fake of every Electron
// API the adapter touches (tests/fixtures/fake-electron.ts). The real binary is never needed.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import type * as Electron from 'electron';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FerryApp } from '../../main/core/app/ferry-app.js';
import { Discovery } from '../../main/core/discovery/discovery.js';
import type { DiscoveryEvent } from '../../main/core/discovery/peer-table.js';
import { COMMAND_NAMES, type CommandName, type TransferView, type UiEvent } from '../../main/core/contract/index.js';
import { COMMAND_CHANNELS, EVENT_CHANNEL, HOST_CHANNELS, type IpcReply } from '../../main/hosts/electron/channels.js';
import { startDesktop, type Desktop, type DesktopOptions } from '../../main/hosts/electron/desktop.js';
import type { FerryHost } from '../../main/hosts/electron/ferry-host.js';
import { isRunnable } from '../../main/hosts/electron/host-actions.js';
import { formatBytes } from '../../main/core/contract/format.js';
import { finishedText, Notifier, offerText } from '../../main/hosts/electron/notifications.js';
import { UI_CSP, UI_ENTRY_URL, uiFilePath, uiRequestHandler } from '../../main/hosts/electron/ui-protocol.js';
import { isVettedExternalUrl, PROJECT_HOMEPAGE } from '../../main/hosts/electron/window.js';
import { deviceLabel } from '../../main/hosts/electron/device-label.js';
import { parseLaunchArgs } from '../../main/hosts/electron/launch-args.js';
import { autostartEntry, execArg, launchCommand } from '../../main/hosts/electron/login-item.js';
import { describePaths } from '../../main/hosts/electron/send-dialog.js';
import { TRAY_PNG_BASE64 } from '../../main/hosts/electron/tray-icon-data.js';
import { TRAY_LABELS } from '../../main/hosts/electron/tray.js';
import {
  FakeBrowserWindow,
  FakeFrame,
  FakeMenu,
  FakeNotification,
  FakeTray,
  FakeWebContents,
  fakeElectron,
  type FakeElectron,
} from '../fixtures/fake-electron.js';
import { onCleanup, REPO, sleep, tempDir, freeUdpPort } from '../helpers.js';

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Launched {
  fake: FakeElectron;
  desktop: Desktop;
  engine: FerryHost;
  /** The window at start (null when started hidden: then use desktop.window()). */
  win: FakeBrowserWindow;
  logs: string[];
  downloadDir: string;
  configDir: string;
  discoveryPort: number;
  /** Invokes a channel as the window's own page would. */
  call(channel: string, ...args: unknown[]): Promise<IpcReply>;
  events(): UiEvent[];
}

/** Starts the desktop adapter on a fake Electron with a real engine on temp folders. */
async function launch(
  options: {
    lock?: boolean;
    desktop?: Partial<DesktopOptions>;
    /** More of FerryApp's overrides (localsend: false keeps LocalSend devices of other tests out). */
    overrides?: NonNullable<NonNullable<DesktopOptions['ferry']>['overrides']>;
    /** Runs on the fake before the adapter starts (what the OS reports about login items). */
    prepare?: (fake: FakeElectron) => void;
  } = {},
): Promise<Launched> {
  FakeNotification.shown.length = 0;
  const configDir = await tempDir('ferry-electron-config-');
  const downloadDir = await tempDir('ferry-electron-dl-');
  const rendererDir = await tempDir('ferry-electron-ui-');
  const autostartDir = path.join(await tempDir('ferry-electron-autostart-'), 'autostart');
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Ferry</title>');
  const fake = fakeElectron({ lock: options.lock ?? true });
  options.prepare?.(fake);
  const logs: string[] = [];
  const discoveryPort = await freeUdpPort();
  const desktop = startDesktop(fake.api, {
    configDir,
    rendererDir,
    preloadPath: '/nowhere/preload/index.js',
    ferry: {
      overrides: { port: 0, host: '127.0.0.1', downloadDir, ...options.overrides },
      discovery: { discoveryPort, interfaces: { only: ['loopback'] }, intervalMs: 200 },
      stateIntervalMs: 50,
    },
    log: (m) => logs.push(m),
    stopTimeoutMs: 5000,
    // Never the test runner's own command line (its test files would be offered as a send),
    // and never the real ~/.config/autostart.
    argv: ['/opt/Ferry/ferry'],
    defaultApp: false,
    autostartDir,
    ...options.desktop,
  });
  onCleanup(async () => {
    const engine = desktop.ferry();
    if (engine) await engine.stop();
  });
  fake.app.ready();
  await desktop.started;
  const win = desktop.window() as unknown as FakeBrowserWindow;
  return {
    fake,
    desktop,
    engine: desktop.ferry()!,
    win,
    logs,
    downloadDir,
    configDir,
    discoveryPort,
    call: (channel, ...args) =>
      fake.ipcMain.invoke(channel, { sender: win.webContents, senderFrame: win.webContents.mainFrame }, ...args) as Promise<IpcReply>,
    events: () => win.webContents.sent.filter((s) => s.channel === EVENT_CHANNEL).map((s) => s.args[0] as UiEvent),
  };
}

/** Counts calls to every contract command on the engine (instance properties shadow its methods). */
function spyOnCommands(engine: FerryHost): Map<CommandName, number> {
  const counts = new Map<CommandName, number>();
  const target = engine as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of COMMAND_NAMES) {
    const original = target[name]!.bind(engine);
    counts.set(name, 0);
    target[name] = (...args: unknown[]) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return original(...args);
    };
  }
  return counts;
}

const total = (counts: Map<CommandName, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

describe('lifecycle', () => {
  test('before ready: one instance per config folder, every renderer sandboxed, the UI scheme privileged', async () => {
    const { fake, configDir } = await launch();
    assert.equal(fake.app.paths.userData, path.join(configDir, 'electron'));
    assert.equal(fake.app.sandboxed, true);
    assert.deepEqual(fake.protocol.privileged, [
      { scheme: 'ferry', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
    ]);
    assert.ok(fake.protocol.handlers.has('ferry'), 'the ferry: scheme is served after ready');
  });

  test('a second instance quits at once and starts nothing', async () => {
    const fake = fakeElectron({ lock: false });
    const desktop = startDesktop(fake.api, { configDir: await tempDir(), log: () => {} });
    fake.app.ready();
    assert.equal(await desktop.started, false);
    assert.equal(fake.app.quitCalls, 1);
    assert.equal(fake.ipcMain.handlers.size, 0);
    assert.equal(desktop.ferry(), null);
    assert.equal(desktop.window(), null);
  });

  test('the window is isolated, sandboxed, without Node, and loads the bundled UI over ferry://', async () => {
    const { win } = await launch();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.preload, '/nowhere/preload/index.js');
    assert.equal(win.loadedUrl, UI_ENTRY_URL);
    assert.equal(win.options.show, false, 'shown on ready-to-show, not before');
    win.emit('ready-to-show');
    assert.equal(win.isVisible(), true);
  });

  test('a second launch and activate bring the one window back; closing it quits except on macOS', async () => {
    const { fake, win } = await launch();
    win.hide();
    win.minimized = true;
    fake.app.emit('second-instance');
    assert.equal(FakeBrowserWindow.created.filter((w) => w === win).length, 1);
    assert.ok(win.isVisible() && win.isFocused() && !win.isMinimized());
    win.destroy();
    fake.app.emit('activate');
    const again = await waitFor<FakeBrowserWindow>('a new window', () => FakeBrowserWindow.created.at(-1));
    assert.notEqual(again, win, 'a destroyed window is replaced');

    const quits = fake.app.quitCalls;
    fake.app.emit('window-all-closed');
    assert.equal(fake.app.quitCalls, quits + 1);

    const mac = await launch({ desktop: { platform: 'darwin' } });
    mac.fake.app.emit('window-all-closed');
    assert.equal(mac.fake.app.quitCalls, 0, 'on macOS the app stays (and keeps receiving)');
  });

  test('quitting waits for the engine to stop, so discovery says goodbye and the receiver closes, before Electron quits', async () => {
    const { fake, engine, discoveryPort } = await launch();
    const { device } = await engine.getState();
    assert.ok(device.port);
    // Another device on the same (loopback) discovery port, watching us.
    const seen: DiscoveryEvent[] = [];
    const watcher = new Discovery({
      identity: { deviceId: 'ab'.repeat(32), deviceName: 'watcher' },
      discoveryPort,
      interfaces: { only: ['loopback'] },
      intervalMs: 200,
      onEvent: (e) => seen.push(e),
    });
    await watcher.start();
    onCleanup(() => watcher.stop());
    await waitFor('the watcher to see the desktop app', () => seen.some((e) => e.event === 'peer-added' && e.peer.id === device.id));

    let stops = 0;
    const stop = engine.stop.bind(engine);
    (engine as { stop: () => Promise<void> }).stop = async () => {
      stops++;
      await stop();
    };
    const quit = once(fake.app, 'quit');
    fake.app.quit();
    await quit;
    assert.equal(stops, 1);
    assert.equal(fake.app.quitCalls, 2, 'the first quit is held back until the engine stopped, the second goes through');
    await waitFor(
      'the goodbye',
      () => seen.some((e) => e.event === 'peer-removed' && e.peer.id === device.id && e.reason === 'goodbye'),
      3000,
    );
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(device.port!, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    assert.ok(refused, 'the receiver port is closed after quitting');
  });

  test('an engine that cannot start is reported in an error box and the app quits', async () => {
    const notADir = path.join(await tempDir(), 'file');
    await fs.writeFile(notADir, 'x');
    const fake = fakeElectron();
    const logs: string[] = [];
    const desktop = startDesktop(fake.api, {
      configDir: notADir,
      log: (m) => logs.push(m),
      ferry: { overrides: { port: 0, host: '127.0.0.1' } },
    });
    fake.app.ready();
    assert.equal(await desktop.started, false);
    assert.equal(fake.dialog.errorBoxes.length, 1);
    assert.match(fake.dialog.errorBoxes[0]!, /^Ferry cannot start: /);
    assert.ok(fake.app.quitCalls >= 1);
    assert.equal(desktop.window(), null);
  });
});

describe('IPC', () => {
  test('one handler per contract command and per host call, and nothing else', async () => {
    const { fake, desktop } = await launch();
    const expected = [...COMMAND_NAMES.map((n) => COMMAND_CHANNELS[n]), ...Object.values(HOST_CHANNELS)].sort();
    assert.deepEqual([...fake.ipcMain.handlers.keys()].sort(), expected);
    assert.deepEqual([...desktop.channels()].sort(), expected);
    assert.equal(COMMAND_NAMES.length, 24);
    for (const name of COMMAND_NAMES) assert.equal(COMMAND_CHANNELS[name], `ferry:${name}`);
  });

  test("a call from the window's page reaches the engine and answers with its result", async () => {
    const { call, engine } = await launch();
    const counts = spyOnCommands(engine);
    const state = await call(COMMAND_CHANNELS.getState);
    assert.ok(state.ok);
    const s = state.value as Awaited<ReturnType<FerryHost['getState']>>;
    assert.equal(s.settings.acceptPolicy, 'ask');
    assert.equal(typeof s.device.id, 'string');

    const renamed = await call(COMMAND_CHANNELS.updateSettings, { deviceName: 'Desk' });
    assert.deepEqual(renamed.ok && (renamed.value as { deviceName: string }).deviceName, 'Desk');
    assert.equal(counts.get('getState'), 1);
    assert.equal(counts.get('updateSettings'), 1);
  });

  test('foreign senders are refused and logged, and the engine never hears of them', async () => {
    const { fake, engine, win, logs } = await launch();
    const counts = spyOnCommands(engine);
    const other = new FakeWebContents('ferry://ui/index.html');
    const navigatedAway = new FakeFrame('https://evil.example/', win.webContents.mainFrame.processId, win.webContents.mainFrame.routingId);
    const senders: Array<[string, { sender: FakeWebContents; senderFrame: FakeFrame | null }]> = [
      [
        'a subframe of our window, even on ferry://ui',
        { sender: win.webContents, senderFrame: win.webContents.mainFrame.child('ferry://ui/index.html') },
      ],
      ['a subframe from elsewhere', { sender: win.webContents, senderFrame: win.webContents.mainFrame.child('https://evil.example/') }],
      ['our main frame showing another page', { sender: win.webContents, senderFrame: navigatedAway }],
      [
        'our main frame on file://',
        { sender: win.webContents, senderFrame: new FakeFrame('file:///tmp/evil.html', 1, win.webContents.mainFrame.routingId) },
      ],
      ['another web contents on ferry://ui', { sender: other, senderFrame: other.mainFrame }],
      ['a frame that is gone', { sender: win.webContents, senderFrame: null }],
      [
        'a look-alike scheme',
        { sender: win.webContents, senderFrame: new FakeFrame('ferry://ui.evil/index.html', 1, win.webContents.mainFrame.routingId) },
      ],
    ];
    for (const [what, event] of senders) {
      for (const channel of [
        COMMAND_CHANNELS.getState,
        COMMAND_CHANNELS.sendPaths,
        HOST_CHANNELS.openReceived,
        HOST_CHANNELS.pickAndSend,
      ]) {
        const before = logs.length;
        const reply = (await fake.ipcMain.invoke(channel, event, 'peer', ['/etc/passwd'])) as IpcReply;
        assert.equal(reply.ok, false, `${what} → ${channel} must be refused`);
        assert.equal(!reply.ok && reply.error.code, 'BAD_MESSAGE');
        assert.ok(
          logs.slice(before).some((l) => l.includes('refused') && l.includes(channel)),
          `${what}: the refusal is logged`,
        );
      }
    }
    assert.equal(total(counts), 0, 'no engine method ran');
    assert.equal(fake.dialog.openCalls.length, 0, 'no picker opened');
    assert.deepEqual([fake.shell.opened, fake.shell.shown], [[], []]);

    // A destroyed window refuses everything too.
    win.destroy();
    const reply = (await fake.ipcMain.invoke(COMMAND_CHANNELS.getState, {
      sender: win.webContents,
      senderFrame: win.webContents.mainFrame,
    })) as IpcReply;
    assert.equal(reply.ok, false);
    assert.equal(total(counts), 0);
  });

  test('bad arguments are refused before the engine sees them', async () => {
    const { call, engine, fake } = await launch();
    const counts = spyOnCommands(engine);
    const bad: Array<[string, unknown[]]> = [
      [COMMAND_CHANNELS.sendPaths, ['peer', '/etc/passwd']],
      [COMMAND_CHANNELS.sendPaths, ['peer', []]],
      [COMMAND_CHANNELS.sendPaths, ['peer', [42]]],
      [COMMAND_CHANNELS.answerOffer, ['offer', 'maybe']],
      [COMMAND_CHANNELS.getState, ['extra']],
      [COMMAND_CHANNELS.cancelTransfer, []],
      [COMMAND_CHANNELS.cancelTransfer, ['x'.repeat(10_000)]],
      [COMMAND_CHANNELS.updateSettings, [['not', 'an', 'object']]],
      [COMMAND_CHANNELS.setSecret, [42]],
      [HOST_CHANNELS.pickAndSend, ['peer', 'everything']],
      [HOST_CHANNELS.pickFolder, ['/tmp']],
      [HOST_CHANNELS.openReceived, ['t', 'a.txt', 'run']],
      [HOST_CHANNELS.openReceived, ['t', 7, 'open']],
    ];
    for (const [channel, args] of bad) {
      const reply = await call(channel, ...args);
      assert.equal(reply.ok, false, `${channel}(${JSON.stringify(args).slice(0, 60)}) must be refused`);
      assert.equal(!reply.ok && reply.error.code, 'BAD_MESSAGE');
    }
    assert.equal(total(counts), 0);
    assert.equal(fake.dialog.openCalls.length, 0);
  });

  test('errors come back as {code, message}, never with a stack', async () => {
    const { call, engine, logs } = await launch();
    const reply = await call(COMMAND_CHANNELS.removeManualPeer, '10.9.9.9:1234');
    assert.deepEqual(reply, { ok: false, error: { code: 'NOT_FOUND', message: 'no manual peer 10.9.9.9:1234' } });

    (engine as unknown as Record<string, unknown>).getHistory = () => {
      throw new TypeError('cannot read properties of undefined');
    };
    const bug = await call(COMMAND_CHANNELS.getHistory);
    assert.equal(bug.ok, false);
    assert.deepEqual(Object.keys(!bug.ok ? bug.error : {}).sort(), ['code', 'message']);
    assert.equal(!bug.ok && bug.error.code, 'INTERNAL');
    assert.doesNotMatch(!bug.ok ? bug.error.message : '', /\n\s+at /);
    assert.ok(
      logs.some((l) => l.includes('getHistory') && /\n\s+at /.test(l)),
      'the stack stays in the main process log',
    );
  });

  test('engine events reach the window on one channel, coalesced by the engine (never one per change)', async () => {
    const { call, events } = await launch();
    const start = Date.now();
    for (let i = 0; i < 20; i++) await call(COMMAND_CHANNELS.dismissTransfer, `t${i}`);
    await sleep(300);
    const states = events().filter((e) => e.type === 'state');
    const elapsed = Date.now() - start;
    assert.ok(states.length >= 1, 'the state arrives');
    // stateIntervalMs is 50 here: at most one push per interval, not one per change.
    assert.ok(states.length <= Math.ceil(elapsed / 50) + 1, `${states.length} state pushes in ${elapsed} ms`);
    assert.ok(states.length < 20);
  });
});

describe('a transfer through the adapter', () => {
  test('offer notification while hidden, accept over IPC, finished notification, then open/show only what was received', async () => {
    const a = await launch();
    const port = (await a.engine.getState()).device.port!;
    const src = await tempDir('ferry-electron-src-');
    await fs.writeFile(path.join(src, 'hello.txt'), 'hello from B\n');
    await fs.writeFile(path.join(src, 'setup.sh'), '#!/bin/sh\necho hi\n');
    const b = await FerryApp.start({
      configDir: await tempDir(),
      overrides: { port: 0, host: '127.0.0.1', downloadDir: await tempDir(), deviceName: 'Laptop B' },
      manualPeers: [`127.0.0.1:${port}`],
      discovery: { discoveryPort: await freeUdpPort(), interfaces: { only: ['loopback'] } },
      stateIntervalMs: 50,
      probeIntervalMs: 200,
    });
    onCleanup(() => b.stop());
    const peer = await waitFor('B to reach the desktop app', async () =>
      (await b.getState()).peers.find((p) => p.manual === `127.0.0.1:${port}` && p.online),
    );

    // The window is hidden: the offer shows up as an OS notification.
    a.win.hide();
    const { transferId } = await b.sendPaths(peer.key, [path.join(src, 'hello.txt'), path.join(src, 'setup.sh')]);
    const offer = await waitFor('the offer event in the window', () => a.events().find((e) => e.type === 'offer'));
    assert.equal(offer.type === 'offer' && offer.offer.id, transferId);
    const note = await waitFor('the offer notification', () => FakeNotification.shown[0]);
    assert.match(note.options.title ?? '', /^Laptop B wants to send you 2 files$/);
    note.emit('click');
    assert.ok(a.win.isVisible() && a.win.isFocused(), 'clicking the notification brings the window up');

    // The user accepts in the UI, then looks away: the finish is notified.
    a.win.blur();
    const answer = await a.call(COMMAND_CHANNELS.answerOffer, transferId, 'accept', null);
    assert.deepEqual(answer, { ok: true, value: undefined });
    const finished = await waitFor('the finished event', () => a.events().find((e) => e.type === 'finished'));
    assert.equal(finished.type === 'finished' && finished.transfer.state, 'done');
    const done = await waitFor('the finished notification', () =>
      FakeNotification.shown.find((n) => n.options.title === 'Received from Laptop B'),
    );
    assert.match(done.options.body ?? '', /^2 files, /);

    const files = await a.call(COMMAND_CHANNELS.getTransferFiles, transferId);
    assert.ok(files.ok);
    const saved = (files.value as Array<{ path: string; savedAs: string | null }>).map((f) => f.savedAs).sort();
    assert.deepEqual(saved, ['hello.txt', 'setup.sh']);

    assert.deepEqual(await a.call(HOST_CHANNELS.openReceived, transferId, 'hello.txt', 'open'), { ok: true, value: undefined });
    assert.deepEqual(a.fake.shell.opened, [path.join(a.downloadDir, 'hello.txt')]);
    assert.deepEqual(await a.call(HOST_CHANNELS.openReceived, transferId, 'hello.txt', 'show'), { ok: true, value: undefined });
    assert.deepEqual(a.fake.shell.shown, [path.join(a.downloadDir, 'hello.txt')]);
    // A script from the network is shown in its folder, never run.
    await a.call(HOST_CHANNELS.openReceived, transferId, 'setup.sh', 'open');
    assert.deepEqual(a.fake.shell.opened, [path.join(a.downloadDir, 'hello.txt')]);
    assert.equal(a.fake.shell.shown.at(-1), path.join(a.downloadDir, 'setup.sh'));

    // Anything resolveReceived does not vouch for goes nowhere near the shell.
    for (const [id, savedAs] of [
      [transferId, '../../../etc/passwd'],
      [transferId, '/etc/passwd'],
      [transferId, 'not-received.txt'],
      ['no-such-transfer', 'hello.txt'],
    ] as const) {
      const reply = await a.call(HOST_CHANNELS.openReceived, id, savedAs, 'open');
      assert.deepEqual(reply.ok ? null : reply.error.code, 'PATH_UNSAFE', `${id} ${savedAs}`);
    }
    // A vouched-for file that has since been deleted.
    await fs.rm(path.join(a.downloadDir, 'hello.txt'));
    const gone = await a.call(HOST_CHANNELS.openReceived, transferId, 'hello.txt', 'open');
    assert.equal(!gone.ok && gone.error.code, 'IO_ERROR');
    assert.equal(a.fake.shell.opened.length, 1);

    // Sends are not "received files" either.
    const sent = (await b.getState()).transfers.find((t) => t.id === transferId);
    assert.equal(sent?.direction, 'send');
    assert.equal(b.resolveReceived(transferId, 'hello.txt'), null);
  });
});

describe('host calls', () => {
  test('the pickers open on the window and send what was picked; cancelling sends nothing', async () => {
    const { call, engine, fake, win } = await launch();
    const sends: unknown[][] = [];
    (engine as unknown as Record<string, unknown>).sendPaths = async (...args: unknown[]) => {
      sends.push(args);
      return { transferId: 'tid' };
    };
    assert.deepEqual(await call(HOST_CHANNELS.pickAndSend, 'peer-1', 'files'), { ok: true, value: null });
    assert.deepEqual(sends, []);
    fake.dialog.openResults.push({ canceled: false, filePaths: ['/home/u/a.txt', '/home/u/b.txt'] });
    assert.deepEqual(await call(HOST_CHANNELS.pickAndSend, 'peer-1', 'files'), { ok: true, value: { transferId: 'tid' } });
    assert.deepEqual(sends, [['peer-1', ['/home/u/a.txt', '/home/u/b.txt']]]);
    fake.dialog.openResults.push({ canceled: false, filePaths: ['/home/u/photos'] });
    await call(HOST_CHANNELS.pickAndSend, 'peer-1', 'folder');
    assert.deepEqual(sends[1], ['peer-1', ['/home/u/photos']]);

    const [files, , folder] = fake.dialog.openCalls;
    assert.equal(files!.window, win, 'the picker is modal to the window');
    assert.deepEqual(files!.options.properties, ['openFile', 'multiSelections']);
    assert.deepEqual(folder!.options.properties, ['openDirectory', 'multiSelections']);

    fake.dialog.openResults.push({ canceled: false, filePaths: ['/home/u/Incoming'] });
    assert.deepEqual(await call(HOST_CHANNELS.pickFolder), { ok: true, value: '/home/u/Incoming' });
    assert.deepEqual(await call(HOST_CHANNELS.pickFolder), { ok: true, value: null });
  });

  test('opening a runnable file is never offered: these are shown in their folder', async () => {
    for (const name of ['setup.exe', 'x.BAT', 'a.lnk', 'b.desktop', 'App.AppImage', 'c.command', 'd.app', 'e.jar', 'f.ps1', 'g.sh']) {
      assert.equal(isRunnable(`/tmp/${name}`, 'linux'), true, name);
    }
    for (const name of ['photo.jpg', 'notes.txt', 'report.pdf', 'archive.zip'])
      assert.equal(isRunnable(`/nonexistent/${name}`, 'linux'), false, name);
    const dir = await tempDir();
    const tool = path.join(dir, 'tool');
    await fs.writeFile(tool, '#!/bin/sh\n', { mode: 0o755 });
    assert.equal(isRunnable(tool, 'linux'), true, 'an executable without extension');
    assert.equal(isRunnable(tool, 'win32'), false);
  });
});

describe('window hardening', () => {
  test('navigation, subframe navigation, webviews and new windows are blocked; vetted links go to the browser', async () => {
    const { win, fake, logs } = await launch();
    const wc = win.webContents;
    assert.equal(wc.emitCancellable('will-navigate', {}, 'https://evil.example/'), true);
    assert.equal(wc.emitCancellable('will-navigate', {}, 'file:///home/u/dropped.html'), true);
    assert.ok(logs.some((l) => l.includes('blocked navigation')));
    assert.equal(wc.emitCancellable('will-frame-navigate', { isMainFrame: false, url: 'https://evil.example/' }), true);
    assert.equal(wc.emitCancellable('will-attach-webview', {}), true);

    const open = wc.windowOpenHandler!;
    assert.deepEqual(open({ url: 'https://evil.example/' }), { action: 'deny' });
    assert.deepEqual(open({ url: 'ferry://ui/index.html' }), { action: 'deny' });
    assert.deepEqual(fake.shell.external, []);
    assert.deepEqual(open({ url: `${PROJECT_HOMEPAGE}/blob/main/docs/TROUBLESHOOTING.md` }), { action: 'deny' });
    await sleep(0);
    assert.deepEqual(fake.shell.external, [`${PROJECT_HOMEPAGE}/blob/main/docs/TROUBLESHOOTING.md`]);

    // Every web contents gets the same rules, not only our window's.
    const stray = new FakeWebContents('https://example.com/');
    fake.app.emit('web-contents-created', {}, stray);
    assert.equal(stray.emitCancellable('will-navigate', {}, 'https://evil.example/'), true);
    assert.deepEqual(stray.windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  });

  test('only https links under the project homepage count as vetted', () => {
    assert.equal(isVettedExternalUrl(PROJECT_HOMEPAGE), true);
    assert.equal(isVettedExternalUrl(`${PROJECT_HOMEPAGE}/issues`), true);
    for (const url of [
      PROJECT_HOMEPAGE.replace('https:', 'http:'),
      `${PROJECT_HOMEPAGE}-evil/x`,
      'https://github.com/someone/else',
      `https://user:pw@${new URL(PROJECT_HOMEPAGE).host}${new URL(PROJECT_HOMEPAGE).pathname}`,
      `https://${new URL(PROJECT_HOMEPAGE).host}:8443${new URL(PROJECT_HOMEPAGE).pathname}`,
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      assert.equal(isVettedExternalUrl(url), false, url);
    }
  });

  test('permission requests and checks are denied, except clipboard writes from our own page', async () => {
    const { fake } = await launch();
    const request = fake.session.requestHandler!;
    const ask = (permission: string, requestingUrl: string, isMainFrame = true): Promise<boolean> =>
      new Promise((resolve) => request(null, permission, resolve, { isMainFrame, requestingUrl }));
    for (const p of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial', 'unknown']) {
      assert.equal(await ask(p, 'ferry://ui/index.html'), false, p);
    }
    assert.equal(await ask('clipboard-sanitized-write', 'ferry://ui/index.html'), true);
    assert.equal(await ask('clipboard-sanitized-write', 'https://evil.example/'), false);
    assert.equal(await ask('clipboard-sanitized-write', 'ferry://ui/index.html', false), false);
    const check = fake.session.checkHandler!;
    assert.equal(check(null, 'media', 'ferry://ui', {}), false);
    assert.equal(check(null, 'notifications', 'ferry://ui', {}), false);
    assert.equal(check(null, 'clipboard-sanitized-write', 'ferry://ui', {}), true);
    assert.equal(check(null, 'clipboard-sanitized-write', 'https://evil.example', {}), false);
    assert.equal(fake.session.deviceHandler!({}), false);
  });
});

describe('the ferry://ui protocol', () => {
  test('serves the bundle with its type and the CSP, and nothing outside it', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, 'assets'));
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
    await fs.writeFile(path.join(root, 'assets', 'index-1.js'), 'export {}');
    await fs.writeFile(path.join(root, 'assets', 'index-1.css'), 'body{}');
    await fs.writeFile(path.join(path.dirname(root), 'secret.js'), 'secret');
    onCleanup(() => fs.rm(path.join(path.dirname(root), 'secret.js'), { force: true }));
    const handler = uiRequestHandler(root);

    const page = await handler(new Request('ferry://ui/index.html'));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('content-security-policy'), UI_CSP);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await page.text(), '<!doctype html>');
    assert.equal((await handler(new Request('ferry://ui/'))).status, 200, '/ is index.html');
    assert.equal((await handler(new Request('ferry://ui/index.html#/settings'))).status, 200);
    const script = await handler(new Request('ferry://ui/assets/index-1.js'));
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8', 'module scripts need a JavaScript type');
    assert.equal((await handler(new Request('ferry://ui/assets/index-1.css'))).headers.get('content-type'), 'text/css; charset=utf-8');

    for (const url of ['ferry://ui/missing.js', 'ferry://other/index.html', 'ferry://ui/assets', 'ferry://ui/assets/index-1.js.exe']) {
      assert.equal((await handler(new Request(url))).status, 404, url);
    }
    assert.equal((await handler(new Request('ferry://ui/index.html', { method: 'POST', body: 'x' }))).status, 404);
    // Encoded separators survive URL parsing: the path check must catch them.
    assert.equal(uiFilePath(root, 'ferry://ui/assets%2F..%2F..%2Fsecret.js'), null);
    assert.equal(uiFilePath(root, 'ferry://ui/..%5C..%5Csecret.js'), null);
    assert.equal(uiFilePath(root, 'ferry://ui/%E0%A4%A'), null);
    assert.equal(uiFilePath(root, 'ferry://ui/index.html%00.js'), null);
    assert.equal(uiFilePath(root, 'http://ui/index.html'), null);
    assert.equal(uiFilePath(root, 'ferry://ui/assets/index-1.js'), path.join(root, 'assets', 'index-1.js'));
  });

  test("the CSP header is the renderer's own meta policy plus frame-ancestors", async () => {
    const html = await fs.readFile(path.join(REPO, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    assert.ok(meta, 'renderer/index.html carries a CSP meta tag');
    assert.equal(
      UI_CSP,
      `${meta}; frame-ancestors 'none'`,
      'update UI_CSP in main/hosts/electron/ui-protocol.ts together with renderer/index.html',
    );
  });
});

describe('notifications', () => {
  const transfer = (over: Partial<TransferView>): TransferView => ({
    id: 't',
    direction: 'receive',
    protocol: 'ferry',
    peer: { id: 'p', name: 'Bob', address: '10.0.0.2' },
    state: 'done',
    fileCount: 3,
    dirCount: 0,
    totalBytes: 2_500_000,
    transferred: 2_500_000,
    bytesPerSecond: 0,
    etaSeconds: null,
    filesDone: 3,
    filesFailed: 0,
    error: null,
    startedAt: 0,
    finishedAt: 1,
    retry: null,
    folder: '/dl',
    label: { first: 'a.txt', firstIsDir: false, count: 3 },
    verificationCode: null,
    partialBytes: 0,
    pin: null,
    leftOut: null,
    text: null,
    ...over,
  });

  function notifier(attended: boolean) {
    FakeNotification.shown.length = 0;
    let shows = 0;
    const n = new Notifier({ Notification: FakeNotification as never, isAttended: () => attended, showWindow: () => void shows++ });
    return { n, shows: () => shows };
  }

  test('offers are notified only while the window is not in front; a click brings it up', () => {
    const offer = {
      id: 'o',
      from: {
        id: 'p',
        name: 'Bob',
        platform: 'linux',
        address: '10.0.0.2',
        verificationCode: '123 456',
        trusted: false,
        identityChangedFrom: null,
        protocol: 'ferry' as const,
        verified: true,
      },
      fileCount: 1,
      dirCount: 1,
      totalBytes: 1234,
      entries: [],
      text: null,
      receivedAt: 0,
    };
    const seen = notifier(true);
    seen.n.handle({ type: 'offer', offer });
    assert.equal(FakeNotification.shown.length, 0);
    const away = notifier(false);
    away.n.handle({ type: 'offer', offer });
    assert.equal(FakeNotification.shown.length, 1);
    assert.deepEqual(offerText(offer), {
      title: 'Bob wants to send you 1 file and 1 folder',
      body: '1.2 kB from 10.0.0.2. Open Ferry to accept or decline.',
    });
    FakeNotification.shown[0]!.emit('click');
    assert.equal(away.shows(), 1);
  });

  test('finished transfers are notified when the setting is on, and cancellations not at all', () => {
    const { n } = notifier(false);
    n.handle({ type: 'finished', transfer: transfer({}) });
    assert.equal(FakeNotification.shown.at(-1)?.options.title, 'Received from Bob');
    n.setEnabled(false);
    n.handle({ type: 'finished', transfer: transfer({ direction: 'send' }) });
    assert.equal(FakeNotification.shown.length, 1, 'notifications off');
    n.handle({ type: 'state', state: { settings: { notifications: true } } as never });
    n.handle({ type: 'finished', transfer: transfer({ state: 'cancelled' }) });
    assert.equal(FakeNotification.shown.length, 1, 'a cancelled transfer needs no word');
    n.handle({
      type: 'finished',
      transfer: transfer({ direction: 'send', state: 'failed', error: { code: 'CONNECTION_LOST', message: 'the connection broke' } }),
    });
    assert.deepEqual(FakeNotification.shown.at(-1)?.options, {
      title: 'Sending to Bob failed',
      body: 'the connection broke',
      silent: false,
    });
    assert.deepEqual(finishedText(transfer({ direction: 'send', state: 'declined' })), {
      title: 'Bob declined',
      body: '3 files were not sent',
    });
    assert.equal(finishedText(transfer({ state: 'declined' })), null);
    FakeNotification.supported = false;
    try {
      n.handle({ type: 'finished', transfer: transfer({}) });
      assert.equal(FakeNotification.shown.length, 2, 'nothing where notifications are unsupported');
    } finally {
      FakeNotification.supported = true;
    }
  });

  test('sizes read like a file manager shows them', () => {
    // The same formatter as the window's (main/core/contract/format.ts): kB, as file managers write it.
    assert.deepEqual(
      [0, 999, 1000, 1_234_567, 25_000_000_000].map((n) => formatBytes(n)),
      ['0 B', '999 B', '1.0 kB', '1.2 MB', '25.0 GB'],
    );
  });
});

/** Another device: a real FerryApp on loopback that the desktop app (and it the desktop app) knows by address. */
async function otherDevice(a: Launched, options: { name?: string; acceptPolicy?: 'all' | 'ask' } = {}) {
  const name = options.name ?? 'Laptop B';
  const aPort = (await a.engine.getState()).device.port!;
  const downloadDir = await tempDir('ferry-electron-b-');
  const b = await FerryApp.start({
    configDir: await tempDir(),
    overrides: { port: 0, host: '127.0.0.1', downloadDir, deviceName: name, acceptPolicy: options.acceptPolicy ?? 'all', localsend: false },
    manualPeers: [`127.0.0.1:${aPort}`],
    discovery: false,
    stateIntervalMs: 50,
    probeIntervalMs: 200,
  });
  onCleanup(() => b.stop());
  const bPort = (await b.getState()).device.port!;
  await a.engine.addManualPeer(`127.0.0.1:${bPort}`);
  const seenByA = await waitFor(`${name} online for the desktop app`, async () =>
    (await a.engine.getState()).peers.find((p) => p.name === name && p.online),
  );
  const aSeenByB = await waitFor(`the desktop app online for ${name}`, async () =>
    (await b.getState()).peers.find((p) => p.manual === `127.0.0.1:${aPort}` && p.online),
  );
  return { b, downloadDir, seenByA, aSeenByB };
}

/**
 * The fake tray the adapter made last, and its (Linux) menu brought up to date, once `ready`
 * holds for it (the tray hears of changes with the engine's next state push).
 */
async function trayOf(a: Launched): Promise<{ tray: FakeTray; menu: (ready?: (m: FakeMenu) => boolean) => Promise<FakeMenu> }> {
  const tray = FakeTray.created.at(-1)!;
  return {
    tray,
    menu: (ready = () => true) =>
      waitFor('the tray menu', async () => {
        await a.desktop.tray()!.install();
        return ready(tray.contextMenu!) && tray.contextMenu!;
      }),
  };
}

const stateEvents = (a: Launched) => a.events().filter((e): e is Extract<UiEvent, { type: 'state' }> => e.type === 'state');

describe('the tray and running in the background', () => {
  test('closing the window hides it and Ferry goes on receiving; an offer notifies, and its click brings the window back', async () => {
    const a = await launch();
    a.win.emit('ready-to-show');
    assert.ok(a.win.isVisible() && a.win.isFocused());
    assert.deepEqual((await a.engine.getState()).settings.desktop, { startAtLogin: false, closeToTray: true });

    a.win.close();
    assert.equal(a.win.isDestroyed(), false, 'hidden, not closed');
    assert.equal(a.win.isVisible(), false);
    assert.equal(a.fake.app.quitCalls, 0, 'still running');

    const { b, aSeenByB } = await otherDevice(a);
    const src = await tempDir('ferry-electron-src-');
    await fs.writeFile(path.join(src, 'notes.txt'), 'sent while Ferry was in the tray\n');
    const { transferId } = await b.sendPaths(aSeenByB.key, [path.join(src, 'notes.txt')]);
    const note = await waitFor('the offer notification', () =>
      FakeNotification.shown.find((n) => n.options.title === 'Laptop B wants to send you 1 file'),
    );
    note.emit('click');
    assert.ok(a.win.isVisible() && a.win.isFocused(), 'the click shows and focuses the hidden window');
    assert.equal(FakeBrowserWindow.created.at(-1), a.win, 'the same window, not a new one');

    assert.deepEqual(await a.call(COMMAND_CHANNELS.answerOffer, transferId, 'accept', null), { ok: true, value: undefined });
    await waitFor(
      'the file to arrive',
      async () =>
        (await fs.readFile(path.join(a.downloadDir, 'notes.txt'), 'utf8').catch(() => '')) === 'sent while Ferry was in the tray\n',
    );
  });

  test('with closeToTray off, closing the window quits, and the engine stops first', async () => {
    const a = await launch();
    await a.engine.updateSettings({ desktop: { startAtLogin: false, closeToTray: false } });
    await waitFor('the setting to reach the host', () => stateEvents(a).some((e) => e.state.settings.desktop?.closeToTray === false));
    let stops = 0;
    const stop = a.engine.stop.bind(a.engine);
    (a.engine as { stop: () => Promise<void> }).stop = async () => {
      stops++;
      await stop();
    };
    const port = (await a.engine.getState()).device.port!;
    const quit = once(a.fake.app, 'quit');
    a.win.close();
    assert.equal(a.win.isDestroyed(), true);
    await quit;
    assert.equal(stops, 1);
    assert.ok(FakeTray.created.at(-1)!.isDestroyed(), 'the tray icon goes with it');
    const refused = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(false);
      });
      sock.once('error', () => resolve(true));
    });
    assert.ok(refused, 'no longer receiving');
  });

  test('the tray menu: Open Ferry, Send clipboard ▸ devices, Visible to others, Quit Ferry', async () => {
    const a = await launch({ overrides: { localsend: false } });
    const { tray, menu } = await trayOf(a);
    assert.equal(tray.tooltip, 'Ferry');
    assert.deepEqual(
      tray.image.reps.map((r) => r.scaleFactor),
      [1],
      'Linux: one 32 px image the indicator scales',
    );
    assert.equal(tray.image.reps[0]!.buffer.readUInt32BE(16), 32);

    let m = await menu();
    assert.deepEqual(m.labels(), [TRAY_LABELS.open, TRAY_LABELS.send, TRAY_LABELS.visible, TRAY_LABELS.quit]);
    assert.equal(m.item(TRAY_LABELS.send)!.enabled, false, 'no device online, nothing on the clipboard');
    assert.equal(m.item(TRAY_LABELS.noDevice)!.enabled, false);
    assert.equal(m.item(TRAY_LABELS.visible)!.type, 'checkbox');
    assert.equal(m.item(TRAY_LABELS.visible)!.checked, true);

    // Visible to others is settings.announce.
    m.click(TRAY_LABELS.visible);
    await waitFor('announce off', async () => !(await a.engine.getState()).settings.announce);
    m = await menu((x) => x.item(TRAY_LABELS.visible)!.checked === false);
    m.click(TRAY_LABELS.visible);
    await waitFor('announce on again', async () => (await a.engine.getState()).settings.announce);
    await menu((x) => x.item(TRAY_LABELS.visible)!.checked === true);

    // Text on the clipboard but no device: still disabled.
    a.fake.clipboard.text = 'hello from the clipboard';
    assert.equal((await menu()).item(TRAY_LABELS.send)!.enabled, false);

    // A device comes online: the submenu lists it, and picking it sends the clipboard's text.
    const { b } = await otherDevice(a, { name: 'Tom & Jerry' });
    m = await menu((x) => x.item(TRAY_LABELS.send)!.enabled === true);
    assert.deepEqual(
      (m.item(TRAY_LABELS.send)!.submenu as Electron.MenuItemConstructorOptions[]).map((i) => i.label),
      ['Tom && Jerry'],
      "'&' doubled: menus read it as an access key",
    );
    m.click('Tom && Jerry');
    const text = await waitFor('the text at the other device', async () =>
      (await b.getState()).texts.find((t) => t.text === 'hello from the clipboard'),
    );
    assert.equal(text.peer.name, (await a.engine.getState()).device.name);

    // The clipboard emptied while the menu was open: nothing is sent, and the user is told.
    a.fake.clipboard.text = '';
    m.click('Tom && Jerry');
    await waitFor('the word', () => a.fake.dialog.messageBoxes.find((box) => box.options.message === 'Nothing to send'));
    assert.equal((await b.getState()).texts.length, 1);

    // No text on the clipboard: disabled again.
    assert.equal((await menu()).item(TRAY_LABELS.send)!.enabled, false);

    // Open Ferry brings the window back; Quit Ferry quits (the engine stopped first).
    a.win.close();
    (await menu()).click(TRAY_LABELS.open);
    assert.ok(a.win.isVisible() && a.win.isFocused());
    const quit = once(a.fake.app, 'quit');
    (await menu()).click(TRAY_LABELS.quit);
    await quit;
    assert.ok(tray.isDestroyed());
    assert.equal(a.desktop.tray(), null);
  });

  test('Windows opens the window on a click and a fresh menu on a right-click; macOS gets a template icon', async () => {
    const w = await launch({ desktop: { platform: 'win32' }, overrides: { localsend: false } });
    const { tray } = await trayOf(w);
    assert.equal(tray.contextMenu, null, 'no menu set beforehand');
    assert.deepEqual(
      tray.image.reps.map((r) => [r.scaleFactor, r.buffer.readUInt32BE(16)]),
      [
        [1, 16],
        [2, 32],
      ],
    );
    w.win.close();
    tray.emit('click');
    assert.ok(w.win.isVisible() && w.win.isFocused());
    tray.emit('right-click');
    const popped = await waitFor('the menu', () => tray.poppedUp[0]);
    assert.deepEqual(popped.labels(), [TRAY_LABELS.open, TRAY_LABELS.send, TRAY_LABELS.visible, TRAY_LABELS.quit]);

    const mac = await launch({ desktop: { platform: 'darwin' }, overrides: { localsend: false } });
    const macTray = FakeTray.created.at(-1)!;
    assert.equal(macTray.image.template, true);
    assert.deepEqual(
      macTray.image.reps.map((r) => r.buffer),
      [Buffer.from(TRAY_PNG_BASE64.template16, 'base64'), Buffer.from(TRAY_PNG_BASE64.template32, 'base64')],
    );
    macTray.emit('click');
    await waitFor('the menu', () => macTray.poppedUp[0]);
    mac.win.close();
    assert.equal(mac.win.isVisible(), false, 'hidden; the app stays in the dock');
    mac.fake.app.emit('activate');
    assert.ok(mac.win.isVisible(), 'the dock icon brings it back');
    assert.ok(mac.fake.app.focusCalls > 0, 'and makes Ferry the active app');
  });

  test('the tray icon is the files in assets/ (run assets/tray/make-tray-icons.mjs after changing them)', async () => {
    const files: Record<keyof typeof TRAY_PNG_BASE64, string> = {
      colour16: 'assets/icons/16x16.png',
      colour32: 'assets/icons/32x32.png',
      template16: 'assets/tray/trayTemplate.png',
      template32: 'assets/tray/trayTemplate@2x.png',
    };
    for (const [name, file] of Object.entries(files) as Array<[keyof typeof TRAY_PNG_BASE64, string]>) {
      const bytes = Buffer.from(TRAY_PNG_BASE64[name], 'base64');
      assert.ok(bytes.equals(await fs.readFile(path.join(REPO, file))), `${name} is ${file}`);
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      assert.equal(bytes.readUInt32BE(16), name.endsWith('16') ? 16 : 32);
    }
  });
});

describe('starting at login', () => {
  test('Windows: the login item is set (with --hidden) when the setting changes, and only then', async () => {
    const a = await launch({ desktop: { platform: 'win32' } });
    assert.deepEqual(a.fake.app.loginItemCalls, [], 'the OS and the setting agree at start: nothing written');
    await a.engine.updateSettings({ desktop: { startAtLogin: true, closeToTray: true } });
    await waitFor('the login item', () => a.fake.app.loginItemCalls.length === 1);
    assert.deepEqual(a.fake.app.loginItemCalls, [{ openAtLogin: true, args: ['--hidden'] }]);
    await a.engine.updateSettings({ deviceName: 'Desk' });
    await waitFor('the rename to reach the host', () => stateEvents(a).some((e) => e.state.device.name === 'Desk'));
    assert.equal(a.fake.app.loginItemCalls.length, 1, 'other changes write nothing');
    await a.engine.updateSettings({ desktop: { startAtLogin: false, closeToTray: true } });
    await waitFor('the login item removed', () => a.fake.app.loginItemCalls.length === 2);
    assert.deepEqual(a.fake.app.loginItemCalls[1], { openAtLogin: false, args: ['--hidden'] });
  });

  test('macOS: the setting follows a login item switched on in the OS; a launch at login stays in the dock', async () => {
    const a = await launch({
      desktop: { platform: 'darwin' },
      prepare: (fake) => {
        fake.app.loginItem.openAtLogin = true;
        fake.app.loginItem.wasOpenedAtLogin = true;
      },
    });
    assert.equal(a.desktop.window(), null, 'opened at login: no window');
    await waitFor('the setting to follow the OS', async () => (await a.engine.getState()).settings.desktop?.startAtLogin === true);
    assert.deepEqual(a.fake.app.loginItemCalls, []);
    await a.engine.updateSettings({ desktop: { startAtLogin: false, closeToTray: true } });
    await waitFor('the login item removed', () => a.fake.app.loginItemCalls.length === 1);
    assert.deepEqual(a.fake.app.loginItemCalls, [{ openAtLogin: false }]);
  });

  test('Linux: an XDG autostart entry that runs Ferry with --hidden; one already there turns the setting on', async () => {
    const autostartDir = path.join(await tempDir(), 'autostart');
    const entry = path.join(autostartDir, 'ferry.desktop');
    await fs.mkdir(autostartDir);
    await fs.writeFile(entry, autostartEntry(['/old/place/Ferry.AppImage']));
    const a = await launch({ desktop: { autostartDir } });
    await waitFor('the setting to follow the entry', async () => (await a.engine.getState()).settings.desktop?.startAtLogin === true);
    const rewritten = await fs.readFile(entry, 'utf8');
    assert.match(rewritten, /^\[Desktop Entry\]\nType=Application\nName=Ferry\n/);
    assert.ok(rewritten.includes(`\nExec=${execArg(process.execPath)} --hidden\n`), 'the entry now starts this Ferry');

    await a.engine.updateSettings({ desktop: { startAtLogin: false, closeToTray: true } });
    await waitFor('the entry removed', async () => !(await fs.stat(entry).catch(() => null)));
    await a.engine.updateSettings({ desktop: { startAtLogin: true, closeToTray: true } });
    await waitFor('the entry back', async () => !!(await fs.stat(entry).catch(() => null)));
    assert.equal(a.fake.app.loginItemCalls.length, 0, 'Linux has no Electron login item');

    assert.equal(execArg('/opt/Ferry/ferry'), '/opt/Ferry/ferry');
    assert.equal(execArg('/home/me/My Apps/Ferry.AppImage'), '"/home/me/My Apps/Ferry.AppImage"');
    assert.equal(execArg('/a/$x"y`z'), '"/a/\\\\$x\\\\"y\\\\`z"', 'quoted, escaped, then escaped again as a string value');
    assert.equal(execArg('/a/100%'), '/a/100%%');
    assert.throws(() => execArg('/a/b\nExec=evil'));
    assert.deepEqual(launchCommand({ APPIMAGE: '/home/me/Ferry.AppImage' }, '/tmp/.mount_x/ferry', null), ['/home/me/Ferry.AppImage']);
    assert.deepEqual(launchCommand({}, '/usr/bin/electron', '/src/ferry'), ['/usr/bin/electron', '/src/ferry']);
  });

  test('a launch with --hidden starts in the tray, without a window, until a notification is clicked', async () => {
    const a = await launch({ desktop: { argv: ['/opt/Ferry/ferry', '--hidden'] } });
    assert.equal(a.desktop.window(), null);
    assert.ok(a.desktop.tray(), 'in the tray');
    const { b, aSeenByB } = await otherDevice(a);
    await b.sendText(aSeenByB.key, 'are you there?');
    const note = await waitFor('the offer notification', () =>
      FakeNotification.shown.find((n) => /wants to send you a message/.test(n.options.title ?? '')),
    );
    note.emit('click');
    const win = desktopWindow(a);
    win.emit('ready-to-show');
    assert.ok(win.isVisible() && win.isFocused(), 'the window comes up, in front');
    // Answered, so no send is left hanging for the cleanup.
    const [offer] = (await a.engine.getState()).offers;
    await a.engine.answerOffer(offer!.id, 'accept', null);
    await waitFor('the message', async () => (await a.engine.getState()).texts.some((t) => t.text === 'are you there?'));
    await waitFor('the send to finish', async () => (await b.getState()).transfers.some((t) => t.state === 'done'));

    // A start at login while Ferry already runs changes nothing.
    win.hide();
    a.fake.app.emit('second-instance', {}, ['/opt/Ferry/ferry', '--hidden'], '/');
    assert.equal(win.isVisible(), false);
  });
});

const desktopWindow = (a: Launched): FakeBrowserWindow => a.desktop.window() as unknown as FakeBrowserWindow;

describe('one instance: a second launch with files', () => {
  test('brings the window up and offers the files to the online devices; the one picked gets them', async () => {
    const a = await launch({ overrides: { localsend: false } });
    const { downloadDir } = await otherDevice(a);
    const src = await tempDir('ferry-electron-open-');
    await fs.writeFile(path.join(src, 'a.txt'), 'first\n');
    await fs.writeFile(path.join(src, 'b.txt'), 'second\n');
    a.win.close();
    a.fake.dialog.messageAnswers.push((o) => o.buttons!.indexOf('Laptop B'));
    a.fake.app.emit(
      'second-instance',
      {},
      ['/opt/Ferry/ferry', '--allow-file-access-from-files', 'a.txt', `file://${path.join(src, 'b.txt')}`, path.join(src, 'missing.txt')],
      src,
    );
    assert.ok(a.win.isVisible() && a.win.isFocused(), 'the first window comes up');
    const transferId = await a.desktop.offers()[0];
    assert.equal(typeof transferId, 'string');
    const [box] = a.fake.dialog.messageBoxes;
    assert.equal(box!.window, a.win, 'the dialog belongs to the window');
    assert.equal(box!.options.message, 'Send 2 files to…');
    assert.deepEqual(box!.options.buttons, ['Laptop B', 'Cancel']);
    assert.equal(box!.options.cancelId, 1);
    await waitFor('both files at Laptop B', async () => {
      const names = await fs.readdir(downloadDir).catch(() => [] as string[]);
      return names.includes('a.txt') && names.includes('b.txt');
    });
    assert.equal(await fs.readFile(path.join(downloadDir, 'b.txt'), 'utf8'), 'second\n');

    // Cancel sends nothing.
    const before = (await a.engine.getState()).transfers.length;
    a.fake.app.emit('second-instance', {}, ['/opt/Ferry/ferry', path.join(src, 'a.txt')], src);
    assert.equal(await a.desktop.offers()[1], null);
    assert.equal(a.fake.dialog.messageBoxes[1]!.options.message, 'Send “a.txt” to…');
    assert.equal((await a.engine.getState()).transfers.length, before);
  });

  test('with no device online it says so (after waiting a moment for one); files on the first launch are offered too', async () => {
    const src = await tempDir('ferry-electron-open-');
    await fs.mkdir(path.join(src, 'photos'));
    await fs.writeFile(path.join(src, 'x.txt'), 'x');
    const a = await launch({
      overrides: { localsend: false },
      desktop: { argv: ['/usr/bin/electron', '/src/ferry', 'photos', 'x.txt'], defaultApp: true, cwd: src, deviceWaitMs: 300 },
    });
    assert.equal(await a.desktop.offers()[0], null);
    const [box] = a.fake.dialog.messageBoxes;
    assert.equal(box!.options.message, 'No device to send 1 folder and 1 file to');
    assert.deepEqual(box!.options.buttons, ['OK']);
  });

  test('the command line: file URLs and relative paths, not switches or what does not exist', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'a b.txt'), '');
    await fs.mkdir(path.join(dir, 'folder'));
    assert.deepEqual(
      parseLaunchArgs(['/opt/Ferry/ferry', '--hidden', 'a b.txt', 'folder', `file://${path.join(dir, 'folder')}`, 'nope', '-x'], dir, 1),
      { hidden: true, paths: [path.join(dir, 'a b.txt'), path.join(dir, 'folder')] },
    );
    assert.deepEqual(
      parseLaunchArgs(['electron', dir], '/', 2),
      { hidden: false, paths: [] },
      'the app path of `electron <app>` is no file to send',
    );
    assert.equal(describePaths([path.join(dir, 'a b.txt'), path.join(dir, 'folder'), '/gone']), '1 folder and 2 files');
    assert.equal(deviceLabel({ name: 'Eve\u202Etxt.exe', protocol: 'ferry' }, false), 'Evetxt.exe', 'no direction overrides');
    assert.equal(deviceLabel({ name: 'Phone', protocol: 'localsend' }, false), 'Phone (LocalSend)');
    assert.equal(deviceLabel({ name: 'x'.repeat(60), protocol: 'ferry' }, false).length, 40);
  });
});
