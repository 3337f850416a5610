// Files handed to Ferry on its command line (a second launch, "Open with Ferry") are offered
// as a send in a native dialog: a button per online device (the first five by name) and
// Cancel. Nothing goes anywhere without that click. When no device is online yet (Ferry just
// started), it waits a few seconds for one before saying so.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import type { PeerView } from '../../core/contract/index.js';
import { toFerryError } from '../../core/errors.js';
import { errorText, type I18n } from '../../i18n/index.js';
import { deviceLabel, onlineDevices } from './device-label.js';
import type { FerryHost } from './ferry-host.js';
import { ENGLISH } from './language.js';

export const MAX_DEVICE_BUTTONS = 5;

export interface SendDialogDeps {
  dialog: Pick<Dialog, 'showMessageBox'>;
  ferry: Pick<FerryHost, 'getState' | 'sendPaths' | 'onEvent'>;
  getWindow: () => BrowserWindow | null;
  platform: NodeJS.Platform;
  /** How long to wait for a device to come online when none is. */
  waitMs: number;
  /** The language of the dialogs (default English). */
  i18n?: I18n;
}

/** "“holiday.jpg”", "3 files", "2 folders and 1 file". */
export function describePaths(paths: readonly string[], i18n: I18n = ENGLISH): string {
  if (paths.length === 1) return i18n.t('desktop.send.one', { name: path.basename(paths[0]!) });
  let dirs = 0;
  for (const p of paths) {
    try {
      if (fs.statSync(p).isDirectory()) dirs++;
    } catch {
      // Gone since: counted as a file; the send reports it.
    }
  }
  const files = paths.length - dirs;
  const folderText = i18n.t('common.count.folders', { count: dirs });
  const fileText = i18n.t('common.count.files', { count: files });
  if (dirs > 0 && files > 0) return i18n.t('desktop.send.foldersAndFiles', { folders: folderText, files: fileText });
  return dirs > 0 ? folderText : files > 0 ? fileText : '';
}

/** Asks which device gets `paths` and sends them there; resolves with the transfer id, or null when nothing was sent. */
export async function offerToSend(paths: readonly string[], deps: SendDialogDeps): Promise<string | null> {
  const devices = await onlineSoon(deps);
  const shown = devices.slice(0, MAX_DEVICE_BUTTONS);
  const i18n = deps.i18n ?? ENGLISH;
  const t = i18n.t.bind(i18n);
  const what = describePaths(paths, i18n);
  const ask = (options: MessageBoxOptions) => {
    const win = deps.getWindow();
    return win && !win.isDestroyed() && win.isVisible() ? deps.dialog.showMessageBox(win, options) : deps.dialog.showMessageBox(options);
  };
  if (shown.length === 0) {
    await ask({
      type: 'info',
      title: 'Ferry',
      message: t('desktop.send.noDeviceMessage', { what }),
      detail: t('desktop.send.noDeviceDetail'),
      buttons: [t('desktop.dialog.ok')],
      cancelId: 0,
      noLink: true,
    });
    return null;
  }
  const { response } = await ask({
    type: 'question',
    title: 'Ferry',
    message: t('desktop.send.message', { what }),
    detail:
      devices.length > shown.length
        ? t('desktop.send.detailMore', { online: devices.length, shown: shown.length })
        : t('desktop.send.detailChoose'),
    buttons: [...shown.map((d) => deviceLabel(d, deps.platform === 'win32', i18n)), t('common.actions.cancel')],
    cancelId: shown.length,
    defaultId: shown.length === 1 ? 0 : shown.length,
    noLink: true,
  });
  const device = shown[response];
  if (!device) return null;
  try {
    return (await deps.ferry.sendPaths(device.key, [...paths])).transferId;
  } catch (err) {
    await ask({
      type: 'error',
      title: 'Ferry',
      message: t('desktop.send.failed', { what, device: deviceLabel(device, false, i18n) }),
      detail: errorText(i18n, toFerryError(err)),
      buttons: [t('desktop.dialog.ok')],
      cancelId: 0,
      noLink: true,
    });
    return null;
  }
}

/** The online devices, waiting up to waitMs for the first one when there is none. */
async function onlineSoon(deps: SendDialogDeps): Promise<PeerView[]> {
  const now = onlineDevices((await deps.ferry.getState()).peers);
  if (now.length > 0 || deps.waitMs <= 0) return now;
  return new Promise((resolve) => {
    const done = (devices: PeerView[]): void => {
      clearTimeout(timer);
      off();
      resolve(devices);
    };
    const off = deps.ferry.onEvent((e) => {
      if (e.type !== 'state') return;
      const online = onlineDevices(e.state.peers);
      if (online.length > 0) done(online);
    });
    const timer = setTimeout(() => done([]), deps.waitMs);
    timer.unref();
  });
}
