// A text message (protocol 1.2, PROTOCOL.md §5.15) in place of an offer: its bytes arrive as the
// frame's body, then it is decided on exactly as an offer is (the host's decide, the same policy
// and answer timeout) and answered with `answer`, the receiver's last word: once written, the
// transfer is over and both sides close. Nothing of it touches the disk.

import { createHash } from 'node:crypto';
import { FerryError, toFerryError } from '../../errors.js';
import { ANSWER_TIMEOUT_MS, TEXT_MINOR } from '../../protocol/limits.js';
import type { Message, TextMessage } from '../../protocol/messages.js';
import type { Connection } from '../connection.js';
import type { Peer } from '../handshake.js';
import type { Decision, IncomingOffer } from '../../model/transport.js';
import type { ReceiverShared } from './shared.js';

// ignoreBOM: a text that starts with U+FEFF keeps it (the decoder would drop it silently).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Accepted texts remembered against a retry whose answer was lost (a few bytes each). */
const TEXTS_REMEMBERED = 256;

export class IncomingText {
  private readonly body: Buffer;
  private have = 0;
  private readonly bodyTimer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  /**
   * `signal` aborts when the connection closes; `bodyTimeoutMs` bounds how long the body may
   * take after its header (a stranger dripping it byte by byte would hold the connection).
   */
  constructor(
    private readonly conn: Connection,
    private readonly shared: ReceiverShared,
    private readonly peer: Peer,
    private readonly header: TextMessage,
    private readonly signal: AbortSignal,
    bodyTimeoutMs: number,
  ) {
    // The sender broke §13: it may only send `text` to a receiver that announced 1.2, and
    // expects the answer of a version that knows it.
    if (peer.minor < TEXT_MINOR) {
      throw new FerryError('UNEXPECTED_MESSAGE', `a text message from a sender that announced protocol 1.${peer.minor}`);
    }
    this.body = Buffer.allocUnsafe(header.bytes);
    this.bodyTimer = setTimeout(() => conn.fail(new FerryError('TIMEOUT', 'the text message took too long to arrive')), bodyTimeoutMs);
    this.bodyTimer.unref();
  }

  get transferId(): string {
    return this.header.transferId;
  }

  /** A slice of the body; the frame decoder never passes more than `bytes` in all. */
  onBody(chunk: Buffer): void {
    chunk.copy(this.body, this.have);
    this.have += chunk.length;
    if (this.have < this.body.length) return;
    clearTimeout(this.bodyTimer);
    let text: string;
    try {
      text = utf8.decode(this.body);
    } catch {
      throw new FerryError('BAD_MESSAGE', 'the text message is not valid UTF-8');
    }
    void this.decide(text);
  }

  /** Nothing may follow a text but the answer (the decoder hands over no message mid-body). */
  onMessage(m: Message): never {
    throw new FerryError('UNEXPECTED_MESSAGE', `${m.type} after a text message`);
  }

  /** The connection closed. */
  close(): void {
    clearTimeout(this.bodyTimer);
  }

  private async decide(text: string): Promise<void> {
    const { transferId } = this.header;
    const bytes = this.body.length;
    // A sender retrying a text we took (its answer was lost on the way) is told yes again, but
    // the text is not shown twice: keyed by the sender's proven id, so nobody else can mute it.
    const key = `${this.peer.info.deviceId}/${transferId}`;
    const digest = createHash('sha256').update(this.body).digest('hex');
    if (this.shared.textsTaken.get(key) === digest) return this.answerYes();
    const peer = this.peer.info;
    const offer: IncomingOffer = { transferId, peer, text, entries: [], fileCount: 0, dirCount: 0, totalBytes: bytes };
    this.shared.emit({ event: 'offer', direction: 'receive', transferId, peer, fileCount: 0, dirCount: 0, totalBytes: bytes });
    this.conn.setIdleTimeout(ANSWER_TIMEOUT_MS);
    let decision: Decision;
    try {
      decision = await this.shared.decide(offer, this.signal);
    } catch (err) {
      decision = { accept: false, code: 'INTERNAL', message: `could not decide: ${toFerryError(err).message}` };
    }
    if (this.signal.aborted) return; // the connection closed (cancelled, timed out) meanwhile
    if (!decision.accept) {
      const code = decision.code ?? 'DECLINED';
      const message = decision.message ?? 'the receiver declined';
      this.conn.send({ type: 'answer', transferId, accept: false, code, message });
      this.shared.emit({ event: 'declined', direction: 'receive', transferId, code, message });
      this.conn.close(); // said and reported: a decline is not an error
      return;
    }
    this.conn.send({ type: 'answer', transferId, accept: true, resumeCount: 0 });
    remember(this.shared.textsTaken, key, digest);
    this.shared.emit({ event: 'accepted', direction: 'receive', transferId, resumedBytes: 0, bytesToSend: bytes });
    this.shared.emit({ event: 'text', direction: 'receive', transferId, text });
    this.shared.emit({
      event: 'done',
      direction: 'receive',
      transferId,
      ok: true,
      files: 0,
      failed: 0,
      bytes,
      wireBytes: this.conn.wireBytesIn,
      seconds: (performance.now() - this.startedAt) / 1000,
    });
    this.conn.close(); // the accepting answer is the last frame of a text's connection
  }

  /** Yes, and goodbye, for a text already shown. */
  private answerYes(): void {
    this.conn.send({ type: 'answer', transferId: this.header.transferId, accept: true, resumeCount: 0 });
    this.conn.close();
  }
}

function remember(taken: Map<string, string>, key: string, digest: string): void {
  taken.delete(key);
  taken.set(key, digest);
  // Oldest first: a Map iterates in insertion order.
  if (taken.size > TEXTS_REMEMBERED) taken.delete(taken.keys().next().value!);
}
