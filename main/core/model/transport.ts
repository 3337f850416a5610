// What a transfer is to the app, whatever wire protocol carries it: a selection to offer
// (Source), an offer that arrived and the decision on it, the outcome of a send, and the
// Transport interface a protocol implements (listen, send, probe). The queue, prompts, progress,
// history and trust are written against these, so a second protocol is a second Transport,
// not a second app. Ferry's own protocol is transfer/ferry-transport.ts.

import type { LeftOutReason, PeerProtocol } from '../contract/views.js';
import type { ErrorCode } from '../errors.js';
import type { Entry } from '../protocol/messages.js';
import type { LocalIdentity } from '../security/identity.js';
import type { TrustView } from '../store/trust-store.js';
import type { EventSink, PeerInfo } from './events.js';

/** What the user picked, as the entries to offer and the local file behind each. */
export interface Source {
  entries: Entry[];
  /** Local path of each entry, by index (folders too). */
  locals: string[];
  totalBytes: number;
  fileCount: number;
  /** Things left out: why as a kind (for every language) and in the engine's English words. */
  skipped: Array<{ path: string; why: LeftOutReason; reason: string }>;
}

/** An offer that arrived, checked, for the host to decide on. */
export interface IncomingOffer {
  transferId: string;
  peer: PeerInfo;
  /**
   * A text message instead of files (entries empty): its text, at most MAX_TEXT_BYTES of UTF-8.
   * A person is asked whether to take it before it is shown.
   */
  text: string | null;
  entries: readonly Entry[];
  fileCount: number;
  dirCount: number;
  totalBytes: number;
}

export type Decision =
  | {
      accept: true;
      /**
       * The file paths to take (a subset the person chose); absent: all. Files left out are
       * refused as not wanted (DECLINED), which the sender does not count as failures.
       */
      files?: ReadonlySet<string>;
      /** Where this transfer's files go instead of the download folder (absolute, existing). */
      folder?: string;
    }
  | { accept: false; code?: ErrorCode; message?: string };

/** How a send ended: ok only when the receiver verified every file. */
export interface SendResult {
  transferId: string;
  ok: boolean;
  files: number;
  failed: Array<{ path: string; code: ErrorCode; message: string }>;
  bytes: number;
  wireBytes: number;
  peer: PeerInfo | null;
}

/** Who answered a probe, with the identity it proved. */
export interface ProbedDevice {
  deviceId: string;
  deviceName: string;
  platform: string;
}

/** A listening receiver. */
export interface ReceiveEndpoint {
  readonly port: number;
  /** Cancels one incoming transfer; false if none has that id. */
  cancelTransfer(transferId: string, message?: string): boolean;
  /** Settings that apply to connections from now on (`pin`: for protocols that have one, LocalSend's). */
  update(changes: { secret?: Buffer | null; pin?: string | null }): void;
  /** Partial files kept for resumes: those one transfer left, or (null) all in the download folder. */
  partials(transferId: string | null): Promise<{ files: number; bytes: number }>;
  /** Deletes them, except what a transfer in progress is writing. */
  discardPartials(transferId: string | null): Promise<void>;
  /** Cancels what is in progress and stops listening. */
  close(): Promise<void>;
}

export interface ListenRequest {
  dir: string;
  host: string;
  port: number;
  identity: LocalIdentity;
  decide: (offer: IncomingOffer, signal: AbortSignal) => Promise<Decision>;
  onEvent: EventSink;
  secret: Buffer | null;
  trust: TrustView;
}

export interface SendRequest {
  host: string;
  port: number;
  /** The device meant (from discovery or a pin): anyone else there is refused. */
  expectDeviceId?: string;
  /** The files; empty when `text` is sent instead. */
  source: Source;
  /** A text message (at most MAX_TEXT_BYTES of UTF-8) instead of files. */
  text?: string;
  transferId: string;
  identity: LocalIdentity;
  retries?: number;
  signal: AbortSignal;
  onEvent: EventSink;
  secret: Buffer | null;
  trust: TrustView;
  /** A PIN to give a receiver that asks for one (LocalSend), before asking askPin. */
  pin?: string | null;
  /**
   * The receiver asks for a PIN ('required') or refused the one given ('wrong'): resolves with
   * the one to try, or null to give up. Without it such a send fails.
   */
  askPin?: (state: 'required' | 'wrong', signal: AbortSignal) => Promise<string | null>;
}

export interface Transport {
  /** Which protocol this is, as peers and transfers are marked. */
  readonly protocol: PeerProtocol;
  /** The user's selection as this protocol offers it (its limits, its rules for names). */
  collect(paths: readonly string[]): Promise<Source>;
  listen(request: ListenRequest): Promise<ReceiveEndpoint>;
  /** Resolves with the outcome, or rejects with a FerryError saying why it could not finish. */
  send(request: SendRequest): Promise<SendResult>;
  /** Who answers at HOST:PORT (null: nothing, or nothing that proves the identity it claims). */
  probe(host: string, port: number, identity: LocalIdentity, signal: AbortSignal): Promise<ProbedDevice | null>;
}
