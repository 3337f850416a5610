// One accepted LocalSend transfer (an "upload session"): its files with their tokens and where
// each stands, the progress the host sees, and how it ends: done once every file is saved or
// failed, cancelled from either side, or given up when the sender stops uploading. The server
// runs one at a time, as LocalSend does (a second sender gets 409 meanwhile).

import { randomUUID, timingSafeEqual } from 'node:crypto';
import { FerryError, type ErrorCode } from '../errors.js';
import type { EventSink } from '../model/events.js';
import { printable } from '../protocol/wire-path.js';
import { eta, RateMeter, Throttle } from '../transfer/progress.js';
import type { LocalSendPeerInfo } from './peer.js';
import { Refusal } from './refusal.js';
import type { OfferedFile } from './upload-messages.js';

/** How often one file may be sent: a sha256 mismatch (422) puts it back once or twice, as LocalSend 1.18 does. */
export const MAX_ATTEMPTS = 3;

/** How long an upload cut by a cancel here is held (paused) before its connection goes: the cancel posted to the sender should reach it first, so that it says "cancelled by the receiver", not "connection lost". */
const CUT_GRACE_MS = 3000;

export type FileState = 'pending' | 'receiving' | 'done' | 'failed';

export interface SessionFile {
  readonly offered: OfferedFile;
  readonly token: string;
  /** The folders of its path, its own name, and the absolute folder it lands in. */
  readonly folder: readonly string[];
  readonly name: string;
  readonly dir: string;
  state: FileState;
  attempts: number;
  /** Bytes of the attempt in progress. */
  received: number;
  /** Stops the upload in progress (set while receiving), cutting its connection after graceMs. */
  stop: ((why: FerryError, graceMs: number) => void) | null;
}

export interface SessionHost {
  emit: EventSink;
  /** No upload for this long (none in progress): the sender is gone, the session ends. */
  idleMs: number;
  /** The session is over: the server may take another. */
  ended(session: LocalSendSession): void;
}

export class LocalSendSession {
  readonly sessionId = randomUUID();
  readonly files = new Map<string, SessionFile>();
  private readonly fileCount: number;
  private filesDone = 0;
  private doneBytes = 0;
  private wireBytes = 0;
  private active = 0;
  private over = false;
  private readonly meter = new RateMeter();
  private readonly progress: Throttle;
  private readonly startedAt = performance.now();
  private idle: NodeJS.Timeout | null = null;
  private readonly uploads = new Set<Promise<void>>();

  constructor(
    readonly transferId: string,
    readonly peer: LocalSendPeerInfo,
    /** The address of the prepare-upload: uploads come from there or not at all. */
    readonly address: string,
    files: readonly SessionFile[],
    /** Files accepted that cannot land (a folder in the way): failed from the start. */
    refused: number,
    readonly totalBytes: number,
    private readonly host: SessionHost,
  ) {
    for (const f of files) this.files.set(f.offered.id, f);
    this.fileCount = files.length + refused;
    this.progress = new Throttle(() => this.emitProgress());
  }

  /** The answer went out: from now on the sender has the idle time to start uploading. */
  start(): void {
    this.settle();
  }

  get ended(): boolean {
    return this.over;
  }

  /** prepare-upload's answer: the token of each file that may be uploaded. */
  tokens(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, f] of this.files) out[id] = f.token;
    return out;
  }

  /** The file an upload request names, if the request may upload it (403 otherwise). */
  admit(q: URLSearchParams, address: string): SessionFile {
    const fileId = q.get('fileId');
    const token = q.get('token');
    if (this.over || q.get('sessionId') !== this.sessionId) throw new Refusal(403, 'UNEXPECTED_MESSAGE', 'Invalid session id');
    if (address !== this.address) throw new Refusal(403, 'UNEXPECTED_MESSAGE', 'Invalid IP address');
    const f = fileId === null ? undefined : this.files.get(fileId);
    if (!f || token === null || !sameToken(f.token, token)) throw new Refusal(403, 'UNEXPECTED_MESSAGE', 'Invalid token');
    if (f.state !== 'pending') {
      throw new Refusal(403, 'UNEXPECTED_MESSAGE', f.state === 'receiving' ? 'This file is being uploaded' : 'This file was already sent');
    }
    return f;
  }

  /** An upload of f starts; `stop` ends it early. `work` settles once it has cleaned up. */
  begin(f: SessionFile, stop: NonNullable<SessionFile['stop']>, work: Promise<void>): void {
    f.state = 'receiving';
    f.attempts++;
    f.received = 0;
    f.stop = stop;
    this.active++;
    this.stopIdle();
    this.uploads.add(work);
    void work.finally(() => this.uploads.delete(work));
  }

  data(f: SessionFile, bytes: number): void {
    f.received += bytes;
    this.doneBytes += bytes;
    this.wireBytes += bytes;
    this.meter.add(bytes);
    this.progress.tick();
  }

  succeeded(f: SessionFile, savedAs: string, md5: string): void {
    if (this.over) return;
    f.state = 'done';
    f.stop = null;
    this.active--;
    this.filesDone++;
    this.host.emit({
      event: 'file-done',
      direction: 'receive',
      transferId: this.transferId,
      path: printable(f.offered.path),
      savedAs: printable([...f.folder, savedAs].join('/')),
      size: f.offered.size,
      md5,
      verified: true,
      resumedFrom: 0,
      alreadyPresent: false,
    });
    this.progress.tick();
    this.settle();
  }

  /** An attempt failed; `retryable`: the sender may send the file again (if attempts remain). Returns whether it may. */
  failed(f: SessionFile, code: ErrorCode, message: string, retryable: boolean): boolean {
    if (this.over) return false;
    const willRetry = retryable && f.attempts < MAX_ATTEMPTS;
    this.doneBytes -= f.received;
    f.received = 0;
    f.state = willRetry ? 'pending' : 'failed';
    f.stop = null;
    this.active--;
    this.host.emit({
      event: 'file-failed',
      direction: 'receive',
      transferId: this.transferId,
      path: printable(f.offered.path),
      code,
      message,
      willRetry,
    });
    this.settle();
    return willRetry;
  }

  /**
   * Stops everything: uploads in progress end and their partials go. Cancelled here, their
   * connections are cut only after a moment, so that the cancel posted to the sender reaches it
   * before its uploads fail (it then shows "cancelled by the receiver", not an error). False if
   * already over.
   */
  cancel(by: 'local' | 'peer', message: string): boolean {
    if (!this.end(by === 'local' ? CUT_GRACE_MS : 0)) return false;
    this.host.emit({ event: 'cancelled', direction: 'receive', transferId: this.transferId, by, message });
    return true;
  }

  /** Resolves once no upload of this session is writing any more. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.uploads]);
  }

  private settle(): void {
    if (this.over) return;
    const open = [...this.files.values()].some((f) => f.state === 'pending' || f.state === 'receiving');
    if (!open) return this.finish();
    if (this.active === 0) this.startIdle();
  }

  private finish(): void {
    this.end();
    this.progress.flush();
    this.host.emit({
      event: 'done',
      direction: 'receive',
      transferId: this.transferId,
      ok: this.filesDone === this.fileCount,
      files: this.filesDone,
      failed: this.fileCount - this.filesDone,
      bytes: this.totalBytes,
      wireBytes: this.wireBytes,
      seconds: (performance.now() - this.startedAt) / 1000,
    });
  }

  private end(graceMs = 0): boolean {
    if (this.over) return false;
    this.over = true;
    this.stopIdle();
    const why = new FerryError('CANCELLED', 'the transfer ended');
    for (const f of this.files.values()) f.stop?.(why, graceMs);
    this.host.ended(this);
    return true;
  }

  private startIdle(): void {
    this.stopIdle();
    this.idle = setTimeout(() => {
      if (!this.end()) return;
      const seconds = Math.round(this.host.idleMs / 1000);
      this.host.emit({
        event: 'error',
        direction: 'receive',
        transferId: this.transferId,
        code: 'TIMEOUT',
        message: `the sender stopped sending: no upload for ${seconds} s with ${this.fileCount - this.filesDone} file(s) still to come`,
      });
    }, this.host.idleMs);
    this.idle.unref();
  }

  private stopIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  private emitProgress(): void {
    const rate = this.meter.rate();
    this.host.emit({
      event: 'progress',
      direction: 'receive',
      transferId: this.transferId,
      transferred: this.doneBytes,
      total: this.totalBytes,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(this.totalBytes - this.doneBytes, rate),
      filesDone: this.filesDone,
      fileCount: this.fileCount,
    });
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
