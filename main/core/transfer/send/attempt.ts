// One connection's worth of a transfer, as a state machine: connect, handshake, offer and
// answer, then the files, then `end` (for a text message: the text, then its answer, text.ts).
// What it leaves behind (who the peer was, what the receiver held when it answered, bytes
// sent) tells the retry loop whether it made progress.

import { FerryError, toFerryError } from '../../errors.js';
import { ACCEPTED_IDLE_TIMEOUT_MS, ANSWER_TIMEOUT_MS } from '../../protocol/limits.js';
import { inFrames, type Message, type ResumePoint } from '../../protocol/messages.js';
import { printable } from '../../protocol/wire-path.js';
import { Connection } from '../connection.js';
import type { EventSink, PeerInfo } from '../../model/events.js';
import { greetReceiver, type Peer } from '../handshake.js';
import { outOfTurn } from '../out-of-turn.js';
import type { SendOptions } from './options.js';
import { readAnswer } from './answer.js';
import { connectTls } from './connect.js';
import { Mailbox } from './mailbox.js';
import { isDeclined, type OutFile } from './out-file.js';
import { OutgoingFiles } from './outgoing-files.js';
import { offerText, receiverTooOld } from './text.js';
import type { Source } from '../../model/transport.js';

/** A failure the receiver reported in an `error` frame (what it blames on us is not retried). */
export class PeerError extends FerryError {}

type AttemptState =
  | { name: 'connecting' }
  | { name: 'greeting'; conn: Connection }
  /** The receiver is who we meant to reach: the offer goes out, the answer comes back. */
  | { name: 'offering'; conn: Connection; peer: Peer }
  /** `heldAtAnswer`: the bytes of this transfer the receiver held when it answered. */
  | { name: 'streaming'; conn: Connection; peer: Peer; out: OutgoingFiles; heldAtAnswer: number };

export class SendAttempt {
  private state: AttemptState = { name: 'connecting' };
  /** What the receiver said, and whether the connection is still open. */
  private readonly mailbox = new Mailbox();
  private readonly byIndex = new Map<number, OutFile>();
  /** The receiver cancelled (rather than we). */
  cancelledByPeer = false;

  constructor(
    private readonly opts: SendOptions,
    private readonly source: Source,
    private readonly files: readonly OutFile[],
    private readonly transferId: string,
    private readonly emit: EventSink,
    /** A text message to send in place of the files (then none), as its UTF-8 bytes. */
    private readonly text: Buffer | null = null,
  ) {
    for (const f of files) this.byIndex.set(f.index, f);
  }

  /** The receiver, once its identity is checked. */
  get peer(): PeerInfo | null {
    return this.peerOf()?.info ?? null;
  }

  private peerOf(): Peer | null {
    const s = this.state;
    return s.name === 'offering' || s.name === 'streaming' ? s.peer : null;
  }

  /** What the receiver held of this transfer when it answered (resume points), or null. */
  get heldAtAnswer(): number | null {
    return this.state.name === 'streaming' ? this.state.heldAtAnswer : null;
  }

  get wireBytes(): number {
    return this.state.name === 'connecting' ? 0 : this.state.conn.wireBytesOut;
  }

  async run(): Promise<void> {
    const socket = await connectTls(this.opts);
    const conn = new Connection(
      socket,
      {
        message: (m) => this.onMessage(m),
        body: () => {
          throw new FerryError('UNEXPECTED_MESSAGE', 'the receiver sent file data');
        },
        closed: (err) => this.onClosed(err),
      },
      this.opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.opts.idleTimeoutMs } : {},
    );
    this.state = { name: 'greeting', conn };
    const onAbort = (): void => {
      conn.send({ type: 'cancel', message: 'cancelled by the sender' });
      conn.close(new FerryError('CANCELLED', 'cancelled by the sender'));
    };
    if (this.opts.signal?.aborted) onAbort();
    this.opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const peer = await greetReceiver(conn, this.mailbox, {
        socket,
        identity: this.opts.identity,
        secret: this.opts.secret ?? null,
        trust: this.opts.trust ?? null,
        expectDeviceId: this.opts.expectDeviceId,
        host: this.opts.host,
        port: this.opts.port,
      });
      this.state = { name: 'offering', conn, peer };
      this.emit({ event: 'connected', direction: 'send', transferId: this.transferId, peer: peer.info });
      if (this.text) {
        await offerText(conn, this.mailbox, peer, this.text, this.transferId, this.opts, this.emit);
        conn.close(); // the answer was the receiver's last word
        return;
      }
      const { out, held } = await this.offer(conn, peer);
      await out.sendAll(held);
      conn.send({ type: 'end' });
      const bye = await this.mailbox.next('end');
      if (bye.type !== 'end') throw outOfTurn('sender', bye, 'end');
      out.flushProgress();
      conn.close();
    } catch (err) {
      const e = toFerryError(err);
      // Tell the receiver why before closing, unless the connection is already gone.
      if (conn.isOpen) conn.fail(e);
      const closedWith = this.mailbox.closedWith;
      const failure = closedWith && closedWith.code !== 'CONNECTION_LOST' ? closedWith : e;
      // A receiver that announced 1.2 yet does not know `text` is too old all the same.
      if (this.text && failure instanceof PeerError && failure.code === 'UNKNOWN_TYPE') throw receiverTooOld(this.peerOf());
      throw failure;
    } finally {
      this.opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Offers the files and reads the answer: the files to stream, and what the receiver holds. */
  private async offer(conn: Connection, peer: Peer): Promise<{ out: OutgoingFiles; held: ReadonlyMap<number, ResumePoint> }> {
    const { entries, totalBytes } = this.source;
    conn.send({ type: 'offer', transferId: this.transferId, entryCount: entries.length, totalBytes });
    for (const group of inFrames(entries)) {
      if (!conn.send({ type: 'files', entries: group })) await conn.drain();
    }
    conn.setIdleTimeout(this.opts.answerTimeoutMs ?? ANSWER_TIMEOUT_MS);
    const answer = await this.mailbox.next('answer');
    // From here we may go quiet while hashing a large resume prefix.
    conn.setIdleTimeout(this.opts.idleTimeoutMs ?? ACCEPTED_IDLE_TIMEOUT_MS);
    const { held, refused } = await readAnswer(answer, this.mailbox, this.transferId, this.byIndex);
    // Each answer says afresh what the person left out: one asked again may take more now.
    for (const f of this.files) if (isDeclined(f)) f.failure = null;
    // What the receiver holds of files not failed for good (a refused file has no resume point).
    let heldAtAnswer = 0;
    for (const f of this.files) if (!f.failure) heldAtAnswer += held.get(f.index)?.offset ?? 0;
    for (const { file, failure } of refused) {
      if (file.failure) continue;
      file.failure = failure;
      this.emit({
        event: 'file-failed',
        direction: 'send',
        transferId: this.transferId,
        path: printable(file.entry.path),
        ...failure,
        willRetry: false,
      });
    }
    // The bytes of files left out leave the total, so that progress reaches it.
    let declinedBytes = 0;
    for (const f of this.files) if (isDeclined(f)) declinedBytes += f.entry.size;
    // Every file is settled afresh on each connection: what the receiver already holds
    // (including files verified on an earlier connection) costs only a file-end.
    for (const f of this.files) {
      f.verified = false;
      f.counted = 0;
      f.wireEnd = 0;
    }
    const out = new OutgoingFiles(
      conn,
      this.mailbox,
      peer,
      this.files,
      this.byIndex,
      totalBytes - declinedBytes,
      this.transferId,
      this.emit,
    );
    this.state = { name: 'streaming', conn, peer, out, heldAtAnswer };
    this.emit({
      event: 'accepted',
      direction: 'send',
      transferId: this.transferId,
      resumedBytes: heldAtAnswer,
      bytesToSend: totalBytes - declinedBytes - heldAtAnswer,
    });
    return { out, held };
  }

  private onMessage(m: Message): void {
    const s = this.state;
    switch (m.type) {
      case 'verdict':
        if (s.name !== 'streaming') break; // a refusal, read in order with the answer
        return s.out.onVerdict(m.file, m.ok ? null : { code: m.code, message: printable(m.message) });
      case 'received':
        if (s.name !== 'streaming' || !s.peer.speaks11) throw new FerryError('UNEXPECTED_MESSAGE', 'received before the transfer started');
        return s.out.onReceived(m.bytes);
      case 'cancel':
        this.cancelledByPeer = true;
        this.closeWith(new FerryError('CANCELLED', printable(m.message) || 'cancelled by the receiver'));
        return;
      case 'error':
        this.closeWith(new PeerError(m.code, `the receiver reported: ${printable(m.message)}`));
        return;
    }
    this.mailbox.put(m);
  }

  /** The receiver said goodbye (cancel, error): we close without another word. */
  private closeWith(err: FerryError): void {
    if (this.state.name !== 'connecting') this.state.conn.close(err);
  }

  private onClosed(err: FerryError | null): void {
    this.mailbox.close(err);
    if (this.state.name === 'streaming') this.state.out.connectionClosed();
  }
}
