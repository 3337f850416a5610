// The app's receiving side for one transport (the app runs one per protocol): its listening
// endpoint (on the port asked for or, when another program holds it, on a free one, and then
// says so), every offer decided by the offer policy and the host's asker, and every incoming
// transfer put in the queue.

import { TRANSFER_DETAIL_FILES } from '../contract/index.js';
import { FerryError, toFerryError } from '../errors.js';
import { isDir } from '../protocol/messages.js';
import type { LocalIdentity } from '../security/identity.js';
import type { WaitingOffers } from '../security/waiting-offers.js';
import type { TrustStore } from '../store/trust-store.js';
import type { TransferEvent } from '../model/events.js';
import { decideOffer, type OfferAsker, type OfferPolicy } from './offer-policy.js';
import type { TransferQueue } from './transfer-queue.js';
import { labelOf, NO_LABEL } from './transfers.js';
import type { ReceiveEndpoint, Transport } from '../model/transport.js';
import type { Decision, IncomingOffer } from '../model/transport.js';

/** What receiving goes by, read afresh at each start and each offer (settings change meanwhile). */
export interface ReceivingSettings {
  dir: string;
  host: string;
  port: number;
  /** A port taken by another program is an error, instead of a free one. */
  exactPort: boolean;
  secret: Buffer | null;
  policy: OfferPolicy;
  identity: LocalIdentity;
  trust: TrustStore;
}

export interface ReceivingDeps {
  transport: Transport;
  /** Declines every offer unseen and queues nothing: a server that is up for other reasons (LocalSend's discovery). */
  passive?: boolean;
  /** What the troubleshooting view says when the port asked for was taken and `got` is used instead. */
  portTaken?: (asked: number, got: number) => string;
  queue: TransferQueue;
  waiting: WaitingOffers;
  settings: () => ReceivingSettings;
  asker: OfferAsker;
  /** A device was trusted ("always"). */
  trusted: () => void;
  /** Every event of an incoming transfer, once its transfer is in the queue. */
  track: (e: TransferEvent) => void;
}

export class Receiving {
  private endpoint: ReceiveEndpoint | null = null;
  /** Why it is not listening on the port asked for, or at all. */
  problem: string | null = null;

  constructor(private readonly deps: ReceivingDeps) {}

  get port(): number | null {
    return this.endpoint?.port ?? null;
  }

  get listening(): boolean {
    return this.endpoint !== null;
  }

  async start(): Promise<void> {
    const s = this.deps.settings();
    const listen = (port: number): Promise<ReceiveEndpoint> =>
      this.deps.transport.listen({
        dir: s.dir,
        identity: s.identity,
        host: s.host,
        port,
        secret: s.secret,
        trust: s.trust,
        decide: (offer, signal) => this.decide(offer, signal),
        onEvent: (e) => this.onEvent(e, s.dir),
      });
    this.problem = null;
    this.endpoint = null;
    try {
      this.endpoint = await listen(s.port);
    } catch (err) {
      if (s.exactPort) throw listenFailure(err, s.host, s.port);
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || s.port === 0) {
        this.problem = `cannot receive: ${listenFailure(err, s.host, s.port).message}`;
        return;
      }
      // Another program has our port: a free one still works, discovery announces it.
      this.endpoint = await listen(0);
      this.problem =
        this.deps.portTaken?.(s.port, this.endpoint.port) ??
        `port ${s.port} is in use by another program; receiving on ${this.endpoint.port} instead`;
    }
  }

  /** Cancels what is in progress (partials stay for a resume) and stops listening. */
  async stop(): Promise<void> {
    await this.endpoint?.close();
    this.endpoint = null;
  }

  cancel(transferId: string): void {
    this.endpoint?.cancelTransfer(transferId);
  }

  /** Partial files one transfer left, or (null) all in the download folder; none while not receiving. */
  async partials(transferId: string | null): Promise<{ files: number; bytes: number }> {
    return (await this.endpoint?.partials(transferId)) ?? { files: 0, bytes: 0 };
  }

  async discardPartials(transferId: string | null): Promise<void> {
    await this.endpoint?.discardPartials(transferId);
  }

  /** Settings that apply to connections from now on. */
  update(changes: { secret?: Buffer | null; pin?: string | null }): void {
    this.endpoint?.update(changes);
  }

  private async decide(offer: IncomingOffer, signal: AbortSignal): Promise<Decision> {
    if (this.deps.passive) return { accept: false, message: 'this device is not receiving files right now' };
    const t = this.deps.queue.get(offer.transferId);
    if (t && offer.text !== null) {
      // Its words are not shown before the person accepts: the title says only what it is.
      t.view.label = { first: 'Message', firstIsDir: false, count: 1 };
      t.view.text = '';
    } else if (t) {
      t.view.label = labelOf(offer.entries);
      // The first TRANSFER_DETAIL_FILES files, folders not counted against them.
      for (const e of offer.entries) {
        if (t.files.size >= TRANSFER_DETAIL_FILES) break;
        if (!isDir(e)) t.files.set(e.path, { path: e.path, size: e.size, state: 'pending', savedAs: null, resumedFrom: 0, error: null });
      }
    }
    const s = this.deps.settings();
    const decision = await decideOffer(
      offer,
      {
        policy: s.policy,
        waiting: this.deps.waiting,
        trust: (id, name) => s.trust.add(id, name).then(() => this.deps.trusted()),
        ask: (o, sig) => {
          // Put before a person: a decline is then the user's, and belongs in history.
          if (t) t.asked = true;
          return this.deps.asker(o, sig);
        },
      },
      signal,
    );
    // Another folder for this one: "Show in folder" and opening files look there.
    if (t && decision.accept && decision.folder) t.view.folder = decision.folder;
    return decision;
  }

  private onEvent(e: TransferEvent, folder: string): void {
    if (this.deps.passive) return;
    if (e.event === 'offer' && e.direction === 'receive') {
      // A sender's retry reuses its transfer id: the new connection replaces the old entry.
      const t = this.deps.queue.add({
        id: e.transferId,
        direction: 'receive',
        protocol: this.deps.transport.protocol,
        peer: { id: e.peer?.deviceId ?? null, name: e.peer?.deviceName ?? '?', address: e.peer?.address ?? null },
        state: 'waiting',
        label: NO_LABEL,
        files: [],
        dirCount: e.dirCount,
        folder,
      });
      t.view.fileCount = e.fileCount;
      t.view.totalBytes = e.totalBytes;
    }
    this.deps.track(e);
  }
}

/**
 * Why listening failed, as a sentence about the setting at fault (Node says "listen
 * EADDRNOTAVAIL: address not available 10.9.9.9"). Anything else keeps its own words.
 */
export function listenFailure(err: unknown, host: string, port: number): FerryError {
  const on = host === '0.0.0.0' || host === '::' || host === '' ? '' : ` on ${host}`;
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return new FerryError('BAD_CONFIG', `port ${port}${on} is in use by another program`, { cause: err });
    case 'EADDRNOTAVAIL':
      return new FerryError('BAD_CONFIG', `${host} is not an address of this computer`, { cause: err });
    case 'EACCES':
      return new FerryError('BAD_CONFIG', `port ${port} needs administrator rights: choose one above 1023`, { cause: err });
    default:
      return toFerryError(err);
  }
}
