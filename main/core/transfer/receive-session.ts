// One incoming connection, start to finish: hello, offer, the decision, then file data
// with per-file md5 verification before a file takes its final name. One instance per
// connection; many run at once and share nothing but the claims on partial files.

import { createHash, type Hash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { lstatSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FerryError, toFerryError, type ErrorCode } from '../errors.js';
import { formatBytes } from '../format.js';
import { ACCEPTED_IDLE_TIMEOUT_MS, ANSWER_TIMEOUT_MS, MAX_OFFER_PATH_BYTES, PROTOCOL_MAJOR, RECEIVED_INTERVAL_MS } from '../protocol/limits.js';
import { inFrames, isDir, protocolVersion, type Entry, type FileEntry, type Message } from '../protocol/messages.js';
import { printable } from '../protocol/wire-path.js';
import type { AuthBackoff } from '../security/auth-backoff.js';
import { exportKeyingMaterial, newNonce, proofFor, proofMatches, type ProofInput } from '../security/secret.js';
import { peerFingerprint } from '../security/tls.js';
import type { TrustView } from '../security/trust.js';
import { verificationCode } from '../security/verification-code.js';
import { Connection } from './connection.js';
import { claimFinalName, FolderMaker, freeSpace, inside, md5Prefix, PART_NAME, partName, wireParts } from './disk.js';
import type { EventSink, PeerInfo } from './events.js';
import { FileSink } from './file-sink.js';
import { helloFor, type LocalIdentity } from './identity.js';
import { eta, RateMeter, Throttle } from './progress.js';

/** What a host is asked to decide on. */
export interface IncomingOffer {
  transferId: string;
  peer: PeerInfo;
  entries: readonly Entry[];
  fileCount: number;
  dirCount: number;
  totalBytes: number;
}

export type Decision = { accept: true } | { accept: false; code?: ErrorCode; message?: string };

/** What sessions of one receiver share. */
export interface ReceiverShared {
  root: string;
  identity: LocalIdentity;
  decide(offer: IncomingOffer, signal: AbortSignal): Promise<Decision>;
  emit: EventSink;
  /** Partial-file path → the session writing it. */
  claims: Map<string, ReceiveSession>;
  /** Sessions receiving file data now (they share the memory for data waiting on the disk). */
  streaming: Set<ReceiveSession>;
  /** Finished files by resume key, so a retried offer skips what already arrived. */
  completed: Map<string, { path: string; md5: string; size: number; mtime: number }>;
  /** Bytes kept free on the volume beyond the offer itself. */
  reserveBytes: number;
  idleTimeoutMs?: number;
  secret: Buffer | null;
  trust: TrustView | null;
  backoff: AuthBackoff;
}

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
// Files up to this size are assembled in memory and written in one go.
const SMALL_FILE = 256 * 1024;
// Pause reading the socket when this much is waiting for the disk: 8 MiB for a connection
// streaming alone, an equal share of 64 MiB when many do at once, never less than 2 MiB.
// Without the shared part, 128 accepted senders into a slow disk could hold 1 GiB; now at
// most 256 MiB. The floor keeps the resume mark (a quarter) above a small file held whole
// in memory (SMALL_FILE), so a paused connection always has writes in flight to wake it.
const MAX_BUFFERED = 8 * 1024 * 1024;
const SHARED_BUFFERED = 64 * 1024 * 1024;
const MIN_BUFFERED = 2 * 1024 * 1024;

/** How much one of `streaming` connections may have waiting for the disk before it pauses. */
export function bufferLimit(streaming: number): number {
  return Math.max(MIN_BUFFERED, Math.min(MAX_BUFFERED, Math.floor(SHARED_BUFFERED / Math.max(1, streaming))));
}
// Files verified and being renamed at once; beyond this, reading pauses.
const MAX_FINISHING = 64;
const COMPLETED_CACHE_MAX = 100_000;
/** How long an interrupted transfer's partial file waits for its sender to come back. */
export const PARTIAL_TTL_MS = 7 * 24 * 3600 * 1000;

interface Held {
  kind: 'partial' | 'present';
  offset: number;
  md5: string; // md5 of bytes [0, offset)
  hash: Hash | null; // running state after `offset` bytes (partials only)
  presentName?: string;
}

interface InFile {
  index: number;
  entry: FileEntry;
  parts: string[];
  /** The folder the file lands in (absolute), and its temporary file there. */
  dir: string;
  partPath: string | null;
  held: Held | null;
  status: 'waiting' | 'receiving' | 'finishing' | 'done' | 'failed';
  /** A failed file the sender will send once more (after a checksum mismatch). */
  retryable: boolean;
  attempts: number;
  received: number;
  resumedFrom: number;
  hash: Hash | null;
  sink: FileSink | null;
}

type State = 'hello' | 'auth' | 'offer' | 'files' | 'deciding' | 'streaming' | 'ending' | 'closed';

export class ReceiveSession {
  private readonly conn: Connection;
  private state: State = 'hello';
  private peer: PeerInfo | null = null;
  private proofInput: ProofInput | null = null;
  private transferId = '';
  private expectedEntries = 0;
  private declaredBytes = 0;
  private entries: Entry[] = [];
  private pathBytes = 0;
  private readonly seen = new Set<string>();
  private files = new Map<number, InFile>();
  private current: InFile | null = null;
  private buffered = 0;
  private readonly finishing = new Set<Promise<void>>();
  private readonly folders: FolderMaker;
  private readonly decideAbort = new AbortController();
  private readonly meter = new RateMeter();
  private readonly progress: Throttle;
  private doneBytes = 0;
  private senderSpeaks11 = false;
  /** When we last told the sender how much file data arrived (protocol 1.1). */
  private receivedReportAt = 0;
  private filesDone = 0;
  private filesFailed = 0;
  private totalBytes = 0;
  private startedAt = performance.now();
  private closedResolve!: () => void;
  /** Resolves once the connection is gone and every open file is closed. */
  readonly closed: Promise<void> = new Promise((r) => (this.closedResolve = r));

  constructor(
    private readonly socket: TLSSocket,
    private readonly shared: ReceiverShared,
    handshakeTimeoutMs: number,
  ) {
    this.folders = new FolderMaker(shared.root);
    this.progress = new Throttle(() => this.emitProgress());
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
      if (this.state === 'hello' || this.state === 'auth') this.conn.fail(new FerryError('TIMEOUT', 'no hello in time'));
    }, handshakeTimeoutMs);
    t.unref();
    void this.closed.then(() => clearTimeout(t));
  }

  /** The offer's transfer id ('' until the offer arrives). */
  get currentTransferId(): string {
    return this.transferId;
  }

  get remoteAddress(): string {
    return this.conn.socket.remoteAddress ?? '?';
  }

  /** Cancels from this side (the user changed their mind). Partials are kept for a resume. */
  cancel(message = 'cancelled by the receiver'): void {
    if (this.state === 'closed') return;
    this.conn.send({ type: 'cancel', message });
    this.shared.emit({ event: 'cancelled', direction: 'receive', transferId: this.transferId, by: 'local', message });
    this.conn.close(new FerryError('CANCELLED', message));
  }

  /** A newer connection of the same sender wants our partial files: let go of them. */
  async supersede(): Promise<void> {
    this.conn.destroy(new FerryError('SUPERSEDED', 'a newer connection took over this transfer'));
    await this.closed;
  }

  // ---- incoming messages ----

  private onMessage(m: Message): void {
    switch (m.type) {
      case 'cancel':
        this.shared.emit({
          event: 'cancelled',
          direction: 'receive',
          transferId: this.transferId,
          by: 'peer',
          message: printable(m.message || 'cancelled by the sender'),
        });
        this.conn.close(new FerryError('CANCELLED', 'cancelled by the sender'));
        return;
      case 'error':
        this.conn.close(new FerryError(m.code, `peer error: ${printable(m.message)}`));
        return;
    }
    switch (this.state) {
      case 'hello':
        return this.onHello(m);
      case 'auth':
        if (m.type === 'end') return this.onProbeEnd();
        return this.onAuth(m);
      case 'offer':
        if (m.type === 'end') return this.onProbeEnd();
        if (m.type !== 'offer') throw unexpected(m, 'an offer');
        this.transferId = m.transferId;
        this.expectedEntries = m.entryCount;
        this.declaredBytes = m.totalBytes;
        this.state = 'files';
        return;
      case 'files':
        if (m.type !== 'files') throw unexpected(m, 'the offer\'s file list');
        return this.onFiles(m.entries);
      case 'deciding':
        throw new FerryError('UNEXPECTED_MESSAGE', `${m.type} before the offer was accepted`);
      case 'streaming':
        return this.onStreaming(m);
      default:
        throw unexpected(m, 'nothing');
    }
  }

  private onHello(m: Message): void {
    if (m.type !== 'hello') throw unexpected(m, 'hello');
    const { major, minor } = protocolVersion(m.protocol);
    if (major !== PROTOCOL_MAJOR) {
      throw new FerryError('UNSUPPORTED_VERSION', `protocol ${m.protocol} is not supported; this receiver speaks ${PROTOCOL_MAJOR}.x`);
    }
    // The device id is only as good as the key behind it: it must be this certificate's.
    const fingerprint = peerFingerprint(this.socket);
    if (fingerprint !== m.deviceId) {
      throw new FerryError(
        'IDENTITY_MISMATCH',
        fingerprint ? 'the sender\'s certificate does not belong to the device id it claims' : 'the sender presented no certificate',
      );
    }
    const wait = this.shared.backoff.waitFor(this.remoteAddress);
    if (wait > 0 && this.shared.secret) {
      throw new FerryError('RATE_LIMITED', `too many wrong shared-secret proofs from this address; try again in ${Math.ceil(wait / 1000)} s`);
    }
    const trust = this.shared.trust;
    const changed = trust?.changedIdentity(m.deviceId, m.deviceName) ?? null;
    this.peer = {
      deviceId: m.deviceId,
      deviceName: printable(m.deviceName),
      platform: printable(m.platform),
      appVersion: printable(m.appVersion),
      address: this.remoteAddress,
      verificationCode: verificationCode(m.deviceId, this.shared.identity.deviceId),
      trusted: trust?.isTrusted(m.deviceId) ?? false,
      identityChangedFrom: changed ? changed.id : null,
    };
    // 1.1 messages (`received`, refusals) go only to a sender that announced 1.1 too.
    this.senderSpeaks11 = minor >= 1;
    const nonce = newNonce();
    this.conn.send(helloFor(this.shared.identity, nonce, this.shared.secret ? 'secret' : 'none'));
    if (!this.shared.secret && m.auth !== 'secret') {
      this.state = 'offer';
      return;
    }
    if (!this.shared.secret) {
      throw new FerryError('AUTH_REQUIRED', 'the sender requires a shared secret, and this receiver has none set');
    }
    this.proofInput = {
      ekm: exportKeyingMaterial(this.socket),
      senderNonce: m.nonce,
      receiverNonce: nonce,
      senderId: m.deviceId,
      receiverId: this.shared.identity.deviceId,
    };
    this.state = 'auth';
  }

  private onAuth(m: Message): void {
    if (m.type !== 'auth') throw unexpected(m, 'a shared-secret proof');
    const secret = this.shared.secret!;
    if (!proofMatches(secret, 'sender', this.proofInput!, m.proof)) {
      this.shared.backoff.failed(this.remoteAddress);
      throw new FerryError('AUTH_FAILED', 'the shared-secret proof is wrong: the sender does not know this receiver\'s secret');
    }
    this.shared.backoff.succeeded(this.remoteAddress);
    this.conn.send({ type: 'auth', proof: proofFor(secret, 'receiver', this.proofInput!) });
    this.state = 'offer';
  }

  /** A local error's text as the peer may see it: where our download folder is is none of its business. */
  private forPeer(message: string): string {
    return message.split(this.shared.root).join('<download folder>');
  }

  /** A probe: hello and goodbye, nothing else. */
  private onProbeEnd(): void {
    this.conn.send({ type: 'end' });
    this.conn.close();
  }

  private onFiles(entries: Entry[]): void {
    if (this.entries.length + entries.length > this.expectedEntries) {
      throw new FerryError('BAD_MESSAGE', `more entries than the offer's entryCount (${this.expectedEntries})`);
    }
    for (const e of entries) {
      this.pathBytes += Buffer.byteLength(e.path, 'utf8');
      if (this.pathBytes > MAX_OFFER_PATH_BYTES) {
        throw new FerryError('LIMIT_EXCEEDED', `the offer's paths exceed ${MAX_OFFER_PATH_BYTES} bytes; send it as several transfers`);
      }
      const key = e.path.normalize('NFC');
      if (this.seen.has(key)) throw new FerryError('BAD_MESSAGE', `duplicate path ${JSON.stringify(e.path)}`);
      this.seen.add(key);
      if (!isDir(e)) this.totalBytes += e.size;
      this.entries.push(e);
    }
    if (this.entries.length < this.expectedEntries) return;
    // A file may not also be a folder of another entry (a/b as a file and a/b/c).
    const filePaths = new Set(this.entries.filter((e) => !isDir(e)).map((e) => e.path.normalize('NFC')));
    for (const e of this.entries) {
      const parts = e.path.normalize('NFC').split('/');
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (filePaths.has(prefix)) throw new FerryError('BAD_MESSAGE', `${JSON.stringify(prefix)} is both a file and a folder`);
      }
    }
    if (this.totalBytes !== this.declaredBytes) {
      throw new FerryError('BAD_MESSAGE', `offer.totalBytes ${this.declaredBytes} does not match the files (${this.totalBytes})`);
    }
    this.state = 'deciding';
    void this.decide();
  }

  private async decide(): Promise<void> {
    const fileCount = this.entries.filter((e) => !isDir(e)).length;
    const offer: IncomingOffer = {
      transferId: this.transferId,
      peer: this.peer!,
      entries: this.entries,
      fileCount,
      dirCount: this.entries.length - fileCount,
      totalBytes: this.totalBytes,
    };
    this.shared.emit({
      event: 'offer',
      direction: 'receive',
      transferId: this.transferId,
      peer: this.peer,
      fileCount,
      dirCount: offer.dirCount,
      totalBytes: this.totalBytes,
    });
    this.conn.setIdleTimeout(ANSWER_TIMEOUT_MS);
    let decision: Decision;
    try {
      decision = await this.shared.decide(offer, this.decideAbort.signal);
    } catch (err) {
      decision = { accept: false, code: 'INTERNAL', message: `could not decide: ${toFerryError(err).message}` };
    }
    if (this.state !== 'deciding') return;
    if (!decision.accept) return this.decline(decision.code ?? 'DECLINED', decision.message ?? 'the receiver declined');
    try {
      await this.prepare();
    } catch (err) {
      const e = toFerryError(err, 'IO_ERROR');
      if (e.code === 'NO_SPACE' && this.state === 'deciding') return this.decline('NO_SPACE', this.forPeer(e.message));
      return this.conn.fail(new FerryError(e.code, this.forPeer(e.message)));
    }
  }

  private decline(code: ErrorCode, message: string): void {
    if (this.state !== 'deciding') return;
    this.conn.send({ type: 'answer', transferId: this.transferId, accept: false, code, message });
    this.shared.emit({ event: 'declined', direction: 'receive', transferId: this.transferId, code, message });
    this.conn.close(); // said and reported: a decline is not an error
  }

  /** After acceptance: find what we already hold, check space, create the folders, answer. */
  private async prepare(): Promise<void> {
    const files: InFile[] = [];
    this.entries.forEach((e, index) => {
      if (isDir(e)) return;
      files.push({
        index,
        entry: e,
        parts: wireParts(e.path),
        dir: '',
        partPath: null,
        held: null,
        status: 'waiting',
        attempts: 0,
        retryable: false,
        received: 0,
        resumedFrom: 0,
        hash: null,
        sink: null,
      });
    });
    const dirs = new Map<string, string>();
    for (const f of files) {
      const parent = f.parts.slice(0, -1);
      const key = parent.join('/');
      let dir = dirs.get(key);
      if (dir === undefined) {
        dir = parent.length > 0 ? inside(this.shared.root, parent) : this.shared.root;
        dirs.set(key, dir);
      }
      f.dir = dir;
      f.partPath = path.join(dir, partName(this.peer!.deviceId, f.entry.path, f.entry.size, f.entry.mtime));
    }
    await this.claim(files);
    await this.findAllHeld(files);
    if (this.state !== 'deciding') return;
    const resume = [];
    let held = 0;
    for (const f of files) {
      // An empty file held has no resume point (its offset would be 0): its data-less
      // file-end finds it held all the same.
      if (f.held && f.held.offset > 0) {
        resume.push({ file: f.index, offset: f.held.offset, md5: f.held.md5 });
        held += f.held.offset;
      }
    }
    const needed = this.totalBytes - held;
    const free = await freeSpace(this.shared.root);
    if (needed + this.shared.reserveBytes > free) {
      throw new FerryError(
        'NO_SPACE',
        `not enough free space: the files need ${formatBytes(needed)}${held > 0 ? ' more' : ''} and ${formatBytes(this.shared.reserveBytes)} stays free, but only ${formatBytes(free)} is free`,
      );
    }
    // Accepted: make the tree now, before any data, so every small file that arrives can be
    // finished synchronously in a folder known to exist.
    const folders = new Set<string>();
    for (const e of this.entries) folders.add(isDir(e) ? e.path : e.path.slice(0, Math.max(0, e.path.lastIndexOf('/'))));
    folders.delete('');
    const blocked = new Map<string, string>();
    for (const dir of folders) {
      try {
        await this.folders.ensure(wireParts(dir));
      } catch (err) {
        // A folder we may not write through (a planted link): its files fail, the rest goes on.
        if (!(err instanceof FerryError && err.code === 'PATH_UNSAFE')) throw err;
        blocked.set(dir, err.message);
      }
      if (this.state !== 'deciding') return;
    }
    // A 1.1 sender is told at once which files cannot land, instead of streaming them for a
    // failing verdict; a 1.0 sender gets that verdict after it sent the file, as 1.0 says.
    const refusals: Array<{ f: InFile; message: string }> = [];
    for (const f of files) {
      const why = this.senderSpeaks11 ? blocked.get(f.entry.path.slice(0, Math.max(0, f.entry.path.lastIndexOf('/')))) : undefined;
      if (why === undefined) continue;
      f.status = 'failed';
      this.filesFailed++;
      refusals.push({ f, message: why });
    }
    for (const f of files) this.files.set(f.index, f);
    this.doneBytes = held;
    this.conn.send({
      type: 'answer',
      transferId: this.transferId,
      accept: true,
      resumeCount: resume.length,
      ...(this.senderSpeaks11 ? { refusedCount: refusals.length } : {}),
    });
    for (const group of inFrames(resume)) this.conn.send({ type: 'resume', entries: group });
    for (const { f, message } of refusals) {
      this.conn.send({ type: 'verdict', file: f.index, ok: false, code: 'PATH_UNSAFE', message: this.forPeer(message) });
    }
    this.state = 'streaming';
    this.shared.streaming.add(this);
    this.conn.setIdleTimeout(this.shared.idleTimeoutMs ?? ACCEPTED_IDLE_TIMEOUT_MS);
    this.startedAt = performance.now();
    this.shared.emit({
      event: 'accepted',
      direction: 'receive',
      transferId: this.transferId,
      resumedBytes: held,
      bytesToSend: needed,
    });
    for (const { f, message } of refusals) this.emitFileFailed(f, 'PATH_UNSAFE', message, false);
  }

  /** Takes the partial files of this offer, taking them from an older connection if need be. */
  private async claim(files: InFile[]): Promise<void> {
    const older = new Set<ReceiveSession>();
    for (const f of files) {
      const owner = this.shared.claims.get(f.partPath!);
      if (owner && owner !== this) older.add(owner);
    }
    for (const s of older) await s.supersede();
    for (const f of files) this.shared.claims.set(f.partPath!, this);
  }

  private release(): void {
    for (const f of this.files.values()) {
      if (f.partPath && this.shared.claims.get(f.partPath) === this) this.shared.claims.delete(f.partPath);
    }
  }

  /**
   * What we already hold of each file: a partial from an interrupted run, or the whole
   * file from an earlier one. One directory listing per folder keeps this cheap for
   * offers of many files; only names that are there get a closer look.
   */
  private async findAllHeld(files: InFile[]): Promise<void> {
    const listings = new Map<string, Promise<Set<string> | null>>();
    const list = (parts: string[]): Promise<Set<string> | null> => {
      const key = parts.join('/');
      let p = listings.get(key);
      if (!p) {
        p = this.listFolder(parts);
        listings.set(key, p);
      }
      return p;
    };
    for (const f of files) {
      const names = await list(f.parts.slice(0, -1));
      if (this.state !== 'deciding') return;
      // No real folder there: nothing of this offer can be in it (and a link is never trusted).
      // Most files of a new offer have neither a partial, a record nor a namesake: skip them fast.
      const worthALook =
        names !== null &&
        (names.has(path.basename(f.partPath!)) || names.has(f.parts.at(-1)!) || this.shared.completed.has(f.partPath!));
      f.held = worthALook ? await this.findHeld(f, names) : null;
    }
  }

  /** Names in root/parts…, or null if it does not exist or any step is not a real folder. */
  private async listFolder(parts: string[]): Promise<Set<string> | null> {
    // Synchronous metadata calls: cheaper than thread-pool round trips, folder after folder.
    for (let i = 1; i <= parts.length; i++) {
      const st = lstatSync(inside(this.shared.root, parts.slice(0, i)), { throwIfNoEntry: false });
      if (!st?.isDirectory()) return null; // missing, or a link we will refuse to write through
    }
    const dir = parts.length > 0 ? inside(this.shared.root, parts) : this.shared.root;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return null;
    }
    await this.sweepStalePartials(dir, names);
    return new Set(names.map((n) => n.normalize('NFC')));
  }

  /**
   * Partials nobody came back for are removed when we pass by their folder: those untouched
   * for PARTIAL_TTL and not held by a transfer in progress (this offer's own are claimed).
   */
  private async sweepStalePartials(dir: string, names: string[]): Promise<void> {
    const cutoff = Date.now() - PARTIAL_TTL_MS;
    for (const name of names) {
      if (!PART_NAME.test(name)) continue;
      const p = path.join(dir, name);
      if (this.shared.claims.has(p)) continue;
      const st = await lstatOrNull(p);
      if (st?.isFile() && st.mtimeMs < cutoff) await fs.rm(p, { force: true }).catch(() => {});
    }
  }

  private async findHeld(f: InFile, names: Set<string>): Promise<Held | null> {
    const size = f.entry.size;
    if (names.has(path.basename(f.partPath!))) {
      const partial = await lstatOrNull(f.partPath!);
      if (partial && partial.isFile() && partial.nlink === 1 && partial.size > 0 && partial.size <= size) {
        const hash = await md5Prefix(f.partPath!, partial.size);
        return { kind: 'partial', offset: partial.size, md5: hash.copy().digest('hex'), hash };
      }
    }
    // A file held whole is answered as held, empty ones too: a retried or repeated transfer
    // then ends with one copy of each file, never a "name (1)" of what is already there.
    const done = this.shared.completed.get(f.partPath!);
    if (done) {
      const st = await lstatOrNull(done.path);
      // Unchanged since we saved it (we stamped the sender's mtime): the md5 still holds.
      if (st?.isFile() && st.size === size && sameMtime(st.mtimeMs, done.mtime)) {
        return { kind: 'present', offset: size, md5: done.md5, hash: null, presentName: path.basename(done.path) };
      }
    }
    // The same file may have arrived in an earlier run of this receiver: same name, size and mtime.
    if (!names.has(f.parts.at(-1)!)) return null;
    const finalPath = inside(this.shared.root, f.parts);
    const st = await lstatOrNull(finalPath);
    if (st?.isFile() && st.size === size && sameMtime(st.mtimeMs, f.entry.mtime)) {
      const md5 = size === 0 ? EMPTY_MD5 : (await md5Prefix(finalPath, size)).digest('hex');
      return { kind: 'present', offset: size, md5, hash: null, presentName: path.basename(finalPath) };
    }
    return null;
  }

  // ---- streaming ----

  private onStreaming(m: Message): void {
    switch (m.type) {
      case 'data':
        return this.onData(m.file, m.offset, m.length);
      case 'file-end':
        return this.onFileEnd(m.file, m.md5);
      case 'file-error': {
        const f = this.fileAt(m.file);
        const open = f.status === 'waiting' || f.status === 'receiving' || (f.status === 'failed' && f.retryable);
        if (!open || (this.current && this.current !== f)) {
          throw new FerryError('UNEXPECTED_MESSAGE', `file-error for ${printable(f.entry.path)}, which is not in progress`);
        }
        this.current = null;
        this.track(this.failFile(f, m.code, `the sender could not send it: ${printable(m.message)}`, m.code === 'SOURCE_CHANGED'));
        return;
      }
      case 'end':
        if (this.current) throw new FerryError('BAD_MESSAGE', `end while ${this.current.entry.path} is incomplete`);
        this.state = 'ending';
        void this.finishTransfer();
        return;
      default:
        throw unexpected(m, 'file data');
    }
  }

  private fileAt(index: number): InFile {
    const f = this.files.get(index);
    if (!f) throw new FerryError('BAD_MESSAGE', `file ${index} is not a file of this offer`);
    return f;
  }

  private onData(index: number, offset: number, length: number): void {
    const f = this.fileAt(index);
    if (this.current && this.current !== f) {
      throw new FerryError('UNEXPECTED_MESSAGE', `data for file ${index} before ${this.current.entry.path} ended`);
    }
    if (!this.current) this.startFile(f, offset);
    else if (offset !== f.received) {
      throw new FerryError('BAD_MESSAGE', `data offset ${offset} for ${printable(f.entry.path)}, expected ${f.received}`);
    }
    if (offset + length > f.entry.size) {
      throw new FerryError('BAD_MESSAGE', `more bytes than the ${f.entry.size} declared for ${printable(f.entry.path)}`);
    }
  }

  private startFile(f: InFile, offset: number): void {
    const retryable = f.status === 'failed' && f.retryable;
    if (f.status !== 'waiting' && !retryable) {
      throw new FerryError('UNEXPECTED_MESSAGE', `${printable(f.entry.path)} is not expecting data`);
    }
    const resume = f.held?.kind === 'partial' && offset === f.held.offset && offset > 0;
    if (offset !== 0 && !resume) {
      throw new FerryError('BAD_MESSAGE', `data for ${printable(f.entry.path)} must start at 0 or at the resume offset`);
    }
    if (f.held && !resume) {
      this.doneBytes -= f.held.offset;
      f.held = null;
    }
    f.status = 'receiving';
    f.attempts++;
    f.received = offset;
    f.resumedFrom = offset;
    const small = !resume && f.entry.size <= SMALL_FILE;
    // A small file is hashed in one go when it ends (see FileSink.md5); others as they stream.
    f.hash = resume ? f.held!.hash : small ? null : createHash('md5');
    const ready = this.folders.isReady(f.dir) ? undefined : this.folders.ensure(f.parts.slice(0, -1));
    f.sink = new FileSink(f.partPath!, offset, small, (n) => this.flushed(n), ready);
    this.current = f;
  }

  private onBody(chunk: Buffer): void {
    const f = this.current!;
    f.hash?.update(chunk);
    f.received += chunk.length;
    this.buffered += chunk.length;
    f.sink!.write(chunk);
    this.doneBytes += chunk.length;
    this.meter.add(chunk.length);
    if (this.buffered > bufferLimit(this.shared.streaming.size)) this.conn.pause();
    this.progress.tick();
    if (this.senderSpeaks11) this.reportReceived();
  }

  /**
   * Tells a 1.1 sender how much file data has arrived, every RECEIVED_INTERVAL_MS while data
   * flows: its progress then shows what we hold, not what sits in the buffers between us.
   * The last bytes of a file are covered by its verdict.
   */
  private reportReceived(): void {
    const now = performance.now();
    if (now - this.receivedReportAt < RECEIVED_INTERVAL_MS) return;
    this.receivedReportAt = now;
    this.conn.send({ type: 'received', bytes: this.conn.wireBytesIn });
  }

  private flushed(bytes: number): void {
    this.buffered -= bytes;
    this.maybeResume();
  }

  private maybeResume(): void {
    if (this.buffered <= bufferLimit(this.shared.streaming.size) / 4 && this.finishing.size < MAX_FINISHING) this.conn.resume();
  }

  private onFileEnd(index: number, md5: string): void {
    const f = this.fileAt(index);
    if (this.current && this.current !== f) {
      throw new FerryError('UNEXPECTED_MESSAGE', `file-end for file ${index} while ${this.current.entry.path} is open`);
    }
    if (!this.current) {
      // No data this time: an empty file, or one we already hold whole.
      if (f.held && f.held.offset === f.entry.size) {
        if (f.status !== 'waiting') throw new FerryError('UNEXPECTED_MESSAGE', `${printable(f.entry.path)} already ended`);
        f.status = 'receiving';
        f.attempts++;
        f.resumedFrom = f.entry.size;
        f.received = f.entry.size;
        f.hash = f.held.hash;
        if (f.held.kind === 'partial') f.sink = new FileSink(f.partPath!, f.entry.size, false, (n) => this.flushed(n));
      } else if (f.entry.size === 0) {
        this.startFile(f, 0);
      } else {
        throw new FerryError('BAD_MESSAGE', `file-end for ${printable(f.entry.path)} without its ${f.entry.size} bytes`);
      }
    }
    if (f.received !== f.entry.size) {
      throw new FerryError('BAD_MESSAGE', `${printable(f.entry.path)} ended after ${f.received} of ${f.entry.size} bytes`);
    }
    this.current = null;
    f.status = 'finishing';
    this.finishFile(f, md5);
  }

  /** Work whose verdict must go out before `end`; too much of it pauses reading. */
  private track(work: Promise<void>): void {
    const p = work.finally(() => {
      this.finishing.delete(p);
      this.maybeResume();
    });
    this.finishing.add(p);
    if (this.finishing.size >= MAX_FINISHING) this.conn.pause();
  }

  /**
   * Verifies a file that has all its bytes and gives it its final name. A small file whose
   * folder exists is finished synchronously, right here: no promise, no thread-pool trip.
   */
  private finishFile(f: InFile, senderMd5: string): void {
    const ours = f.hash ? f.hash.digest('hex') : f.sink?.canFinishSync ? f.sink.md5() : f.held!.md5;
    f.hash = null;
    if (ours !== senderMd5) {
      const willRetry = f.attempts < 2;
      this.track(this.failFile(f, 'CHECKSUM_MISMATCH', `md5 ${ours} does not match the sender's ${senderMd5}`, true, willRetry));
      return;
    }
    if (f.held?.kind === 'present' && f.resumedFrom === f.entry.size) {
      this.succeed(f, f.held.presentName!, ours, true);
      return;
    }
    const sink = f.sink!;
    if (sink.canFinishSync && this.folders.isReady(f.dir)) {
      try {
        sink.finishSync(f.entry.mtime);
        this.succeed(f, claimFinalName(f.dir, f.parts.at(-1)!, f.partPath!), ours, false);
      } catch (err) {
        const e = toFerryError(err, 'IO_ERROR');
        this.track(this.failFile(f, e.code, e.message, false));
      }
      return;
    }
    this.track(this.store(f, ours));
  }

  private async store(f: InFile, md5: string): Promise<void> {
    try {
      await f.sink!.finish(f.entry.mtime);
      this.succeed(f, claimFinalName(f.dir, f.parts.at(-1)!, f.partPath!), md5, false);
    } catch (err) {
      const e = toFerryError(err, 'IO_ERROR');
      await this.failFile(f, e.code, e.message, false);
    }
  }

  private succeed(f: InFile, savedAs: string, md5: string, alreadyPresent: boolean): void {
    f.sink = null;
    f.held = null;
    f.status = 'done';
    const savedParts = [...f.parts.slice(0, -1), savedAs];
    this.rememberCompleted(f, path.join(f.dir, savedAs), md5);
    this.filesDone++;
    this.conn.send({ type: 'verdict', file: f.index, ok: true });
    this.shared.emit({
      event: 'file-done',
      direction: 'receive',
      transferId: this.transferId,
      path: printable(f.entry.path),
      savedAs: printable(savedParts.join('/')),
      size: f.entry.size,
      md5,
      verified: true,
      resumedFrom: f.resumedFrom,
      alreadyPresent,
    });
    this.progress.tick();
  }

  private async failFile(f: InFile, code: ErrorCode, message: string, discard: boolean, willRetry = false): Promise<void> {
    const sink = f.sink;
    f.sink = null;
    f.hash = null;
    f.status = 'failed';
    f.retryable = willRetry;
    this.doneBytes -= f.received;
    f.received = 0;
    if (discard && f.held) f.held = null;
    if (!willRetry) this.filesFailed++;
    try {
      await sink?.abort(discard);
    } catch {
      // The file was already failing; the verdict below says why.
    }
    this.conn.send({ type: 'verdict', file: f.index, ok: false, code, message: this.forPeer(message) });
    this.emitFileFailed(f, code, message, willRetry);
  }

  private emitFileFailed(f: InFile, code: ErrorCode, message: string, willRetry: boolean): void {
    this.shared.emit({
      event: 'file-failed',
      direction: 'receive',
      transferId: this.transferId,
      path: printable(f.entry.path),
      code,
      message,
      willRetry,
    });
  }

  private rememberCompleted(f: InFile, savedPath: string, md5: string): void {
    const c = this.shared.completed;
    if (c.size >= COMPLETED_CACHE_MAX) c.delete(c.keys().next().value!);
    c.set(f.partPath!, { path: savedPath, md5, size: f.entry.size, mtime: f.entry.mtime });
  }

  private async finishTransfer(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
    if (this.state !== 'ending') return;
    for (const f of this.files.values()) {
      if (f.status !== 'done' && f.status !== 'failed') {
        f.status = 'failed';
        this.filesFailed++;
      }
    }
    this.conn.send({ type: 'end' });
    this.conn.close();
  }

  private emitProgress(): void {
    const rate = this.meter.rate();
    this.shared.emit({
      event: 'progress',
      direction: 'receive',
      transferId: this.transferId,
      transferred: this.doneBytes,
      total: this.totalBytes,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(this.totalBytes - this.doneBytes, rate),
      filesDone: this.filesDone,
      fileCount: this.files.size,
    });
  }

  private async onClosed(err: FerryError | null): Promise<void> {
    const was = this.state;
    this.state = 'closed';
    this.shared.streaming.delete(this);
    this.decideAbort.abort();
    const open = [...this.files.values()].filter((f) => f.sink);
    await Promise.allSettled([...this.finishing]);
    // Keep partials: the same sender can resume them.
    await Promise.allSettled(open.map((f) => f.sink?.abort(false)));
    this.release();
    if (was === 'ending' || (was === 'streaming' && !err)) {
      this.progress.flush();
      const ok = this.filesFailed === 0 && this.filesDone === this.files.size && was === 'ending';
      this.shared.emit({
        event: 'done',
        direction: 'receive',
        transferId: this.transferId,
        ok,
        files: this.filesDone,
        failed: this.files.size - this.filesDone,
        bytes: this.totalBytes,
        wireBytes: this.conn.wireBytesIn,
        seconds: (performance.now() - this.startedAt) / 1000,
      });
    } else if (err && err.code !== 'CANCELLED' && err.code !== 'DECLINED' && err.code !== 'NO_SPACE' && was !== 'hello') {
      this.shared.emit({
        event: 'error',
        direction: 'receive',
        ...(this.transferId ? { transferId: this.transferId } : {}),
        code: err.code,
        message: err.message,
      });
    }
    this.closedResolve();
  }
}

/**
 * A stamped mtime reads back within a millisecond of what was set: file systems store
 * seconds and nanoseconds, and the conversion from milliseconds is not exact.
 */
function sameMtime(statMs: number, wireMs: number): boolean {
  return Math.abs(statMs - wireMs) < 1;
}

function unexpected(m: Message, wanted: string): FerryError {
  return new FerryError('UNEXPECTED_MESSAGE', `got ${m.type} while waiting for ${wanted}`);
}

async function lstatOrNull(p: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fs.lstat(p);
  } catch {
    return null;
  }
}
