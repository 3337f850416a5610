// The desktop app's lifecycle: one instance per config folder, the engine started when
// Electron is ready and stopped (with a discovery goodbye) before it quits, one window.
// Electron comes in as a parameter, so tests drive all of this with a stub.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Electron from 'electron';
import { FerryApp, type FerryAppOptions } from '../../core/app/ferry-app.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import type { FerryHost } from './ferry-host.js';
import { hostActions } from './host-actions.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { Notifier } from './notifications.js';
import { UI_SCHEME, UI_SCHEME_PRIVILEGES, uiRequestHandler } from './ui-protocol.js';
import { createMainWindow, denyPermissions, hardenWebContents } from './window.js';

export type ElectronApi = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Notification' | 'protocol' | 'session' | 'shell'
>;

export interface DesktopOptions {
  /** Default: core's defaultConfigDir(), the folder the CLI uses too (one identity per user). */
  configDir?: string;
  /** The built renderer (default dist/renderer) and preload (default dist/preload/index.js). */
  rendererDir?: string;
  preloadPath?: string;
  /** Passed to FerryApp.start (tests: loopback discovery, port 0, a temp download folder). */
  ferry?: Omit<FerryAppOptions, 'configDir'>;
  /** How long quitting waits for the engine's goodbye. */
  stopTimeoutMs?: number;
  log?: (message: string) => void;
  platform?: NodeJS.Platform;
}

export interface Desktop {
  /** Resolves true once the engine runs and the window is created; false when this instance bows out or cannot start. */
  readonly started: Promise<boolean>;
  readonly ferry: () => FerryHost | null;
  readonly window: () => Electron.BrowserWindow | null;
  /** The channels registered with ipcMain. */
  readonly channels: () => string[];
}

// Resolved from this file's place in dist/ (dist/main/hosts/electron/desktop.js) so the paths hold
// both when run from the repo and from inside a packaged asar.
const DEFAULT_PRELOAD = fileURLToPath(new URL('../../../preload/index.js', import.meta.url));
const DEFAULT_RENDERER = fileURLToPath(new URL('../../../renderer/', import.meta.url));

export function startDesktop(electron: ElectronApi, options: DesktopOptions = {}): Desktop {
  const { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session, shell } = electron;
  const log = options.log ?? ((m: string) => console.warn(`[ferry] ${m}`));
  const platform = options.platform ?? process.platform;
  const configDir = options.configDir ?? defaultConfigDir();

  let ferry: FerryHost | null = null;
  let win: Electron.BrowserWindow | null = null;
  let channels: string[] = [];
  let started: Promise<boolean> = Promise.resolve(false);
  const handle = (): Desktop => ({ started, ferry: () => ferry, window: () => win, channels: () => channels });

  // Chromium's own data (cache, storage) goes in a folder of its own inside Ferry's config
  // folder. The single-instance lock is keyed on it: one app per config folder, since two
  // engines on one identity would fight over the port and the settings file.
  const userData = path.join(configDir, 'electron');
  try {
    fs.mkdirSync(userData, { recursive: true, mode: 0o700 });
    app.setPath('userData', userData);
  } catch (err) {
    // Electron's default folder then; the engine reports the unusable config folder below.
    log(`cannot use ${userData}: ${String(err)}`);
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return handle();
  }

  // Every renderer is sandboxed, including any a later change creates without remembering the flag.
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([UI_SCHEME_PRIVILEGES]);

  const getWindow = (): Electron.BrowserWindow | null => (win && !win.isDestroyed() ? win : null);
  const showWindow = (): void => {
    if (!ferry) return; // still starting: the window comes when the engine is up
    const w = getWindow();
    if (!w) {
      // Shows itself (focused) on ready-to-show, without a blank frame first.
      win = createMainWindow(BrowserWindow, options.preloadPath ?? DEFAULT_PRELOAD);
      return;
    }
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  };

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(
      contents,
      (url) => void shell.openExternal(url).catch((err: unknown) => log(`cannot open ${url}: ${String(err)}`)),
      log,
    ),
  );
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    // macOS apps conventionally stay alive in the dock with no window open (and keep receiving).
    if (platform !== 'darwin') app.quit();
  });

  // Quitting waits for the engine to stop, so discovery says goodbye and transfers end cleanly.
  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void stopEngine().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  const stopEngine = async (): Promise<void> => {
    await Promise.race([started, delay(options.stopTimeoutMs ?? 3000)]);
    const engine = ferry;
    if (!engine) return;
    await Promise.race([
      engine.stop().catch((err: unknown) => log(`stopping the engine failed: ${String(err)}`)),
      delay(options.stopTimeoutMs ?? 3000),
    ]);
  };

  const start = async (): Promise<boolean> => {
    await app.whenReady();
    denyPermissions(session.defaultSession);
    protocol.handle(UI_SCHEME, uiRequestHandler(options.rendererDir ?? DEFAULT_RENDERER));

    const engine = await FerryApp.start({ ...options.ferry, configDir });
    if (stopping) {
      // Quit was asked for while the engine started.
      ferry = engine;
      return false;
    }
    ferry = engine;
    channels = registerIpc({ ipcMain, ferry: engine, host: hostActions({ ferry: engine, dialog, shell, getWindow }), getWindow, log });

    const notifier = new Notifier({
      Notification,
      isAttended: () => {
        const w = getWindow();
        return !!w && w.isVisible() && !w.isMinimized() && w.isFocused();
      },
      showWindow,
    });
    notifier.setEnabled((await engine.getState()).settings.notifications);
    forwardEvents(engine, getWindow);
    engine.onEvent((e) => notifier.handle(e));

    showWindow();
    return true;
  };

  started = start().catch((err: unknown) => {
    log(`cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    dialog.showErrorBox('Ferry cannot start', err instanceof Error ? err.message : String(err));
    app.quit();
    return false;
  });
  return handle();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
