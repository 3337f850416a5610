// The IPC edge of the desktop app: one ipcMain.handle per contract command and per host call,
// each refusing any sender but Ferry's own window (sender.ts), then checking the arguments
// against the call's table (checkCall) before anything runs. Replies are IpcReply envelopes:
// errors travel as {code, message}, never as stacks. Events go the other way on one channel.

import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { checkCall, invoke } from '../../core/app/validate-call.js';
import { COMMAND_NAMES, COMMANDS, HOST_CALL_NAMES, HOST_CALLS } from '../../core/contract/commands.js';
import type { UiEvent } from '../../core/contract/index.js';
import { toFerryError } from '../../core/errors.js';
import { COMMAND_CHANNELS, EVENT_CHANNEL, HOST_CHANNELS, type IpcReply } from './channels.js';
import type { FerryHost } from './ferry-host.js';
import type { HostActions } from './host-actions.js';
import { senderRefusal } from './sender.js';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>;
  ferry: FerryHost;
  host: HostActions;
  getWindow: () => BrowserWindow | null;
  log: (message: string) => void;
}

/** Registers every handler; returns the channels registered (in order). */
export function registerIpc(deps: IpcDeps): string[] {
  const channels: string[] = [];
  const handle = (channel: string, run: (args: unknown[]) => Promise<unknown>): void => {
    channels.push(channel);
    deps.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<IpcReply> => {
      const refusal = senderRefusal(event, deps.getWindow());
      if (refusal !== null) {
        deps.log(`ipc: refused ${channel} from ${describeSender(event)}: ${refusal}`);
        return { ok: false, error: { code: 'BAD_MESSAGE', message: 'refused: this request did not come from the Ferry window' } };
      }
      try {
        return { ok: true, value: await run(args) };
      } catch (err) {
        const e = toFerryError(err);
        if (e.code === 'INTERNAL') deps.log(`ipc: ${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return { ok: false, error: { code: e.code, message: e.message } };
      }
    });
  };

  for (const name of COMMAND_NAMES) {
    handle(COMMAND_CHANNELS[name], (args) => invoke(deps.ferry, checkCall(COMMANDS, name, args)));
  }
  for (const name of HOST_CALL_NAMES) {
    handle(HOST_CHANNELS[name], (args) => invoke(deps.host, checkCall(HOST_CALLS, name, args)));
  }
  return channels;
}

/**
 * Pushes every engine event to the window. Progress arrives here already throttled: FerryApp
 * coalesces state pushes (a few a second), so nothing here runs per chunk.
 */
export function forwardEvents(ferry: Pick<FerryHost, 'onEvent'>, getWindow: () => BrowserWindow | null): () => void {
  return ferry.onEvent((e: UiEvent) => {
    const win = getWindow();
    if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(EVENT_CHANNEL, e);
  });
}

function describeSender(event: IpcMainInvokeEvent): string {
  let url = '?';
  try {
    url = event.senderFrame?.url ?? 'a destroyed frame';
  } catch {
    // Reading a frame that is being torn down can throw.
  }
  return `web contents ${event.sender?.id ?? '?'}, ${JSON.stringify(url.slice(0, 200))}`;
}
