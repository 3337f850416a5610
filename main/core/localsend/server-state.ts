// What the LocalSend server is started with (the ListenRequest every Transport gets, plus what
// only LocalSend has), its timeouts and caps, and the state its routes share: the one session
// slot, the partial files, the PIN gate.

import type { EventSink } from '../model/events.js';
import type { ListenRequest } from '../model/transport.js';
import { HANDSHAKE_TIMEOUT_MS, IDLE_TIMEOUT_MS, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS } from '../protocol/limits.js';
import type { PartialFiles } from './partial-files.js';
import type { PinGate } from './pin.js';
import type { LocalSendSession } from './session.js';
import type { InfoResponse } from './announce.js';
import type { LocalSendRegister } from './upload-messages.js';

export interface LocalSendTimeouts {
  /** A new connection must finish its TLS handshake within this. */
  handshakeMs: number;
  /** A request's headers must be in within this (Node's headersTimeout). */
  headersMs: number;
  /** A request body with no byte for this long (while we were ready for one) is dropped. */
  idleMs: number;
  /** An accepted transfer with no upload for this long (none in progress) is given up. */
  sessionIdleMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: LocalSendTimeouts = {
  handshakeMs: HANDSHAKE_TIMEOUT_MS,
  headersMs: 10_000,
  idleMs: IDLE_TIMEOUT_MS,
  sessionIdleMs: 120_000,
  keepAliveMs: 5_000,
};

export interface LocalSendCaps {
  maxConnections: number;
  maxPerAddress: number;
  /** Request line and headers together. */
  maxHeaderBytes: number;
  /** prepare-upload bodies read at once (each up to LOCALSEND_LIMITS.maxPrepareBytes). */
  parallelPrepares: number;
  /** Bytes kept free on the volume beyond the files themselves. */
  reserveBytes: number;
}

export const DEFAULT_CAPS: LocalSendCaps = {
  maxConnections: MAX_CONNECTIONS,
  maxPerAddress: MAX_CONNECTIONS_PER_ADDRESS,
  maxHeaderBytes: 16 * 1024,
  parallelPrepares: 4,
  reserveBytes: 16 * 1024 * 1024,
};

/** A device that registered (discovery's POST /register), with how far its identity is proven. */
export interface RegisteredDevice {
  info: LocalSendRegister;
  /** Its certificate's fingerprint (verified), or what its body claims. */
  fingerprint: string;
  verified: boolean;
  address: string;
}

/** Where to tell a sender that this side cancelled its transfer (POST /api/localsend/v2/cancel?sessionId=). */
export interface SenderCancelTarget {
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** Pin the sender's server to this when it proved it (null: it did not). */
  fingerprint: string | null;
  sessionId: string;
}

export interface LocalSendListenRequest extends ListenRequest {
  /** What info and register answer; by default from the identity (alias = device name). */
  info?: () => InfoResponse;
  /** A device registered: discovery learns of it (never trust from this alone). */
  onRegister?: (device: RegisteredDevice) => void;
  /** This side cancelled an accepted transfer: post the cancel to the sender's own server. */
  notifySender?: (target: SenderCancelTarget) => void;
  /**
   * A /cancel that is not about a transfer to us: perhaps a LocalSend receiver we are sending
   * to, cancelling our send. True if it was (answered 200; 403 otherwise).
   */
  onPeerCancel?: (sessionId: string | null, address: string) => boolean;
  /** LocalSend's receive PIN (null: none). */
  pin?: string | null;
  timeouts?: Partial<LocalSendTimeouts>;
  caps?: Partial<LocalSendCaps>;
}

/** A prepare-upload waiting for its answer (the person deciding, or a text being shown). */
export interface Deciding {
  kind: 'deciding';
  transferId: string;
  address: string;
  text: boolean;
  /** Ends the wait without an answer: the decision is aborted, the request answered if it can be. */
  withdraw(by: 'local' | 'peer', message: string): void;
}

export type Slot = Deciding | { kind: 'active'; session: LocalSendSession };

export interface ServerState {
  /** The download folder, resolved. */
  root: string;
  request: LocalSendListenRequest;
  timeouts: LocalSendTimeouts;
  caps: LocalSendCaps;
  emit: EventSink;
  partials: PartialFiles;
  pins: PinGate;
  secret: Buffer | null;
  /** LocalSend runs one transfer at a time: the one waiting for an answer, or running. */
  slot: Slot | null;
  /** Sessions that ended lately, by transfer id, so that partials() can wait for their last writes. */
  ended: Map<string, LocalSendSession>;
  readingPrepares: number;
  /** The port the server listens on (0 until it does). */
  port: number;
}
