// One incoming connection, start to finish, as a state machine: handshake, the offer, the
// decision, then the files (or, in place of the offer, a text message: receive/text.ts); each
// state holds what it guarantees. Many run at once and share
// only what ReceiverShared holds: the claims on partial files, the files saved, the memory.

import type { TLSSocket } from 'node:tls';
import { FerryError, toFerryError, type ErrorCode } from '../../errors.js';
import { ACCEPTED_IDLE_TIMEOUT_MS, ANSWER_TIMEOUT_MS } from '../../protocol/limits.js';
import type { Message } from '../../protocol/messages.js';
import { printable } from '../../protocol/wire-path.js';
import { Connection } from '../connection.js';
import { answerHello, answerProof, type Peer, type PendingProof, type ReceiverSide } from '../handshake.js';
import { outOfTurn } from '../out-of-turn.js';
import { prepareAcceptance, sendAnswer } from './accept.js';
import { IncomingFiles } from './incoming-files.js';
import { OfferAssembly, type CheckedOffer } from './offer-check.js';
import { PartialClaims } from './resume-finder.js';
import { IncomingText } from './text.js';
import { forPeer, type ReceiverShared } from './shared.js';
import type { Decision, IncomingOffer } from '../../model/transport.js';

type Deciding = { name: 'deciding'; peer: Peer; offer: CheckedOffer };
type Streaming = { name: 'streaming'; peer: Peer; offer: CheckedOffer; files: IncomingFiles };
/** The sender said `end`: the last verdicts go out, then our `end`. */
type Ending = { name: 'ending'; peer: Peer; offer: CheckedOffer; files: IncomingFiles };

type State =
  | { name: 'hello' }
  /** Shared-secret mode: the sender's proof comes next. */
  | { name: 'auth'; peer: Peer; proof: PendingProof }
  | { name: 'offer'; peer: Peer }
  | { name: 'files'; peer: Peer; offer: OfferAssembly }
  /** A text message in place of an offer: its body, the decision, the answer. */
  | { name: 'text'; peer: Peer; text: IncomingText }
  | Deciding
  | Streaming
  | Ending
  | { name: 'closed'; transferId: string };

export class ReceiveSession {
  private readonly conn: Connection;
  private state: State = { name: 'hello' };
  private readonly claims: PartialClaims;
  /** Aborted when the connection closes: a pending decision and its preparation stop. */
  private readonly decideAbort = new AbortController();
  /** Resolves once the connection is gone and every open file is closed. */
  readonly closed: Promise<void>;
  private readonly closedResolve: () => void;

  constructor(
    private readonly socket: TLSSocket,
    private readonly shared: ReceiverShared,
    private readonly handshakeTimeoutMs: number,
  ) {
    let resolve = (): void => {};
    this.closed = new Promise((r) => (resolve = r));
    this.closedResolve = resolve;
    this.claims = new PartialClaims(shared.claims, this);
    this.conn = new Connection(
      socket,
      {
        message: (m) => this.onMessage(m),
        body: (c) => this.onBody(c),
        closed: (err) => void this.onClosed(err),
      },
      {
        headerTimeoutMs: handshakeTimeoutMs,
        ...(shared.idleTimeoutMs !== undefined ? { idleTimeoutMs: shared.idleTimeoutMs } : {}),
      },
    );
    const t = setTimeout(() => {
      if (this.state.name === 'hello' || this.state.name === 'auth') this.conn.fail(new FerryError('TIMEOUT', 'no hello in time'));
    }, handshakeTimeoutMs);
    t.unref();
    void this.closed.then(() => clearTimeout(t));
  }

  /** The offer's transfer id ('' until the offer arrives). */
  get currentTransferId(): string {
    const s = this.state;
    switch (s.name) {
      case 'hello':
      case 'auth':
      case 'offer':
        return '';
      case 'closed':
        return s.transferId;
      case 'text':
        return s.text.transferId;
      default:
        return s.offer.transferId;
    }
  }

  get remoteAddress(): string {
    return this.conn.socket.remoteAddress ?? '?';
  }

  /** Cancels from this side (the user changed their mind). Partials are kept for a resume. */
  cancel(message = 'cancelled by the receiver'): void {
    if (this.state.name === 'closed') return;
    this.conn.send({ type: 'cancel', message });
    this.shared.emit({ event: 'cancelled', direction: 'receive', transferId: this.currentTransferId, by: 'local', message });
    this.conn.close(new FerryError('CANCELLED', message));
  }

  /** A newer connection of the same sender wants our partial files: let go of them. */
  async supersede(): Promise<void> {
    this.conn.destroy(new FerryError('SUPERSEDED', 'a newer connection took over this transfer'));
    await this.closed;
  }

  private onMessage(m: Message): void {
    switch (m.type) {
      case 'cancel':
        this.shared.emit({
          event: 'cancelled',
          direction: 'receive',
          transferId: this.currentTransferId,
          by: 'peer',
          message: printable(m.message || 'cancelled by the sender'),
        });
        this.conn.close(new FerryError('CANCELLED', 'cancelled by the sender'));
        return;
      case 'error':
        this.conn.close(new FerryError(m.code, `peer error: ${printable(m.message)}`));
        return;
    }
    const s = this.state;
    switch (s.name) {
      case 'hello': {
        const { peer, proof } = answerHello(this.conn, m, this.side());
        this.state = proof ? { name: 'auth', peer, proof } : { name: 'offer', peer };
        return;
      }
      case 'auth':
        if (m.type === 'end') return this.onProbeEnd();
        answerProof(this.conn, m, s.proof, this.side());
        this.state = { name: 'offer', peer: s.peer };
        return;
      case 'offer':
        if (m.type === 'end') return this.onProbeEnd();
        if (m.type === 'text') {
          // Its body is bounded like a header: due within the header timeout of its header.
          const text = new IncomingText(this.conn, this.shared, s.peer, m, this.decideAbort.signal, this.handshakeTimeoutMs);
          this.state = { name: 'text', peer: s.peer, text };
          return;
        }
        if (m.type !== 'offer') throw outOfTurn('receiver', m, 'an offer');
        this.state = { name: 'files', peer: s.peer, offer: new OfferAssembly(m) };
        return;
      case 'files': {
        if (m.type !== 'files') throw outOfTurn('receiver', m, "the offer's file list");
        const offer = s.offer.add(m.entries);
        if (!offer) return;
        const deciding: Deciding = { name: 'deciding', peer: s.peer, offer };
        this.state = deciding;
        void this.decide(deciding);
        return;
      }
      case 'deciding':
        throw new FerryError('UNEXPECTED_MESSAGE', `${m.type} before the offer was accepted`);
      case 'text':
        return s.text.onMessage(m);
      case 'streaming':
        if (m.type === 'end') return this.onEnd(s);
        return s.files.onMessage(m);
      default:
        throw outOfTurn('receiver', m, 'nothing');
    }
  }

  private onBody(chunk: Buffer): void {
    const s = this.state;
    // A body only follows a data header, which only streaming accepts, or the text header.
    if (s.name === 'text') return s.text.onBody(chunk);
    if (s.name !== 'streaming') throw new FerryError('INTERNAL', `file data while ${s.name}`);
    s.files.onBody(chunk);
  }

  /** Who we are to the handshake, with the settings as they are now (they may change between connections). */
  private side(): ReceiverSide {
    const { identity, secret, trust, backoff } = this.shared;
    return { socket: this.socket, address: this.remoteAddress, identity, secret, trust, backoff };
  }

  /** A probe: hello and goodbye, nothing else. */
  private onProbeEnd(): void {
    this.conn.send({ type: 'end' });
    this.conn.close();
  }

  private async decide(deciding: Deciding): Promise<void> {
    const { offer, peer } = deciding;
    const incoming: IncomingOffer = {
      transferId: offer.transferId,
      peer: peer.info,
      text: null,
      entries: offer.entries,
      fileCount: offer.fileCount,
      dirCount: offer.dirCount,
      totalBytes: offer.totalBytes,
    };
    this.shared.emit({
      event: 'offer',
      direction: 'receive',
      transferId: offer.transferId,
      peer: peer.info,
      fileCount: offer.fileCount,
      dirCount: offer.dirCount,
      totalBytes: offer.totalBytes,
    });
    this.conn.setIdleTimeout(ANSWER_TIMEOUT_MS);
    let decision: Decision;
    try {
      decision = await this.shared.decide(incoming, this.decideAbort.signal);
    } catch (err) {
      decision = { accept: false, code: 'INTERNAL', message: `could not decide: ${toFerryError(err).message}` };
    }
    if (this.state !== deciding) return;
    if (!decision.accept) return this.decline(deciding, decision.code ?? 'DECLINED', decision.message ?? 'the receiver declined');
    try {
      await this.accept(deciding, decision);
    } catch (err) {
      const e = toFerryError(err, 'IO_ERROR');
      if (e.code === 'NO_SPACE' && this.state === deciding)
        return this.decline(deciding, 'NO_SPACE', forPeer(this.shared, e.message, decision.folder));
      return this.conn.fail(new FerryError(e.code, forPeer(this.shared, e.message, decision.folder)));
    }
  }

  private decline(deciding: Deciding, code: ErrorCode, message: string): void {
    if (this.state !== deciding) return;
    const transferId = deciding.offer.transferId;
    this.conn.send({ type: 'answer', transferId, accept: false, code, message });
    this.shared.emit({ event: 'declined', direction: 'receive', transferId, code, message });
    this.conn.close(); // said and reported: a decline is not an error
  }

  private async accept(deciding: Deciding, decision: Extract<Decision, { accept: true }>): Promise<void> {
    const { offer, peer } = deciding;
    const accepted = await prepareAcceptance(this.shared, offer, peer, this.claims, this.decideAbort.signal, decision);
    if (!accepted) return;
    sendAnswer(this.conn, this.shared, offer, peer, accepted);
    const files = new IncomingFiles(this.conn, this.shared, offer, peer, accepted);
    this.state = { name: 'streaming', peer, offer, files };
    this.shared.streaming.add(this);
    this.conn.setIdleTimeout(this.shared.idleTimeoutMs ?? ACCEPTED_IDLE_TIMEOUT_MS);
    files.announce(accepted);
  }

  private onEnd(streaming: Streaming): void {
    streaming.files.checkAllEnded();
    const ending: Ending = { ...streaming, name: 'ending' };
    this.state = ending;
    void this.finishTransfer(ending);
  }

  private async finishTransfer(ending: Ending): Promise<void> {
    await ending.files.settled();
    if (this.state !== ending) return;
    ending.files.failUnfinished();
    this.conn.send({ type: 'end' });
    this.conn.close();
  }

  private async onClosed(err: FerryError | null): Promise<void> {
    const was = this.state;
    this.state = { name: 'closed', transferId: this.currentTransferId };
    this.shared.streaming.delete(this);
    this.decideAbort.abort();
    if (was.name === 'text') was.text.close();
    const files = was.name === 'streaming' || was.name === 'ending' ? was.files : null;
    await files?.close();
    this.claims.release();
    if (files && (was.name === 'ending' || !err)) {
      files.reportDone(was.name === 'ending');
    } else if (err && err.code !== 'CANCELLED' && err.code !== 'DECLINED' && err.code !== 'NO_SPACE' && was.name !== 'hello') {
      const transferId = this.currentTransferId;
      this.shared.emit({
        event: 'error',
        direction: 'receive',
        ...(transferId ? { transferId } : {}),
        code: err.code,
        message: err.message,
      });
    }
    this.closedResolve();
  }
}
