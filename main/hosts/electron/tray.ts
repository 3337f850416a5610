// The tray (menu bar) icon that keeps Ferry at hand while its window is closed and it goes on
// receiving: Open Ferry, Send clipboard ▸ (the online devices), Visible to others (the
// announce setting), Quit Ferry. Windows and macOS open a menu built afresh each time, so
// "Send clipboard" knows whether the clipboard holds text at that moment; Linux's indicators
// only show a menu set beforehand, so there it is set again whenever what it shows changes.
// Only whether the clipboard holds text is looked at (clipboard.has), until a device is
// picked: then its text is read and sent.

import type { Clipboard, Menu, MenuItemConstructorOptions, nativeImage, Tray } from 'electron';
import type { AppState } from '../../core/contract/index.js';
import { toFerryError } from '../../core/errors.js';
import { errorText, languageOf, type I18n } from '../../i18n/index.js';
import { deviceLabel, onlineDevices } from './device-label.js';
import type { FerryHost } from './ferry-host.js';
import { ENGLISH } from './language.js';
import { trayImage } from './tray-icon.js';

export interface TrayLabels {
  open: string;
  send: string;
  noDevice: string;
  visible: string;
  quit: string;
}

/** The menu's words in the language of `i18n`. */
export function trayLabels(i18n: I18n): TrayLabels {
  return {
    open: i18n.t('desktop.tray.open'),
    send: i18n.t('desktop.tray.send'),
    noDevice: i18n.t('desktop.tray.noDevice'),
    visible: i18n.t('desktop.tray.visible'),
    quit: i18n.t('desktop.tray.quit'),
  };
}

/** The menu's words in English (tests pick items by them). */
export const TRAY_LABELS: Readonly<TrayLabels> = trayLabels(ENGLISH);

export interface TrayModel {
  devices: Array<{ key: string; label: string }>;
  announce: boolean;
  /** Fixed by the command line that started Ferry: shown, not changeable. */
  announceFixed: boolean;
  clipboardHasText: boolean;
}

export interface TrayActions {
  open(): void;
  sendClipboard(peerKey: string): void;
  setVisible(visible: boolean): void;
  quit(): void;
}

export function trayMenuTemplate(model: TrayModel, actions: TrayActions, labels: TrayLabels = TRAY_LABELS): MenuItemConstructorOptions[] {
  const devices: MenuItemConstructorOptions[] =
    model.devices.length > 0
      ? model.devices.map((d) => ({ label: d.label, click: () => actions.sendClipboard(d.key) }))
      : [{ label: labels.noDevice, enabled: false }];
  return [
    { label: labels.open, click: () => actions.open() },
    { type: 'separator' },
    { label: labels.send, enabled: model.clipboardHasText && model.devices.length > 0, submenu: devices },
    {
      label: labels.visible,
      type: 'checkbox',
      checked: model.announce,
      enabled: !model.announceFixed,
      click: (item) => actions.setVisible(item.checked),
    },
    { type: 'separator' },
    { label: labels.quit, click: () => actions.quit() },
  ];
}

export interface TrayDeps {
  Tray: typeof Tray;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  nativeImage: Pick<typeof nativeImage, 'createFromBuffer'>;
  clipboard: Pick<Clipboard, 'readText' | 'has'>;
  platform: NodeJS.Platform;
  ferry: Pick<FerryHost, 'sendText' | 'updateSettings'>;
  openWindow(): void;
  quit(): void;
  /** Something the user asked for from the tray failed: told in a dialog, there may be no window. */
  report(title: string, message: string): void;
  /** The language in force (default English): the menu is made in it each time. */
  i18n?: () => I18n;
}

type TrayState = Pick<AppState, 'peers' | 'settings'>;

export class FerryTray {
  private readonly tray: Tray;
  private state: TrayState;
  /** Linux: what the menu set on the tray shows, to set it again only when that changes. */
  private installed = '';
  /** Linux: menus are made asynchronously (the clipboard answers with a promise); only the latest is set. */
  private generation = 0;

  constructor(
    private readonly deps: TrayDeps,
    state: TrayState,
  ) {
    this.state = state;
    this.tray = new deps.Tray(trayImage(deps.nativeImage, deps.platform));
    this.tray.setToolTip('Ferry');
    const popUp = (): void =>
      void this.menu().then((menu) => {
        if (!this.tray.isDestroyed()) this.tray.popUpContextMenu(menu);
      });
    if (deps.platform === 'linux') {
      void this.install();
      this.tray.on('click', () => deps.openWindow()); // GtkStatusIcon only: indicators open the menu
    } else if (deps.platform === 'darwin') {
      this.tray.on('click', popUp);
      this.tray.on('right-click', popUp);
    } else {
      this.tray.on('click', () => deps.openWindow());
      this.tray.on('right-click', popUp);
    }
  }

  private i18n(): I18n {
    return this.deps.i18n?.() ?? ENGLISH;
  }

  /** The engine's state changed (a 'state' event): devices came or went, a setting changed (the language too). */
  update(state: TrayState): void {
    this.state = state;
    if (this.deps.platform === 'linux') void this.install();
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  /** A menu for what holds now. */
  async menu(): Promise<Menu> {
    const model = await this.model();
    return this.deps.Menu.buildFromTemplate(trayMenuTemplate(model, this.actions, trayLabels(this.i18n())));
  }

  async model(): Promise<TrayModel> {
    const escape = this.deps.platform !== 'darwin';
    return {
      devices: onlineDevices(this.state.peers).map((p) => ({ key: p.key, label: deviceLabel(p, escape, this.i18n()) })),
      announce: this.state.settings.announce,
      announceFixed: this.state.settings.fixed.includes('announce'),
      clipboardHasText: await this.clipboardHasText(),
    };
  }

  private async clipboardHasText(): Promise<boolean> {
    try {
      return await this.deps.clipboard.has('text/plain');
    } catch {
      return false;
    }
  }

  /** Resolves once the menu on the tray is current (tests wait on it). */
  async install(force = false): Promise<void> {
    const generation = ++this.generation;
    const model = await this.model();
    const i18n = this.i18n();
    // A change of language alone makes the menu again too.
    const key = JSON.stringify({ model, language: languageOf(i18n) });
    if (generation !== this.generation || this.tray.isDestroyed() || (!force && key === this.installed)) return;
    this.installed = key;
    this.tray.setContextMenu(this.deps.Menu.buildFromTemplate(trayMenuTemplate(model, this.actions, trayLabels(i18n))));
  }

  /** Resolves with the transfer id, or null when nothing was sent (the user was told why). */
  async sendClipboard(peerKey: string): Promise<string | null> {
    try {
      const text = await this.deps.clipboard.readText();
      if (!text) {
        this.deps.report(this.i18n().t('desktop.report.nothingToSend'), this.i18n().t('desktop.report.clipboardEmpty'));
        return null;
      }
      return (await this.deps.ferry.sendText(peerKey, text)).transferId;
    } catch (err) {
      this.deps.report(this.i18n().t('desktop.report.cannotSendClipboard'), errorText(this.i18n(), toFerryError(err)));
      return null;
    }
  }

  private readonly actions: TrayActions = {
    open: () => this.deps.openWindow(),
    quit: () => this.deps.quit(),
    sendClipboard: (peerKey) => void this.sendClipboard(peerKey),
    setVisible: (visible) => {
      this.deps.ferry.updateSettings({ announce: visible }).catch((err: unknown) => {
        // The menu shows the tick the click set; put back the one that holds.
        if (this.deps.platform === 'linux') void this.install(true);
        this.deps.report(this.i18n().t('desktop.report.cannotChangeVisibility'), errorText(this.i18n(), toFerryError(err)));
      });
    },
  };
}
