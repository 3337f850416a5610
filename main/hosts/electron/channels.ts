// The IPC channel names, one per entry of the call tables (main/core/contract/commands.ts), and the
// reply envelope, shared by the main process and the preload. The preload bundle inlines this
// file and the tables (a sandboxed preload can require nothing but 'electron'), so neither may
// import a runtime value from anywhere else.

import { COMMAND_NAMES, HOST_CALL_NAMES } from '../../core/contract/commands.js';
import type { ErrorView } from '../../core/contract/index.js';

// host-actions.ts implements the host calls with these.
export type { HostCallName, HostCalls } from '../../core/contract/commands.js';

function channelsOf<P extends string, N extends string>(prefix: P, names: readonly N[]): { readonly [K in N]: `${P}${K}` } {
  return Object.fromEntries(names.map((name) => [name, `${prefix}${name}`])) as { [K in N]: `${P}${K}` };
}

/** `ferry:NAME` for every contract command. */
export const COMMAND_CHANNELS = channelsOf('ferry:', COMMAND_NAMES);

/** `ferry:host:NAME` for every host call. */
export const HOST_CHANNELS = channelsOf('ferry:host:', HOST_CALL_NAMES);

/** Main → renderer: every UiEvent, on this one channel. */
export const EVENT_CHANNEL = 'ferry:event';

/**
 * Every handler answers with this envelope instead of throwing: Electron would turn a thrown
 * error into "Error invoking remote method …" with the code lost, and log its stack.
 */
export type IpcReply<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorView };
