// The desktop app's lifecycle: one instance per config folder (a second launch brings the
// window up and offers to send the files it was given), the engine started when Electron is
// ready and stopped (with a discovery goodbye) before it quits, one window. Closing the window
// leaves Ferry receiving in the tray unless settings.desktop.closeToTray is off; a launch at
// login (--hidden) starts there without a window. Electron comes in as a parameter, so tests
// drive all of this with a stub.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Electron from 'electron';
import { FerryApp, type FerryAppOptions } from '../../core/app/ferry-app.js';
import type { AppState, DesktopSettingsView } from '../../core/contract/index.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { toFerryError } from '../../core/errors.js';
import { createI18n, errorText, pickLanguage, type I18n } from '../../i18n/index.js';
import type { FerryHost } from './ferry-host.js';
import { hostActions } from './host-actions.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { DesktopLanguage, systemLanguages } from './language.js';
import { parseLaunchArgs } from './launch-args.js';
import { defaultAutostartDir, launchCommand, LoginItem } from './login-item.js';
import { Notifier } from './notifications.js';
import { offerToSend } from './send-dialog.js';
import { FerryTray } from './tray.js';
import { UI_SCHEME, UI_SCHEME_PRIVILEGES, uiRequestHandler } from './ui-protocol.js';
import { createMainWindow, denyPermissions, hardenWebContents } from './window.js';

export type ElectronApi = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'clipboard'
  | 'dialog'
  | 'ipcMain'
  | 'Menu'
  | 'nativeImage'
  | 'Notification'
  | 'protocol'
  | 'session'
  | 'shell'
  | 'Tray'
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
  /** This launch's command line (default process.argv): --hidden, and files to offer as a send. */
  argv?: string[];
  /** What relative paths on it are relative to (default process.cwd()). */
  cwd?: string;
  /** Run as `electron <app path>` (default process.defaultApp): the argument after the executable is the app. */
  defaultApp?: boolean;
  /** Linux: the XDG autostart folder "start at login" writes to (default ~/.config/autostart). */
  autostartDir?: string;
  /** How long files from the command line wait for a device to come online (default 5 s). */
  deviceWaitMs?: number;
}

export interface Desktop {
  /** Resolves true once the engine runs and the window is created; false when this instance bows out or cannot start. */
  readonly started: Promise<boolean>;
  readonly ferry: () => FerryHost | null;
  readonly window: () => Electron.BrowserWindow | null;
  /** The channels registered with ipcMain. */
  readonly channels: () => string[];
  /** Null before the engine runs, after quitting, or where the OS has no tray. */
  readonly tray: () => FerryTray | null;
  /** Offers of files from command lines, as they are settled (tests wait on them). */
  readonly offers: () => Array<Promise<string | null>>;
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
  const defaultApp = options.defaultApp ?? (process as { defaultApp?: boolean }).defaultApp === true;
  const argvSkip = defaultApp ? 2 : 1;
  const argv = options.argv ?? process.argv;

  let ferry: FerryHost | null = null;
  let win: Electron.BrowserWindow | null = null;
  let tray: FerryTray | null = null;
  let channels: string[] = [];
  // What the main process says itself (tray, notifications, dialogs): the language setting, else the system's.
  let language: DesktopLanguage | null = null;
  const words = (): I18n => language?.i18n ?? createI18n(pickLanguage(systemLanguages(app)));
  let started: Promise<boolean> = Promise.resolve(false);
  const offers: Array<Promise<string | null>> = [];
  const handle = (): Desktop => ({
    started,
    ferry: () => ferry,
    window: () => win,
    channels: () => channels,
    tray: () => tray,
    offers: () => offers,
  });

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

  // Set once quitting starts (Quit in the tray or the app menu, Cmd+Q, logging off): then
  // closing the window closes it instead of hiding it in the tray.
  let quitting = false;
  let desktopSettings: DesktopSettingsView | null = null;
  // Somewhere to come back from: the tray icon, or the dock on macOS.
  const hasTray = (): boolean => tray !== null || platform === 'darwin';
  const closesToTray = (): boolean => (desktopSettings?.closeToTray ?? true) && hasTray();

  const getWindow = (): Electron.BrowserWindow | null => (win && !win.isDestroyed() ? win : null);
  const showWindow = (): void => {
    if (!ferry) return; // still starting: the window comes when the engine is up
    // From the tray or a notification Ferry is not the active app; macOS brings windows of an
    // inactive app up behind the active one.
    if (platform === 'darwin') app.focus({ steal: true });
    const w = getWindow();
    if (!w) {
      // Shows itself (focused) on ready-to-show, without a blank frame first.
      win = createMainWindow(BrowserWindow, options.preloadPath ?? DEFAULT_PRELOAD);
      keepInTray(win);
      return;
    }
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  };
  const keepInTray = (w: Electron.BrowserWindow): void => {
    w.on('close', (event) => {
      if (quitting || !closesToTray()) return; // closing the last window quits (except on macOS)
      event.preventDefault();
      w.hide();
    });
    // Windows logging off or shutting down: the window must close, or it holds that up.
    w.on('session-end', () => void (quitting = true));
  };

  // Files from command lines (this one's, second launches') wait here while the engine starts.
  const pendingPaths: string[][] = [];
  const offer = (paths: string[]): void => {
    const engine = ferry;
    if (!engine) {
      pendingPaths.push(paths);
      return;
    }
    const offered = offerToSend(paths, {
      dialog,
      ferry: engine,
      getWindow,
      platform,
      waitMs: options.deviceWaitMs ?? 5000,
      i18n: words(),
    }).catch((err: unknown) => {
      log(`offering ${paths.length} path(s) to send failed: ${String(err)}`);
      return null;
    });
    offers.push(offered);
  };

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(
      contents,
      (url) => void shell.openExternal(url).catch((err: unknown) => log(`cannot open ${url}: ${String(err)}`)),
      log,
    ),
  );
  app.on('second-instance', (_event, secondArgv: string[] | undefined, workingDirectory: string | undefined) => {
    const launch = parseLaunchArgs(secondArgv ?? [], workingDirectory ?? options.cwd ?? process.cwd(), argvSkip);
    // A start at login while Ferry already runs: nothing to show.
    if (launch.hidden && launch.paths.length === 0) return;
    showWindow();
    if (launch.paths.length > 0) offer(launch.paths);
  });
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    // macOS apps conventionally stay alive in the dock with no window open (and keep receiving).
    if (platform !== 'darwin') app.quit();
  });

  // Quitting waits for the engine to stop, so discovery says goodbye and transfers end cleanly.
  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    quitting = true;
    tray?.destroy();
    tray = null;
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
    language = new DesktopLanguage(() => systemLanguages(app));

    const engine = await FerryApp.start({ ...options.ferry, desktop: true, configDir });
    if (stopping) {
      // Quit was asked for while the engine started.
      ferry = engine;
      return false;
    }
    ferry = engine;
    channels = registerIpc({
      ipcMain,
      ferry: engine,
      host: hostActions({ ferry: engine, dialog, shell, getWindow, i18n: words }),
      getWindow,
      log,
    });

    // Hidden in the tray (or never opened, after a start at login) counts as unattended.
    const notifier = new Notifier({
      Notification,
      isAttended: () => {
        const w = getWindow();
        return !!w && w.isVisible() && !w.isMinimized() && w.isFocused();
      },
      showWindow,
      i18n: words,
    });
    const state = await engine.getState();
    language.follow(state.settings.language);
    notifier.setEnabled(state.settings.notifications);
    desktopSettings = state.settings.desktop;
    forwardEvents(engine, getWindow);
    engine.onEvent((e) => notifier.handle(e));

    if (!quitting) tray = createTray(engine, state);
    const loginItem = new LoginItem({
      app,
      platform,
      autostartDir: options.autostartDir ?? defaultAutostartDir(),
      command: launchCommand(process.env, process.execPath, defaultApp && argv[1] ? path.resolve(argv[1]) : null),
      log,
    });
    if (desktopSettings) {
      const fromOs = loginItem.init(desktopSettings.startAtLogin);
      if (fromOs !== null) {
        log(`the OS ${fromOs ? 'starts' : 'no longer starts'} Ferry at login: the setting follows`);
        void engine
          .updateSettings({ desktop: { ...desktopSettings, startAtLogin: fromOs } })
          .catch((err: unknown) => log(`cannot update the start-at-login setting: ${String(err)}`));
      }
    }
    engine.onEvent((e) => {
      if (e.type !== 'state') return;
      desktopSettings = e.state.settings.desktop;
      // A new language: the tray's menu is made again in it (update), later notifications speak it.
      language?.follow(e.state.settings.language);
      tray?.update(e.state);
      if (desktopSettings) loginItem.apply(desktopSettings.startAtLogin);
    });

    // Started at login: stay in the tray (where there is one; the dock on macOS) until asked.
    const launch = parseLaunchArgs(argv, options.cwd ?? process.cwd(), argvSkip);
    const hidden = (launch.hidden || loginItem.openedAtLogin()) && hasTray();
    if (!hidden || launch.paths.length > 0 || pendingPaths.length > 0) showWindow();
    if (launch.paths.length > 0) offer(launch.paths);
    for (const paths of pendingPaths.splice(0)) offer(paths);
    return true;
  };

  const createTray = (engine: FerryHost, state: AppState): FerryTray | null => {
    try {
      return new FerryTray(
        {
          Tray: electron.Tray,
          Menu: electron.Menu,
          nativeImage: electron.nativeImage,
          clipboard: electron.clipboard,
          platform,
          ferry: engine,
          openWindow: showWindow,
          quit: () => app.quit(),
          i18n: words,
          report: (title, message) =>
            void dialog
              .showMessageBox({
                type: 'error',
                title: 'Ferry',
                message: title,
                detail: message,
                buttons: [words().t('desktop.dialog.ok')],
                noLink: true,
              })
              .catch((err: unknown) => log(`${title}: ${message} (${String(err)})`)),
        },
        state,
      );
    } catch (err) {
      // Closing the window then quits, and a start at login shows the window.
      log(`no tray icon: ${String(err)}`);
      return null;
    }
  };

  started = start().catch((err: unknown) => {
    log(`cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const i18n = words();
    dialog.showErrorBox(i18n.t('desktop.dialog.cannotStart'), errorText(i18n, toFerryError(err)));
    app.quit();
    return false;
  });
  return handle();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
