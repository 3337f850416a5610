// The bridge between the sandboxed renderer and the main process: window.ferry is exactly
// the contract's FerryBridge (checked by `satisfies`), never raw ipcRenderer. A sandboxed
// preload may require nothing but 'electron', so everything else here is types, or constants
// the bundler inlines (see vite.preload.config.ts).

import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { CommandName, Commands, DroppedFile, FerryBridge, UiEvent } from '../main/core/contract.js';
import { COMMAND_CHANNELS, EVENT_CHANNEL, HOST_CHANNELS, type ErrorView, type HostCallName, type HostCalls, type IpcReply } from '../main/electron/channels.js';

/**
 * A failed call rejects with a plain {code, message} object rather than an Error: the
 * contextBridge copies only an Error's message across worlds, and the code is what the UI
 * acts on.
 */
async function call<T>(channel: string, args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply<T>;
  if (reply.ok) return reply.value;
  throw { code: reply.error.code, message: reply.error.message } satisfies ErrorView;
}

const command =
  <K extends CommandName>(name: K) =>
  (...args: Parameters<Commands[K]>): Promise<Awaited<ReturnType<Commands[K]>>> =>
    call(COMMAND_CHANNELS[name], args);

const hostCall =
  <K extends HostCallName>(name: K) =>
  (...args: Parameters<HostCalls[K]>): ReturnType<HostCalls[K]> =>
    call(HOST_CHANNELS[name], args) as ReturnType<HostCalls[K]>;

/**
 * Paths for what was dropped. A file from inside a dropped folder ("holiday/img1.jpg") stands
 * for its top-level folder: the folder's path is sent once, so the sender walks it itself and
 * the receiver gets the folder as it is, empty subfolders included, instead of thousands of
 * loose paths. When a file's path does not end in its relative path (a link resolved
 * elsewhere), the file itself is sent.
 */
function droppedPaths(files: DroppedFile[], pathOf: (file: File) => string): string[] {
  const out = new Set<string>();
  for (const { file, relativePath } of files) {
    const full = pathOf(file);
    if (!full) continue; // not a file on this computer (made up in the page)
    out.add(topFolder(full, relativePath) ?? full);
  }
  return [...out];
}

function topFolder(full: string, relativePath: string): string | null {
  const parts = relativePath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length < 2) return null;
  for (const sep of ['/', '\\']) {
    const below = sep + parts.slice(1).join(sep);
    if (full.endsWith(below)) {
      const folder = full.slice(0, full.length - below.length);
      if (folder.endsWith(sep + parts[0]) || folder === parts[0]) return folder;
    }
  }
  return null;
}

const bridge = {
  host: { kind: 'electron', nativePickers: true, openFiles: true },

  getState: command('getState'),
  getDiscoveryStatus: command('getDiscoveryStatus'),
  getHistory: command('getHistory'),
  getTransferFiles: command('getTransferFiles'),
  sendPaths: command('sendPaths'),
  answerOffer: command('answerOffer'),
  cancelTransfer: command('cancelTransfer'),
  retryTransfer: command('retryTransfer'),
  dismissTransfer: command('dismissTransfer'),
  clearHistory: command('clearHistory'),
  addManualPeer: command('addManualPeer'),
  removeManualPeer: command('removeManualPeer'),
  untrustDevice: command('untrustDevice'),
  updateSettings: command('updateSettings'),
  setSecret: command('setSecret'),
  generateSecret: command('generateSecret'),

  async sendDropped(peerKey, files) {
    // File.path is gone since Electron 32; webUtils is the way from a File to its path.
    const paths = droppedPaths(Array.from(files), (f) => webUtils.getPathForFile(f));
    if (paths.length === 0) {
      throw { code: 'IO_ERROR', message: 'nothing to send: what was dropped is not a file on this computer' } satisfies ErrorView;
    }
    return call(COMMAND_CHANNELS.sendPaths, [peerKey, paths]);
  },
  pickAndSend: hostCall('pickAndSend'),
  openReceived: hostCall('openReceived'),
  pickFolder: hostCall('pickFolder'),

  onEvent(listener) {
    // The renderer gets the UiEvent only, never the IpcRendererEvent (it carries `sender`).
    const forward = (_event: IpcRendererEvent, e: UiEvent): void => listener(e);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
} satisfies FerryBridge;

contextBridge.exposeInMainWorld('ferry', bridge);
