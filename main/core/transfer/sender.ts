// Sends one transfer: offer, then every file back to back with no per-file round trip,
// verdicts arriving asynchronously. A broken connection is retried with backoff and
// resumes where the receiver says it stands; a checksum mismatch re-sends that file once.

import { createHash, hash as cryptoHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as tls from 'node:tls';
import { FerryError, isRetryable, toFerryError, type ErrorCode } from '../errors.js';
import { ACCEPTED_IDLE_TIMEOUT_MS, ANSWER_TIMEOUT_MS, PROTOCOL_MAJOR } from '../protocol/limits.js';
import { inFrames, isDir, protocolVersion, type FileEntry, type Message, type ResumePoint } from '../protocol/messages.js';
import { printable } from '../protocol/wire-path.js';
import { exportKeyingMaterial, newNonce, proofFor, proofMatches, type ProofInput } from '../security/secret.js';
import { clientTlsOptions, peerFingerprint } from '../security/tls.js';
import type { TrustView } from '../security/trust.js';
import { verificationCode } from '../security/verification-code.js';
import { Connection } from './connection.js';
import { md5Prefix, OPEN_READ } from './disk.js';
import type { EventSink, PeerInfo } from './events.js';
import { helloFor, type LocalIdentity } from './identity.js';
import { eta, RateMeter, Throttle } from './progress.js';
import { DEFAULT_RETRIES, retryDelayMs, retryPolicy, shouldRetry } from './retry-policy.js';
import { collectSource, type Source } from './source.js';

export interface SendOptions {
  host: string;
  port: number;
  /** Paths to send, or a source already collected. */
  paths?: readonly string[];
  source?: Source;
  identity: LocalIdentity;
  /** Reconnect attempts after a broken connection (consecutive ones without progress). */
  retries?: number;
  onEvent?: EventSink;
  signal?: AbortSignal;
  connectTimeoutMs?: number;
  answerTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** The first delay before a reconnect (it doubles each time, up to 10 s). */
  backoffMs?: number;
  /** Keep the same transfer id across process runs (tests, the UI's Retry). */
  transferId?: string;
  /** The device we mean to reach (from discovery or a pin): anyone else is refused. */
  expectDeviceId?: string;
  /** Shared-secret mode: the receiver must prove it knows this too. */
  secret?: Buffer | null;
  /** Pinned devices: a trusted name with another certificate is refused. */
  trust?: TrustView | null;
}

export interface SendResult {
  transferId: string;
  ok: boolean;
  files: number;
  failed: Array<{ path: string; code: ErrorCode; message: string }>;
  bytes: number;
  wireBytes: number;
  peer: PeerInfo | null;
}

const CHUNK = 1024 * 1024;
const SMALL_FILE = 256 * 1024;

// Read buffers the socket has finished with, for the next chunks. Allocating a fresh 1 MiB
// buffer per chunk made V8 run a full garbage collection every ~30 MB sent (external memory
// pressure): a tenth of the sender's CPU on a big file. The sender reads one chunk ahead of
// the socket, so a few are enough, shared by the transfers of a process.
// Each holds HEADROOM spare bytes before the chunk, for the data frame's header (see
// Connection.sendDataInPlace).
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 8;
const HEADROOM = 256;

function takeChunk(size: number): Buffer {
  return size === CHUNK ? (spareChunks.pop() ?? Buffer.allocUnsafe(HEADROOM + CHUNK)) : Buffer.allocUnsafe(HEADROOM + size);
}

function giveBack(buf: Buffer): void {
  if (buf.length === HEADROOM + CHUNK && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(buf);
}

/** A failure the receiver reported in an `error` frame (what it blames on us is not retried). */
class PeerError extends FerryError {}

interface OutFile {
  index: number;
  entry: FileEntry;
  local: string;
  md5: string | null;
  /** Confirmed by the receiver on the current connection. */
  verified: boolean;
  /** file-done was emitted (once per transfer, whatever the reconnects). */
  reported: boolean;
  /** Bytes of this file counted as done on the current connection. */
  counted: number;
  failure: { code: ErrorCode; message: string } | null;
  mismatches: number;
  resumedFrom: number;
  alreadyPresent: boolean;
  /** The connection's file data bytes sent up to this file's end (its verdict covers them). */
  wireEnd: number;
}

export async function sendFiles(opts: SendOptions): Promise<SendResult> {
  const emit = opts.onEvent ?? (() => {});
  const source = opts.source ?? (await collectSource(opts.paths ?? []));
  const transferId = opts.transferId ?? randomBytes(12).toString('base64url');
  const files: OutFile[] = [];
  source.entries.forEach((e, index) => {
    if (!isDir(e)) {
      files.push({
        index,
        entry: e,
        local: source.locals[index]!,
        md5: null,
        verified: false,
        reported: false,
        counted: 0,
        failure: null,
        mismatches: 0,
        resumedFrom: 0,
        alreadyPresent: false,
        wireEnd: 0,
      });
    }
  });
  emit({
    event: 'offer',
    direction: 'send',
    transferId,
    peer: null,
    fileCount: source.fileCount,
    dirCount: source.entries.length - source.fileCount,
    totalBytes: source.totalBytes,
  });
  const policy = retryPolicy(opts.retries ?? DEFAULT_RETRIES, opts.backoffMs);
  const started = performance.now();
  let failures = 0;
  let failingSince = started;
  let mostHeld = 0;
  let attempt = 0;
  let wireBytes = 0;
  let peer: PeerInfo | null = null;
  for (;;) {
    attempt++;
    const reportedBefore = files.filter((f) => f.reported).length;
    const attemptStarted = performance.now();
    const run = new SendAttempt(opts, source, files, transferId, emit);
    try {
      emit({ event: 'connecting', direction: 'send', transferId, host: opts.host, port: opts.port, attempt });
      await run.run();
      wireBytes += run.wireBytes;
      peer = run.peer;
      break;
    } catch (err) {
      wireBytes += run.wireBytes;
      peer = run.peer ?? peer;
      const e = toFerryError(err);
      // Progress is what the receiver keeps: a file verified for the first time, or more held
      // at this answer than at any before (the bytes an earlier attempt sent were kept). Bytes
      // merely sent do not count: a receiver that keeps nothing would be retried for ever.
      const kept = run.heldAtAnswer !== null && run.heldAtAnswer > mostHeld;
      if (run.heldAtAnswer !== null) mostHeld = Math.max(mostHeld, run.heldAtAnswer);
      const progressed = files.filter((f) => f.reported).length > reportedBefore || kept;
      if (progressed || failures === 0) failingSince = attemptStarted;
      failures = progressed ? 1 : failures + 1;
      const byPeer = e instanceof PeerError;
      if (!shouldRetry(policy, e.code, byPeer, failures) || opts.signal?.aborted) {
        if (e.code === 'CANCELLED') {
          emit({ event: 'cancelled', direction: 'send', transferId, by: run.cancelledByPeer ? 'peer' : 'local', message: e.message });
        } else if (e.code === 'DECLINED' || e.code === 'NO_SPACE') {
          emit({ event: 'declined', direction: 'send', transferId, code: e.code, message: e.message });
        } else {
          const tried = (performance.now() - failingSince) / 1000;
          const why = isRetryable(e.code, byPeer)
            ? `${e.message} (gave up after ${failures} ${failures === 1 ? 'attempt' : 'attempts'} over ${tried < 10 ? tried.toFixed(1) : Math.round(tried)} s)`
            : e.message;
          emit({ event: 'error', direction: 'send', transferId, code: e.code, message: why });
          throw new FerryError(e.code, why, { cause: e });
        }
        throw e;
      }
      const delayMs = retryDelayMs(policy, failures);
      emit({ event: 'retry', direction: 'send', transferId, attempt, delayMs: Math.round(delayMs), code: e.code, message: e.message });
      try {
        await sleep(delayMs, opts.signal);
      } catch (cancelled) {
        emit({ event: 'cancelled', direction: 'send', transferId, by: 'local', message: 'cancelled while waiting to reconnect' });
        throw cancelled;
      }
    }
  }
  const failed = files
    .filter((f) => !f.verified)
    .map((f) => ({ path: f.entry.path, ...(f.failure ?? { code: 'INTERNAL' as const, message: 'not verified' }) }));
  const result: SendResult = {
    transferId,
    ok: failed.length === 0,
    files: files.length - failed.length,
    failed,
    bytes: source.totalBytes,
    wireBytes,
    peer,
  };
  emit({
    event: 'done',
    direction: 'send',
    transferId,
    ok: result.ok,
    files: result.files,
    failed: failed.length,
    bytes: source.totalBytes,
    wireBytes,
    seconds: (performance.now() - started) / 1000,
  });
  return result;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new FerryError('CANCELLED', 'cancelled'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One connection's worth of a transfer. */
class SendAttempt {
  peer: PeerInfo | null = null;
  cancelledByPeer = false;
  private conn: Connection | null = null;
  private inbox: Message[] = [];
  private waiter: ((m: Message | null) => void) | null = null;
  private closedWith: FerryError | null = null;
  private isClosed = false;
  private readonly outstanding = new Set<number>();
  private readonly retryQueue: OutFile[] = [];
  private verdictWaiter: (() => void) | null = null;
  private readonly byIndex = new Map<number, OutFile>();
  private readonly meter = new RateMeter();
  private readonly progress: Throttle;
  private doneBytes = 0;
  /** The receiver speaks 1.1: it reports what arrived, and may refuse files in its answer. */
  private peerAcks = false;
  /** The answer is in: verdicts are news about files sent (before, they are refusals). */
  private streaming = false;
  /** File data bytes of this connection the receiver holds (see acknowledged). */
  private acked = 0;
  private reportedReceived = 0;
  /** What the receiver held of this transfer when it answered (resume points), or null. */
  heldAtAnswer: number | null = null;

  constructor(
    private readonly opts: SendOptions,
    private readonly source: Source,
    private readonly files: OutFile[],
    private readonly transferId: string,
    private readonly emit: EventSink,
  ) {
    for (const f of files) this.byIndex.set(f.index, f);
    this.progress = new Throttle(() => this.emitProgress());
  }

  get wireBytes(): number {
    return this.conn?.wireBytesOut ?? 0;
  }

  async run(): Promise<void> {
    const socket = await this.connect();
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
    this.conn = conn;
    const onAbort = (): void => {
      conn.send({ type: 'cancel', message: 'cancelled by the sender' });
      conn.close(new FerryError('CANCELLED', 'cancelled by the sender'));
    };
    if (this.opts.signal?.aborted) onAbort();
    this.opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.session(conn);
    } catch (err) {
      const e = toFerryError(err);
      // Tell the receiver why before closing, unless the connection is already gone.
      if (conn.isOpen) conn.fail(e);
      throw this.closedWith && this.closedWith.code !== 'CONNECTION_LOST' ? this.closedWith : e;
    } finally {
      this.opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  private connect(): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: this.opts.host,
        port: this.opts.port,
        ...clientTlsOptions(this.opts.identity.tls),
      });
      let connected = false;
      socket.once('connect', () => (connected = true));
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new FerryError('CONNECT_FAILED', `no answer from ${this.opts.host}:${this.opts.port}`));
      }, this.opts.connectTimeoutMs ?? 10_000);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        // Reached, but closed during the handshake: a busy receiver (its connection caps) or
        // something that does not speak Ferry's TLS.
        if (connected && !(err as NodeJS.ErrnoException).code?.startsWith('ERR_SSL')) {
          reject(new FerryError('CONNECTION_LOST', `${this.opts.host}:${this.opts.port} closed the connection during the TLS handshake (busy, or not a Ferry receiver)`));
        } else if (connected) {
          reject(new FerryError('CONNECT_FAILED', `TLS handshake with ${this.opts.host}:${this.opts.port} failed: ${(err as Error).message}`));
        } else {
          reject(toFerryError(err, 'CONNECT_FAILED'));
        }
      });
    });
  }

  private async session(conn: Connection): Promise<void> {
    const socket = conn.socket as tls.TLSSocket;
    const secret = this.opts.secret ?? null;
    const nonce = newNonce();
    conn.send(helloFor(this.opts.identity, nonce, secret ? 'secret' : 'none'));
    const hello = await this.next('hello');
    if (hello.type !== 'hello') throw unexpectedReply(hello, 'hello');
    const version = protocolVersion(hello.protocol);
    if (version.major !== PROTOCOL_MAJOR) {
      throw new FerryError('UNSUPPORTED_VERSION', `the receiver speaks protocol ${hello.protocol}; this sender speaks ${PROTOCOL_MAJOR}.x`);
    }
    // A 1.1 receiver reports what has arrived, and refuses files up front (we announced 1.1 too).
    this.peerAcks = version.minor >= 1;
    if (peerFingerprint(socket) !== hello.deviceId) {
      throw new FerryError('IDENTITY_MISMATCH', 'the receiver\'s certificate does not belong to the device id it claims');
    }
    const name = printable(hello.deviceName);
    if (this.opts.expectDeviceId && hello.deviceId !== this.opts.expectDeviceId) {
      throw new FerryError(
        'IDENTITY_CHANGED',
        `${this.opts.host}:${this.opts.port} is "${name}" with device id ${hello.deviceId.slice(0, 16)}…, not the device expected (${this.opts.expectDeviceId.slice(0, 16)}…); nothing was sent`,
      );
    }
    const changed = this.opts.trust?.changedIdentity(hello.deviceId, hello.deviceName) ?? null;
    if (changed) {
      throw new FerryError(
        'IDENTITY_CHANGED',
        `the identity of "${name}" changed: you trust it as ${changed.id.slice(0, 16)}…, it now presents ${hello.deviceId.slice(0, 16)}…. If it was reinstalled, compare the verification code with its owner and trust it again; nothing was sent`,
      );
    }
    this.peer = {
      deviceId: hello.deviceId,
      deviceName: name,
      platform: printable(hello.platform),
      appVersion: printable(hello.appVersion),
      address: conn.socket.remoteAddress ?? this.opts.host,
      verificationCode: verificationCode(this.opts.identity.deviceId, hello.deviceId),
      trusted: this.opts.trust?.isTrusted(hello.deviceId) ?? false,
      identityChangedFrom: null,
    };
    if (secret || hello.auth === 'secret') {
      if (!secret) {
        throw new FerryError('AUTH_REQUIRED', `"${name}" only accepts devices that know its shared secret (--secret-file)`);
      }
      const input: ProofInput = {
        ekm: exportKeyingMaterial(socket),
        senderNonce: nonce,
        receiverNonce: hello.nonce,
        senderId: this.opts.identity.deviceId,
        receiverId: hello.deviceId,
      };
      conn.send({ type: 'auth', proof: proofFor(secret, 'sender', input) });
      const reply = await this.next('auth');
      if (reply.type !== 'auth') throw unexpectedReply(reply, 'a shared-secret proof');
      if (!proofMatches(secret, 'receiver', input, reply.proof)) {
        throw new FerryError('AUTH_FAILED', `"${name}" does not know the shared secret; nothing was sent`);
      }
    }
    this.emit({ event: 'connected', direction: 'send', transferId: this.transferId, peer: this.peer });

    conn.send({ type: 'offer', transferId: this.transferId, entryCount: this.source.entries.length, totalBytes: this.source.totalBytes });
    for (const group of inFrames(this.source.entries)) {
      if (!conn.send({ type: 'files', entries: group })) await conn.drain();
    }
    conn.setIdleTimeout(this.opts.answerTimeoutMs ?? ANSWER_TIMEOUT_MS);
    const answer = await this.next('answer');
    // From here we may go quiet while hashing a large resume prefix.
    conn.setIdleTimeout(this.opts.idleTimeoutMs ?? ACCEPTED_IDLE_TIMEOUT_MS);
    if (answer.type !== 'answer') throw unexpectedReply(answer, 'an answer');
    if (answer.transferId !== this.transferId) throw new FerryError('UNEXPECTED_MESSAGE', 'the answer is for another transfer');
    if (!answer.accept) throw new FerryError(answer.code === 'NO_SPACE' ? 'NO_SPACE' : 'DECLINED', printable(answer.message));
    const held = new Map<number, ResumePoint>();
    let points = 0;
    while (points < answer.resumeCount) {
      const m = await this.next('resume');
      if (m.type !== 'resume') throw unexpectedReply(m, 'resume points');
      for (const r of m.entries) {
        const f = this.byIndex.get(r.file);
        if (!f || r.offset > f.entry.size || held.has(r.file)) {
          throw new FerryError('BAD_MESSAGE', `resume point for file ${r.file} does not fit the offer`);
        }
        held.set(r.file, r);
      }
      points += m.entries.length;
    }
    if (points !== answer.resumeCount) throw new FerryError('BAD_MESSAGE', 'more resume points than announced');
    const refused = new Map<number, { code: ErrorCode; message: string }>();
    for (let i = 0; i < (answer.refusedCount ?? 0); i++) {
      const m = await this.next('refusals');
      if (m.type !== 'verdict' || m.ok) throw unexpectedReply(m, 'a refusal (a failing verdict)');
      const f = this.byIndex.get(m.file);
      if (!f || held.has(m.file) || refused.has(m.file)) {
        throw new FerryError('BAD_MESSAGE', `refusal of file ${m.file} does not fit the offer`);
      }
      refused.set(m.file, { code: m.code, message: printable(m.message) });
    }
    this.heldAtAnswer = [...held.values()].reduce((n, r) => n + (this.byIndex.get(r.file)!.failure ? 0 : r.offset), 0);
    this.streaming = true;
    for (const [index, failure] of refused) {
      const f = this.byIndex.get(index)!;
      if (f.failure) continue;
      f.failure = failure;
      this.emit({ event: 'file-failed', direction: 'send', transferId: this.transferId, path: printable(f.entry.path), ...failure, willRetry: false });
    }

    // Every file is settled afresh on each connection: what the receiver already holds
    // (including files verified on an earlier connection) costs only a file-end.
    let resumed = 0;
    for (const f of this.files) {
      f.verified = false;
      f.counted = 0;
      f.wireEnd = 0;
      if (!f.failure) resumed += held.get(f.index)?.offset ?? 0;
    }
    this.emit({
      event: 'accepted',
      direction: 'send',
      transferId: this.transferId,
      resumedBytes: resumed,
      bytesToSend: this.source.totalBytes - resumed,
    });

    for (const f of this.files) {
      if (!f.failure) await this.sendFile(conn, f, held.get(f.index) ?? null);
    }
    // Re-send files whose checksum did not match, once each, until every verdict is in.
    for (;;) {
      const retry = this.retryQueue.shift();
      if (retry) {
        await this.sendFile(conn, retry, null);
        continue;
      }
      if (this.outstanding.size === 0) break;
      await new Promise<void>((r) => (this.verdictWaiter = r));
      this.checkOpen();
    }
    conn.send({ type: 'end' });
    const bye = await this.next('end');
    if (bye.type !== 'end') throw unexpectedReply(bye, 'end');
    this.progress.flush();
    conn.close();
  }

  private async sendFile(conn: Connection, f: OutFile, held: ResumePoint | null): Promise<void> {
    this.checkOpen();
    const size = f.entry.size;
    let hash: Hash | null = null;
    let start = 0;
    try {
      if (held) {
        if (held.offset === size && f.md5 !== null) {
          // We know our md5 from an earlier attempt: no need to read the file again.
          if (f.md5 === held.md5) start = size;
        } else {
          // A local file shorter than the offset has changed: start over (stream() says so).
          const prefix = await md5Prefix(f.local, held.offset).catch(() => null);
          if (prefix && prefix.copy().digest('hex') === held.md5) {
            hash = prefix;
            start = held.offset;
          }
        }
      }
      f.resumedFrom = start;
      f.alreadyPresent = start === size && size > 0;
      this.count(f, start);
      if (start === size) {
        // Nothing to send: an empty file, or one the receiver holds whole (our md5 is known
        // from an earlier connection, or the prefix we just hashed is the whole file).
        f.md5 = size === 0 ? md5Of(Buffer.alloc(0)) : (f.md5 ?? hash!.digest('hex'));
      } else if (start === 0 && size <= SMALL_FILE) {
        const body = readSmallSync(f);
        f.md5 = md5Of(body); // one call: cheaper than a running hash for a small file
        if (!this.write(conn, f, 0, body)) await conn.drain();
      } else {
        f.md5 = await this.stream(conn, f, start, hash ?? createHash('md5'));
      }
    } catch (err) {
      const e = toFerryError(err, 'IO_ERROR');
      if (e.code !== 'SOURCE_CHANGED' && e.code !== 'IO_ERROR') throw e;
      this.checkOpen();
      f.failure = { code: e.code, message: e.message };
      // The receiver answers with a failing verdict; `end` waits for it like any other.
      this.outstanding.add(f.index);
      f.wireEnd = conn.wireBytesOut;
      conn.send({ type: 'file-error', file: f.index, code: e.code, message: e.message });
      this.emit({ event: 'file-failed', direction: 'send', transferId: this.transferId, path: printable(f.entry.path), code: e.code, message: e.message, willRetry: false });
      return;
    }
    this.checkOpen();
    this.outstanding.add(f.index);
    f.wireEnd = conn.wireBytesOut;
    if (!conn.send({ type: 'file-end', file: f.index, md5: f.md5 })) await conn.drain();
    this.progress.tick();
  }

  /** Reads a file from `start` in 1 MiB chunks, one read ahead of the socket. */
  private async stream(conn: Connection, f: OutFile, start: number, hash: Hash): Promise<string> {
    const fh = await fs.open(f.local, OPEN_READ);
    try {
      const st = await fh.stat();
      if (st.size !== f.entry.size || Math.trunc(st.mtimeMs) !== f.entry.mtime) {
        throw new FerryError('SOURCE_CHANGED', `${f.entry.path} changed since it was offered`);
      }
      const read = async (pos: number): Promise<{ buf: Buffer; length: number }> => {
        const want = Math.min(CHUNK, f.entry.size - pos);
        const buf = takeChunk(want);
        const { bytesRead } = await fh.read(buf, HEADROOM, want, pos);
        if (bytesRead !== want) throw new FerryError('SOURCE_CHANGED', `${f.entry.path} became shorter while being sent`);
        return { buf, length: want };
      };
      let pos = start;
      let next = read(pos);
      while (pos < f.entry.size) {
        const { buf, length } = await next;
        const after = pos + length;
        if (after < f.entry.size) next = read(after);
        hash.update(buf.subarray(HEADROOM, HEADROOM + length));
        this.checkOpen();
        const room = conn.sendDataInPlace({ type: 'data', file: f.index, offset: pos, length }, buf, HEADROOM, () => giveBack(buf));
        this.sent(f, length);
        pos = after;
        if (!room) await conn.drain();
        this.checkOpen();
      }
      return hash.digest('hex');
    } finally {
      await fh.close();
    }
  }

  private write(conn: Connection, f: OutFile, offset: number, body: Buffer): boolean {
    this.checkOpen();
    const room = conn.sendData({ type: 'data', file: f.index, offset, length: body.length }, body);
    this.sent(f, body.length);
    return room;
  }

  private sent(f: OutFile, bytes: number): void {
    this.count(f, bytes);
    // With a 1.1 receiver, speed is measured on what arrives there (see acknowledged).
    if (!this.peerAcks) this.meter.add(bytes);
    this.progress.tick();
  }

  /**
   * The receiver holds the first `bytes` of the file data sent on this connection: it said
   * so (`received`), or it gave a verdict on a file (everything before that file's end).
   * Progress counts these, not what was handed to the socket: kernel buffers on both ends
   * hold megabytes, which on a slow link is seconds that the receiver does not yet have.
   */
  private acknowledged(bytes: number): void {
    if (bytes <= this.acked) return;
    if (this.peerAcks) this.meter.add(bytes - this.acked);
    this.acked = bytes;
    this.progress.tick();
  }

  private count(f: OutFile, bytes: number): void {
    f.counted += bytes;
    this.doneBytes += bytes;
  }

  private onMessage(m: Message): void {
    switch (m.type) {
      case 'verdict':
        if (!this.streaming) break; // a refusal, read in order by session()
        return this.onVerdict(m.file, m.ok ? null : { code: m.code, message: printable(m.message) });
      case 'received': {
        const sent = this.conn?.wireBytesOut ?? 0;
        if (!this.streaming || !this.peerAcks) throw new FerryError('UNEXPECTED_MESSAGE', 'received before the transfer started');
        if (m.bytes < this.reportedReceived || m.bytes > sent) {
          throw new FerryError('BAD_MESSAGE', `received.bytes ${m.bytes} is not between the last report (${this.reportedReceived}) and the ${sent} bytes sent`);
        }
        this.reportedReceived = m.bytes;
        return this.acknowledged(m.bytes);
      }
      case 'cancel':
        this.cancelledByPeer = true;
        this.conn?.close(new FerryError('CANCELLED', printable(m.message) || 'cancelled by the receiver'));
        return;
      case 'error':
        this.conn?.close(new PeerError(m.code, `receiver: ${printable(m.message)}`));
        return;
    }
    this.inbox.push(m);
    this.wake();
  }

  private onVerdict(index: number, failure: { code: ErrorCode; message: string } | null): void {
    const f = this.byIndex.get(index);
    if (!f || !this.outstanding.has(index)) throw new FerryError('UNEXPECTED_MESSAGE', `verdict for file ${index}, which awaits none`);
    this.outstanding.delete(index);
    this.acknowledged(f.wireEnd);
    try {
      this.settle(f, failure);
    } finally {
      const w = this.verdictWaiter;
      this.verdictWaiter = null;
      w?.();
    }
  }

  private settle(f: OutFile, failure: { code: ErrorCode; message: string } | null): void {
    if (f.failure) return; // the answer to our own file-error
    if (!failure) {
      f.verified = true;
      if (f.reported) return;
      f.reported = true;
      this.emit({
        event: 'file-done',
        direction: 'send',
        transferId: this.transferId,
        path: printable(f.entry.path),
        size: f.entry.size,
        md5: f.md5!,
        verified: true,
        resumedFrom: f.resumedFrom,
        alreadyPresent: f.alreadyPresent,
      });
    } else {
      const willRetry = failure.code === 'CHECKSUM_MISMATCH' && f.mismatches === 0;
      if (failure.code === 'CHECKSUM_MISMATCH') f.mismatches++;
      this.doneBytes -= f.counted;
      f.counted = 0;
      if (willRetry) this.retryQueue.push(f);
      else f.failure = failure;
      this.emit({ event: 'file-failed', direction: 'send', transferId: this.transferId, path: printable(f.entry.path), ...failure, willRetry });
    }
  }

  private next(what: string): Promise<Message> {
    const m = this.inbox.shift();
    if (m) return Promise.resolve(m);
    this.checkOpen();
    return new Promise((resolve, reject) => {
      this.waiter = (msg) => {
        if (msg) resolve(msg);
        else reject(this.closedWith ?? new FerryError('CONNECTION_LOST', `connection closed while waiting for ${what}`));
      };
    });
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    const m = this.inbox.shift();
    if (m || this.isClosed) {
      this.waiter = null;
      w(m ?? null);
    }
  }

  private checkOpen(): void {
    if (this.isClosed) throw this.closedWith ?? new FerryError('CONNECTION_LOST', 'the connection closed');
  }

  private onClosed(err: FerryError | null): void {
    this.isClosed = true;
    this.closedWith = err ?? (this.closedWith || null);
    this.wake();
    const v = this.verdictWaiter;
    this.verdictWaiter = null;
    v?.();
  }

  private emitProgress(): void {
    const rate = this.meter.rate();
    // A 1.0 receiver says nothing until a file's verdict: count what left, as before.
    const inFlight = this.peerAcks ? Math.max(0, (this.conn?.wireBytesOut ?? 0) - this.acked) : 0;
    const transferred = Math.max(0, this.doneBytes - inFlight);
    this.emit({
      event: 'progress',
      direction: 'send',
      transferId: this.transferId,
      transferred,
      total: this.source.totalBytes,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(this.source.totalBytes - transferred, rate),
      filesDone: this.files.filter((f) => f.verified).length,
      fileCount: this.files.length,
    });
  }
}

function md5Of(data: Buffer): string {
  return cryptoHash('md5', data);
}

function unexpectedReply(m: Message, wanted: string): FerryError {
  return new FerryError('UNEXPECTED_MESSAGE', `the receiver sent ${m.type} instead of ${wanted}`);
}


// Small files are read synchronously: open, read and close take microseconds, less than
// the thread-pool round trips of the async calls, and that is what keeps 10,000 small
// files as fast as one big one.
function readSmallSync(f: OutFile): Buffer {
  const fd = openSync(f.local, OPEN_READ);
  try {
    const st = fstatSync(fd);
    if (st.size !== f.entry.size || Math.trunc(st.mtimeMs) !== f.entry.mtime) {
      throw new FerryError('SOURCE_CHANGED', `${f.entry.path} changed since it was offered`);
    }
    const buf = Buffer.allocUnsafe(f.entry.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) throw new FerryError('SOURCE_CHANGED', `${f.entry.path} became shorter while being read`);
      got += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}
