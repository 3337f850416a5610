// What the app layer needs of a wire protocol: receive offers on a port, send a selection to a
// device, and tell who answers at an address. The queue, prompts, progress, history and trust
// are written against this, so a second protocol is a second implementation, not a second app.
// Ferry's own protocol is ferry-transport.ts.

import type { TrustView } from '../store/trust-store.js';
import type { LocalIdentity } from '../security/identity.js';
import type { EventSink } from '../transfer/events.js';
import type { ProbedDevice } from '../transfer/probe.js';
import type { Decision, IncomingOffer } from '../transfer/receiver.js';
import type { SendResult } from '../transfer/sender.js';
import type { Source } from '../transfer/source.js';

/** A listening receiver. */
export interface ReceiveEndpoint {
  readonly port: number;
  /** Cancels one incoming transfer; false if none has that id. */
  cancelTransfer(transferId: string, message?: string): boolean;
  /** Settings that apply to connections from now on. */
  update(changes: { secret?: Buffer | null }): void;
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
  source: Source;
  transferId: string;
  identity: LocalIdentity;
  retries?: number;
  signal: AbortSignal;
  onEvent: EventSink;
  secret: Buffer | null;
  trust: TrustView;
}

export interface Transport {
  /** Which protocol this is, as peers and transfers are marked. */
  readonly protocol: string;
  listen(request: ListenRequest): Promise<ReceiveEndpoint>;
  /** Resolves with the outcome, or rejects with a FerryError saying why it could not finish. */
  send(request: SendRequest): Promise<SendResult>;
  /** Who answers at HOST:PORT (null: nothing, or nothing that proves the identity it claims). */
  probe(host: string, port: number, identity: LocalIdentity, signal: AbortSignal): Promise<ProbedDevice | null>;
}
