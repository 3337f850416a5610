// Who may call the main process: only the top frame of Ferry's own window, showing Ferry's
// own page. The idea of VS Code's validatedIpcMain: a subframe, another window or a page
// that somehow got navigated elsewhere gets nothing, whatever it sends.

import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { isUiUrl } from './ui-protocol.js';

export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** Why the sender of `event` is refused, or null when it is Ferry's window's main frame on ferry://ui. */
export function senderRefusal(event: SenderEvent, win: BrowserWindow | null): string | null {
  if (!win || win.isDestroyed()) return 'no Ferry window';
  const contents = win.webContents;
  if (!event.sender || event.sender.id !== contents.id) return 'another web contents';
  const frame = event.senderFrame;
  // Null once the frame navigated away or was destroyed after sending.
  if (!frame) return 'the sending frame is gone';
  const main = contents.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return 'a subframe';
  if (!isUiUrl(frame.url)) return `a page outside Ferry's UI (${JSON.stringify(String(frame.url).slice(0, 200))})`;
  return null;
}
