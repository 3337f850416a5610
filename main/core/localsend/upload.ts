// One `POST /api/localsend/v2/upload`: the body (sized or chunked) streams into a temporary file
// in the file's folder, hashed as it comes (md5 for Ferry's events, sha256 when the sender gave
// one), and takes its final name only once the size and the sha256 match, never over an
// existing file. More or fewer bytes than declared → 400 and nothing kept; a sha256 mismatch →
// 422, nothing kept, and the file may be sent again. A stall (no byte while we were ready for
// one) drops the connection; a slow but steady sender is never cut.

import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type * as http from 'node:http';
import { FerryError, toFerryError, type ErrorCode } from '../errors.js';
import { claimFinalName } from '../transfer/disk.js';
import { FileSink } from '../transfer/file-sink.js';
import { SMALL_FILE } from '../transfer/small-file.js';
import type { PartialFiles } from './partial-files.js';
import { IdleWatch, replyEmpty, replyError } from './server-http.js';
import type { LocalSendSession, SessionFile } from './session.js';

/** Bytes waiting for the disk before the request is paused, and when it resumes. */
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 2 * 1024 * 1024;
/** Past its declared size, a body is read this much further for a clean 400, then the connection goes. */
const OVERFLOW_DRAIN = 1024 * 1024;

export interface UploadContext {
  partials: PartialFiles;
  idleMs: number;
}

/** Receives the body of an admitted upload request; answers it. */
export function receiveUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  session: LocalSendSession,
  f: SessionFile,
  ctx: UploadContext,
): void {
  new Upload(req, res, session, f, ctx).start();
}

class Upload {
  private readonly partPath: string;
  private readonly sink: FileSink;
  private readonly md5 = createHash('md5');
  private readonly sha: Hash | null;
  private readonly watch: IdleWatch;
  private readonly size: number;
  private queued = 0;
  private paused = false;
  /** The outcome is decided: data that still arrives is drained, not written. */
  private decided = false;
  private stopped = false;
  private drained = 0;
  /** The answer, held back until an over-long body has been drained. */
  private pendingReply: (() => void) | null = null;
  private readonly done: Promise<void>;
  private resolveDone: () => void = () => {};

  constructor(
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
    private readonly session: LocalSendSession,
    private readonly f: SessionFile,
    private readonly ctx: UploadContext,
  ) {
    this.size = f.offered.size;
    this.partPath = ctx.partials.take(f.dir);
    this.sink = new FileSink(this.partPath, 0, this.size <= SMALL_FILE, (n) => this.flushed(n));
    this.sha = f.offered.sha256 ? createHash('sha256') : null;
    this.done = new Promise((r) => (this.resolveDone = r));
    this.watch = new IdleWatch(ctx.idleMs, () => this.stalled());
  }

  start(): void {
    this.session.begin(this.f, (why, graceMs) => this.stop(why, graceMs), this.done);
    const declared = this.req.headers['content-length'];
    if (declared !== undefined && Number(declared) !== this.size) {
      return this.fail(400, 'BAD_MESSAGE', `Content-Length ${Number(declared)} is not the ${this.size} bytes declared`, false, true);
    }
    this.req.on('data', (c: Buffer) => this.onData(c));
    this.req.on('end', () => this.onEnd());
    this.req.on('error', () => {}); // 'close' says it
    this.req.on('close', () => {
      if (!this.req.complete) this.fail(null, 'CONNECTION_LOST', 'the sender went away during the upload', false);
    });
  }

  private onData(c: Buffer): void {
    if (this.decided) {
      this.drained += c.length;
      if (this.drained > OVERFLOW_DRAIN) this.sendReply();
      return;
    }
    this.watch.touch();
    const received = this.f.received + c.length;
    if (received > this.size) {
      this.drained = received - this.size;
      return this.fail(400, 'BAD_MESSAGE', `more bytes than the ${this.size} declared`, false, true, true);
    }
    this.md5.update(c);
    this.sha?.update(c);
    this.queued += c.length;
    this.sink.write(c);
    this.session.data(this.f, c.length);
    if (this.queued >= HIGH_WATER && !this.paused) {
      this.paused = true;
      this.req.pause();
      this.watch.pause(); // waiting on our disk is not the sender's stall
    }
  }

  private flushed(bytes: number): void {
    this.queued -= bytes;
    if (this.paused && this.queued <= LOW_WATER) {
      this.paused = false;
      this.watch.touch();
      this.req.resume();
    }
  }

  private onEnd(): void {
    if (this.decided) return this.sendReply();
    const received = this.f.received;
    if (received < this.size) {
      return this.fail(400, 'BAD_MESSAGE', `the upload ended after ${received} of the ${this.size} bytes declared`, false);
    }
    const sha = this.sha?.digest('hex');
    if (sha !== undefined && sha !== this.f.offered.sha256) {
      return this.fail(422, 'CHECKSUM_MISMATCH', `sha256 ${sha} does not match the sender's ${this.f.offered.sha256}`, true);
    }
    this.decided = true;
    this.watch.stop();
    void this.save();
  }

  /** Verified: flushed, stamped, closed, and given its final name. */
  private async save(): Promise<void> {
    const md5 = this.md5.digest('hex');
    try {
      await this.sink.finish(this.f.offered.modifiedMs ?? Date.now());
      if (this.stopped) throw new FerryError('CANCELLED', 'cancelled');
      const savedAs = claimFinalName(this.f.dir, this.f.name, this.partPath);
      this.ctx.partials.release(this.partPath);
      this.session.succeeded(this.f, savedAs, md5);
      replyEmpty(this.res, 200);
    } catch (err) {
      await fs.rm(this.partPath, { force: true }).catch(() => {});
      this.ctx.partials.release(this.partPath);
      if (!this.stopped) {
        const e = toFerryError(err, 'IO_ERROR');
        this.session.failed(this.f, e.code, e.message, false);
        replyError(this.res, e.code === 'NO_SPACE' ? 507 : 500, e.message);
      }
    }
    this.resolveDone();
  }

  /**
   * This attempt failed: nothing of it is kept. `status` null: there is no one to answer.
   * `close`: the connection is not reused; `drain`: the answer waits for the body's end.
   */
  private fail(status: number | null, code: ErrorCode, message: string, retryable: boolean, close = false, drain = false): void {
    if (this.decided) return;
    this.decided = true;
    this.watch.stop();
    if (this.paused) this.req.resume();
    const again = this.session.failed(this.f, code, message, retryable);
    // Answered once nothing of the attempt is left on disk (and an over-long body has ended).
    const discarded = this.discard();
    if (status === null) return;
    const text = again ? `${message}; send it again` : message;
    this.pendingReply = () => void discarded.then(() => replyError(this.res, status, text, close));
    if (!drain || this.req.complete) this.sendReply();
  }

  private sendReply(): void {
    const reply = this.pendingReply;
    this.pendingReply = null;
    reply?.();
  }

  private stalled(): void {
    this.fail(null, 'TIMEOUT', `no data for ${Math.round(this.ctx.idleMs / 1000)} s: the upload stalled`, false);
    this.req.socket.destroy();
  }

  /** The session ended (cancelled, or given up): stop reading at once, keep nothing, cut the connection after graceMs. */
  private stop(_why: FerryError, graceMs: number): void {
    this.stopped = true;
    if (this.decided) return; // save() sees `stopped`, or the failure is being cleaned up
    this.decided = true;
    this.watch.stop();
    this.req.pause();
    void this.discard();
    const socket = this.req.socket;
    if (graceMs <= 0) return void socket.destroy();
    setTimeout(() => socket.destroy(), graceMs).unref();
  }

  private async discard(): Promise<void> {
    await this.sink.abort(true).catch(() => {});
    await fs.rm(this.partPath, { force: true }).catch(() => {});
    this.ctx.partials.release(this.partPath);
    this.resolveDone();
  }
}
