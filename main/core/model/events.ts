// What the engine tells its host (CLI, Electron adapter, daemon): one event union,
// printed as-is by `ferry --json` and forwarded to the UI.

import type { PeerProtocol } from '../contract/views.js';
import type { ErrorCode } from '../errors.js';

export type Direction = 'send' | 'receive';

export interface PeerInfo {
  deviceId: string;
  deviceName: string;
  platform: string;
  appVersion: string;
  address: string;
  /** The code both people can compare on their screens (same on both sides). */
  verificationCode: string;
  /** Pinned by this device ("always accept"). */
  trusted: boolean;
  /** A trusted device of the same name is pinned to this other id: the identity changed, or an impostor. */
  identityChangedFrom: string | null;
  /** The protocol it spoke. */
  protocol: PeerProtocol;
  /**
   * A certificate proved its device id (always so in Ferry's protocol). False: a LocalSend app
   * without a client certificate, which can never be trusted.
   */
  verified: boolean;
}

export type TransferEvent =
  /** Receiving: Ferry's protocol on `port`, LocalSend's on `localsendPort` (null: LocalSend is off). */
  | { event: 'listening'; host: string; port: number; localsendPort?: number | null }
  | { event: 'connecting'; direction: 'send'; transferId: string; host: string; port: number; attempt: number }
  /** TLS is up and the receiver's identity checked (and, in shared-secret mode, its proof). */
  | { event: 'connected'; direction: 'send'; transferId: string; peer: PeerInfo }
  | {
      event: 'offer';
      direction: Direction;
      transferId: string;
      peer: PeerInfo | null;
      fileCount: number;
      dirCount: number;
      totalBytes: number;
    }
  | { event: 'accepted'; direction: Direction; transferId: string; resumedBytes: number; bytesToSend: number }
  | { event: 'declined'; direction: Direction; transferId: string; code: ErrorCode; message: string }
  | {
      event: 'progress';
      direction: Direction;
      transferId: string;
      transferred: number;
      total: number;
      bytesPerSecond: number;
      etaSeconds: number | null;
      filesDone: number;
      fileCount: number;
    }
  | {
      event: 'file-done';
      direction: Direction;
      transferId: string;
      path: string;
      savedAs?: string;
      size: number;
      md5: string;
      verified: true;
      resumedFrom: number;
      alreadyPresent: boolean;
    }
  | { event: 'file-failed'; direction: Direction; transferId: string; path: string; code: ErrorCode; message: string; willRetry: boolean }
  | { event: 'retry'; direction: 'send'; transferId: string; attempt: number; delayMs: number; code: ErrorCode; message: string }
  | {
      event: 'done';
      direction: Direction;
      transferId: string;
      ok: boolean;
      files: number;
      failed: number;
      bytes: number;
      wireBytes: number;
      seconds: number;
    }
  | { event: 'cancelled'; direction: Direction; transferId: string; by: 'local' | 'peer'; message: string }
  /**
   * A text message, once accepted: the receiver has it (and shows it). The text is as sent;
   * whoever prints or shows it neutralises control characters its way. Then 'done'.
   */
  | { event: 'text'; direction: Direction; transferId: string; text: string }
  | { event: 'error'; direction?: Direction; transferId?: string; code: ErrorCode; message: string };

export type EventSink = (e: TransferEvent) => void;
