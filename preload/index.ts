// The bridge between the sandboxed renderer and the main process: window.ferry is exactly
// the contract's FerryBridge (checked by `satisfies`), never raw ipcRenderer; its calls are
// made from the call tables, one channel each. A sandboxed preload may require nothing but
// 'electron', so everything else here is types, or the tables and channel names the bundler
// inlines (see vite.preload.config.ts).

import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { COMMANDS, HOST_CALLS, remote } from '../main/core/contract/commands.js';
import type { Commands, DroppedFile, ErrorView, FerryBridge, HostCalls, UiEvent } from '../main/core/contract/index.js';
import { COMMAND_CHANNELS, EVENT_CHANNEL, HOST_CHANNELS, type IpcReply } from '../main/hosts/electron/channels.js';

/**
 * A failed call rejects with a plain {code, message} object rather than an Error: the
 * contextBridge copies only an Error's message across worlds, and the code is what the UI
 * acts on.
 */
async function call<T>(channel: string, args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply<T>;
  if (reply.ok) return reply.value;
  // oxlint-disable-next-line typescript/only-throw-error -- an Error would lose its code crossing the context bridge (see above)
  throw { code: reply.error.code, message: reply.error.message } satisfies ErrorView;
}

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

  ...remote<Commands>(COMMANDS, (name, args) => call(COMMAND_CHANNELS[name], args)),
  ...remote<HostCalls>(HOST_CALLS, (name, args) => call(HOST_CHANNELS[name], args)),

  async sendDropped(peerKey, files) {
    // File.path is gone since Electron 32; webUtils is the way from a File to its path.
    const paths = droppedPaths(Array.from(files), (f) => webUtils.getPathForFile(f));
    if (paths.length === 0) {
      // oxlint-disable-next-line typescript/only-throw-error -- as in call(): the code must cross the context bridge
      throw { code: 'IO_ERROR', message: 'nothing to send: what was dropped is not a file on this computer' } satisfies ErrorView;
    }
    return call(COMMAND_CHANNELS.sendPaths, [peerKey, paths]);
  },

  // Paths go over at once: there is no upload to cancel.
  cancelUpload() {},

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
