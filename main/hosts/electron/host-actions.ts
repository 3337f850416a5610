// What the desktop host does beyond the engine: native pickers, and opening or showing a
// received file. A path only reaches `shell` when FerryApp.resolveReceived vouches for it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserWindow, Dialog, OpenDialogOptions, Shell } from 'electron';
import { FerryError } from '../../core/errors.js';
import type { I18n } from '../../i18n/index.js';
import type { HostCallName, HostCalls } from './channels.js';
import type { FerryHost } from './ferry-host.js';
import { ENGLISH } from './language.js';

export type HostActions = { [K in HostCallName]: (...args: Parameters<HostCalls[K]>) => ReturnType<HostCalls[K]> };

export interface HostActionDeps {
  ferry: FerryHost;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  shell: Pick<Shell, 'openPath' | 'showItemInFolder' | 'openExternal'>;
  getWindow: () => BrowserWindow | null;
  /** The language of the pickers' titles and buttons (default English). */
  i18n?: () => I18n;
}

// Opening one of these runs it (or installs, or mounts and offers to run it). A file from the
// network gets shown in its folder instead, where the user decides with the OS's own warnings.
const RUNNABLE = new Set([
  // Windows
  'exe',
  'com',
  'bat',
  'cmd',
  'scr',
  'pif',
  'cpl',
  'msi',
  'msp',
  'msix',
  'appx',
  'lnk',
  'url',
  'reg',
  'inf',
  'scf',
  'ps1',
  'psm1',
  'vbs',
  'vbe',
  'js',
  'jse',
  'wsf',
  'wsh',
  'hta',
  'jar',
  'application',
  'appref-ms',
  'settingcontent-ms',
  // macOS
  'app',
  'command',
  'tool',
  'pkg',
  'mpkg',
  'terminal',
  'workflow',
  'scpt',
  'applescript',
  'webloc',
  'fileloc',
  'inetloc',
  // Linux and Unix
  'desktop',
  'appimage',
  'sh',
  'bash',
  'zsh',
  'csh',
  'run',
  'bin',
  'deb',
  'rpm',
  'snap',
  'flatpakref',
]);

/** Whether opening `file` could run code rather than show a document. */
export function isRunnable(file: string, platform: NodeJS.Platform = process.platform): boolean {
  const ext = path.extname(file).slice(1).toLowerCase();
  if (RUNNABLE.has(ext)) return true;
  if (platform === 'win32') return false;
  try {
    const st = fs.statSync(file);
    // An executable file without a telling extension (macOS `open` runs scripts in Terminal).
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Whether a path exists and is a regular file or folder (checked before opening it). */
function existsPlain(p: string): boolean {
  try {
    const st = fs.lstatSync(p);
    return st.isFile() || st.isDirectory();
  } catch {
    return false;
  }
}

export function hostActions(deps: HostActionDeps): HostActions {
  const words = (): I18n => deps.i18n?.() ?? ENGLISH;
  const pick = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = deps.getWindow();
    const result = win && !win.isDestroyed() ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };

  return {
    async pickAndSend(peerKey, kind) {
      const i18n = words();
      const paths = await pick(
        kind === 'files'
          ? {
              title: i18n.t('desktop.pick.sendFiles'),
              buttonLabel: i18n.t('desktop.pick.send'),
              properties: ['openFile', 'multiSelections'],
            }
          : {
              title: i18n.t('desktop.pick.sendFolder'),
              buttonLabel: i18n.t('desktop.pick.send'),
              properties: ['openDirectory', 'multiSelections'],
            },
      );
      if (paths.length === 0) return null;
      return deps.ferry.sendPaths(peerKey, paths);
    },

    async pickFolder() {
      const i18n = words();
      const [dir] = await pick({
        title: i18n.t('desktop.pick.downloadFolder'),
        buttonLabel: i18n.t('desktop.pick.choose'),
        properties: ['openDirectory', 'createDirectory'],
      });
      return dir ?? null;
    },

    async openReceived(transferId, savedAs, how) {
      const file = deps.ferry.resolveReceived(transferId, savedAs);
      if (!file) throw new FerryError('PATH_UNSAFE', 'that is not a file this device received');
      if (!existsPlain(file)) throw new FerryError('IO_ERROR', 'the file is no longer there (moved or deleted?)');
      if (how === 'show' || isRunnable(file)) {
        deps.shell.showItemInFolder(file);
        return;
      }
      const failure = await deps.shell.openPath(file);
      if (failure) throw new FerryError('IO_ERROR', failure);
    },

    async openTextLink(textId) {
      // Only a link that arrived as a text message, and only http(s) (texts.ts linkOf): the page
      // cannot make the OS open anything else.
      const url = deps.ferry.receivedLink(textId);
      if (!url) throw new FerryError('NOT_FOUND', 'that message is not a link, or is no longer listed');
      await deps.shell.openExternal(url);
    },
  };
}
