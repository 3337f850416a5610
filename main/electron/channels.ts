// The IPC channel names and the reply envelope, shared by the main process and the preload.
// Plain constants and types only: the preload bundle inlines this file (a sandboxed preload
// can require nothing but 'electron'), so it must never import a runtime value.

import type { CommandName, FerryBridge } from '../core/contract.js';
import type { ErrorCode } from '../core/errors.js';

/** One channel per contract command. The mapped type makes a missing or misspelt command a compile error. */
export const COMMAND_CHANNELS = {
  getState: 'ferry:getState',
  getDiscoveryStatus: 'ferry:getDiscoveryStatus',
  getHistory: 'ferry:getHistory',
  getTransferFiles: 'ferry:getTransferFiles',
  sendPaths: 'ferry:sendPaths',
  answerOffer: 'ferry:answerOffer',
  cancelTransfer: 'ferry:cancelTransfer',
  retryTransfer: 'ferry:retryTransfer',
  dismissTransfer: 'ferry:dismissTransfer',
  clearHistory: 'ferry:clearHistory',
  addManualPeer: 'ferry:addManualPeer',
  removeManualPeer: 'ferry:removeManualPeer',
  untrustDevice: 'ferry:untrustDevice',
  updateSettings: 'ferry:updateSettings',
  setSecret: 'ferry:setSecret',
  generateSecret: 'ferry:generateSecret',
} as const satisfies { [K in CommandName]: `ferry:${K}` };

/** What the Electron host does beyond the engine (native pickers, opening received files). */
export type HostCalls = Pick<FerryBridge, 'pickAndSend' | 'pickFolder' | 'openReceived'>;
export type HostCallName = keyof HostCalls;

export const HOST_CHANNELS = {
  pickAndSend: 'ferry:host:pickAndSend',
  pickFolder: 'ferry:host:pickFolder',
  openReceived: 'ferry:host:openReceived',
} as const satisfies { [K in HostCallName]: `ferry:host:${K}` };

/** Main → renderer: every UiEvent, on this one channel. */
export const EVENT_CHANNEL = 'ferry:event';

export interface ErrorView {
  code: ErrorCode;
  message: string;
}

/**
 * Every handler answers with this envelope instead of throwing: Electron would turn a thrown
 * error into "Error invoking remote method …" with the code lost, and log its stack.
 */
export type IpcReply<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorView };
