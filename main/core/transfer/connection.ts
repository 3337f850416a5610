// One framed protocol connection over a socket: decodes and validates incoming frames,
// writes outgoing ones, and enforces the timeouts that keep a stalled or dripping peer
// from holding resources. Both the receiver and the sender speak through this.

import type { Socket } from 'node:net';
import { debugLog } from '../debug-log.js';
import { FerryError, toFerryError } from '../errors.js';
import { encodeFrame, encodeHeaderBefore, FrameDecoder } from '../protocol/frame.js';
import { HANDSHAKE_TIMEOUT_MS, IDLE_TIMEOUT_MS, MAX_MESSAGE_CHARS } from '../protocol/limits.js';
import { bodyLength, validateMessage, type Data, type Message, type TextMessage } from '../protocol/messages.js';

/** How long a closing connection waits for the peer's own close before cutting it off. */
const CLOSE_LINGER_MS = 5000;
/** The same after a TLS failure: the peer has nothing valid left to say, only the alert to read. */
const TLS_ERROR_LINGER_MS = 2000;

export interface ConnectionHandler {
  message(m: Message): void;
  /**
   * Bytes of the current frame's body: a data frame's file bytes (a file ends with file-end, not
   * with a body), or a text frame's text (complete once its `bytes` have come).
   */
  body(chunk: Buffer): void;
  /** The connection is gone; err is why, or null after a clean close. */
  closed(err: FerryError | null): void;
}

export interface ConnectionOptions {
  idleTimeoutMs?: number;
  /** A header must complete within this long of its first byte (defeats slow-drip headers). */
  headerTimeoutMs?: number;
}

export class Connection {
  private readonly decoder: FrameDecoder;
  private headerTimer: NodeJS.Timeout | null = null;
  private headerTimed = -1;
  private paused = false;
  private closing = false;
  private done = false;
  /** File (or text) bytes read off / written to the wire (bodies only). */
  wireBytesIn = 0;
  wireBytesOut = 0;

  constructor(
    readonly socket: Socket,
    private readonly handler: ConnectionHandler,
    private readonly options: ConnectionOptions = {},
  ) {
    this.decoder = new FrameDecoder({
      header: (raw) => {
        const m = validateMessage(raw);
        handler.message(m);
        return bodyLength(m);
      },
      body: (chunk) => {
        this.wireBytesIn += chunk.length;
        handler.body(chunk);
      },
      bodyEnd: () => {},
    });
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
    socket.on('timeout', () => this.fail(new FerryError('TIMEOUT', 'the peer sent nothing for too long')));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      const e = toFerryError(err, 'CONNECTION_LOST');
      // A TLS socket that fails after its handshake (a record that does not decrypt, an
      // alert) reports the error but stays open: it would hold its slot and keep the process
      // alive for good. It is not destroyed at once either: OpenSSL has just written an
      // alert that says why, and closing with the peer's data unread would send a TCP reset,
      // which can destroy that alert before the peer reads it (it would then see a reset
      // connection). So it drains briefly, like every close (see close()).
      // (When the failure is the peer's alert, the peer has nothing more to read: at once.)
      const peerAlerted = /ALERT/.test(String((err as NodeJS.ErrnoException).code));
      if (e.code === 'TLS_ERROR' && !peerAlerted) this.linger(TLS_ERROR_LINGER_MS);
      else socket.destroy();
      debugLog('connection', `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'} failed: ${e.code}`, err);
      this.finish(e);
    });
    socket.on('close', () => this.finish(this.closing ? null : new FerryError('CONNECTION_LOST', 'the peer closed the connection')));
    socket.on('end', () => {
      // The peer will send no more; if we were not already closing, that is abrupt.
      if (!this.closing) this.finish(new FerryError('CONNECTION_LOST', 'the peer closed the connection'));
      socket.end();
    });
  }

  get isOpen(): boolean {
    return !this.done && !this.closing;
  }

  /** Suspends (0) or restores the idle timeout, e.g. while a person decides on an offer. */
  setIdleTimeout(ms: number | null): void {
    this.socket.setTimeout(ms ?? this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  }

  /** Writes one message; false means the socket's buffer is full (wait for drain()). */
  send(m: Message): boolean {
    if (this.done || this.socket.destroyed) return false;
    this.batch();
    return this.socket.write(encodeFrame(withShortMessage(m)));
  }

  /**
   * A frame with a body (data, or a text message): its header, then the body as it is (no
   * copy). `written` runs once the socket is done with the body, which may then be reused (not
   * if the connection breaks).
   */
  sendData(header: Data | TextMessage, body: Buffer, written?: () => void): boolean {
    if (this.done || this.socket.destroyed) return false;
    this.wireBytesOut += body.length;
    this.batch();
    this.socket.write(encodeFrame(header));
    return this.writeBody(body, written);
  }

  /**
   * A data frame whose body is `buf` from `bodyStart` on, with spare room before it: the
   * header is written into that room and the frame leaves as one buffer. TLS encrypts a
   * single buffer where it lies; a header and a body written apart are first copied into a
   * freshly allocated buffer of their joint size, for every chunk of a big file.
   */
  sendDataInPlace(header: Data, buf: Buffer, bodyStart: number, written?: () => void): boolean {
    const start = encodeHeaderBefore(header, buf, bodyStart);
    const body = buf.subarray(bodyStart, bodyStart + header.length);
    if (start < 0) return this.sendData(header, body, written);
    if (this.done || this.socket.destroyed) return false;
    this.wireBytesOut += body.length;
    this.batch();
    return this.writeBody(buf.subarray(start, bodyStart + header.length), written);
  }

  private writeBody(bytes: Buffer, written?: () => void): boolean {
    if (!written) return this.socket.write(bytes);
    return this.socket.write(bytes, (err) => {
      if (!err) written();
    });
  }

  // Frames written in the same tick leave in one writev: thousands of small files (a data
  // frame and a file-end each) or verdicts cost a handful of system calls, not one each.
  private corked = false;
  private batch(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
  }

  /** Resolves when the socket takes writes again, or the connection is over (it may linger). */
  drain(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.done) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        this.drainWaiters.delete(done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
      this.drainWaiters.add(done);
    });
  }
  private readonly drainWaiters = new Set<() => void>();

  /** Stops reading (backpressure); a header we stopped in the middle of is not timed meanwhile. */
  pause(): void {
    this.socket.pause();
    this.paused = true;
    if (this.headerTimer) clearTimeout(this.headerTimer);
    this.headerTimer = null;
    this.headerTimed = -1;
  }

  resume(): void {
    if (this.done || !this.paused) return;
    this.paused = false;
    this.socket.resume();
    this.watchHeader();
  }

  /** Says why (an error frame), then closes. */
  fail(err: FerryError): void {
    if (this.done || this.closing) {
      this.finish(err);
      return;
    }
    this.send({ type: 'error', code: err.code, message: err.forPeer ?? err.message });
    this.close(err);
  }

  /** Closes after flushing what was written; err is reported to the handler as the reason. */
  close(err: FerryError | null = null): void {
    if (this.done || this.closing) return;
    this.closing = true;
    // Half-close (TLS close_notify, then TCP FIN) after what was written, and keep reading
    // (onData drops it) until the peer closes too: its close is seen at once and the slot
    // freed, and no unread data makes our close a TCP reset, which could destroy our last
    // frame (a cancel, an error) before the peer reads it. A peer that never closes is cut
    // off after CLOSE_LINGER_MS.
    if (this.headerTimer) clearTimeout(this.headerTimer);
    this.socket.end();
    this.linger(CLOSE_LINGER_MS);
    this.finish(err);
  }

  /** Keeps reading (and dropping) what the peer still sends until it closes, at most ms. */
  private linger(ms: number): void {
    this.socket.resume();
    const t = setTimeout(() => this.socket.destroy(), ms);
    t.unref();
    this.socket.once('close', () => clearTimeout(t));
  }

  /** Closes at once, without a goodbye (used when the peer is already gone or superseded). */
  destroy(err: FerryError): void {
    this.socket.destroy();
    this.finish(err);
  }

  private onData(chunk: Buffer): void {
    if (this.done || this.closing) return;
    try {
      this.decoder.push(chunk);
    } catch (err) {
      this.fail(toFerryError(err));
      return;
    }
    this.watchHeader();
  }

  private watchHeader(): void {
    const mid = this.decoder.midHeader && !this.paused;
    // Each header gets its own deadline from its first byte.
    if (mid && this.headerTimed !== this.decoder.headers) {
      if (this.headerTimer) clearTimeout(this.headerTimer);
      this.headerTimed = this.decoder.headers;
      this.headerTimer = setTimeout(
        () => this.fail(new FerryError('TIMEOUT', 'a frame header took too long to arrive')),
        this.options.headerTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      );
    } else if (!mid && this.headerTimer) {
      clearTimeout(this.headerTimer);
      this.headerTimer = null;
      this.headerTimed = -1;
    }
  }

  private finish(err: FerryError | null): void {
    if (this.done) return;
    this.done = true;
    if (this.headerTimer) clearTimeout(this.headerTimer);
    this.socket.setTimeout(0);
    for (const w of [...this.drainWaiters]) w();
    this.handler.closed(err);
  }
}

// Message texts often quote untrusted paths, and a peer rejects the whole frame when one is
// longer than the protocol allows: shortened here, once, instead of at every caller.
function withShortMessage(m: Message): Message {
  if (!('message' in m) || m.message.length <= MAX_MESSAGE_CHARS) return m;
  let text = m.message.slice(0, MAX_MESSAGE_CHARS - 1);
  if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1); // never half a surrogate pair
  return { ...m, message: `${text}…` };
}
