// Writes one incoming file's bytes, in order, to its temporary file. A streamed file's bytes
// are copied into slabs (see write-slabs.ts) and what arrived while a write was in flight
// goes out in the next one, with writev. Small fresh files are buffered and written in one
// go at the end: for thousands of small files, fewer file-system round trips is what makes
// them as fast as one big one.

import { hash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { closeSync, futimesSync, openSync, rmSync, writevSync } from 'node:fs';
import { FerryError, toFerryError } from '../errors.js';
import { OPEN_EXISTING, OPEN_NEW } from './disk.js';
import { giveSlab, SLAB, takeSlab } from './write-slabs.js';

const IOV_MAX = 1024;

export class FileSink {
  private fh: fs.FileHandle | null = null;
  /** Bytes handed to the disk next, in order: slab pieces, or a buffered file's own chunks. */
  private queue: Buffer[] = [];
  /** Bytes written to the sink and not yet reported flushed (queued or still in the slab). */
  private queued = 0;
  /** The slab taking a streamed file's bytes: [0, slabQueued) is queued or written, up to slabUsed copied. */
  private slab: Buffer | null = null;
  private slabUsed = 0;
  private slabQueued = 0;
  /** Full slabs, oldest first, each given back once the write of its last piece is done. */
  private retired: { slab: Buffer; last: Buffer }[] = [];
  private pos: number;
  private pumping: Promise<void> | null = null;
  /** The first write error (as the code callers report: NO_SPACE for a full disk), or an abort. */
  private failure: FerryError | null = null;

  /**
   * @param start   offset the file resumes at (0 for a fresh file)
   * @param buffered  hold everything in memory until finish() (small fresh files only)
   * @param onFlushed called with the byte count each time queued bytes reach the disk
   * @param folderReady the folder the file goes in exists (rejects if it cannot be made safely)
   */
  constructor(
    readonly tmpPath: string,
    start: number,
    private readonly buffered: boolean,
    private readonly onFlushed: (bytes: number) => void,
    private readonly folderReady: Promise<unknown> = Promise.resolve(),
  ) {
    this.pos = start;
    folderReady.catch(() => {}); // surfaces from open()
  }

  write(chunk: Buffer): void {
    if (this.failure) {
      this.onFlushed(chunk.length);
      return;
    }
    this.queued += chunk.length;
    if (this.buffered) {
      this.queue.push(chunk);
      return;
    }
    for (let from = 0; from < chunk.length;) {
      this.slab ??= takeSlab();
      const n = chunk.copy(this.slab, this.slabUsed, from);
      this.slabUsed += n;
      from += n;
      if (this.slabUsed === SLAB) this.retireSlab();
    }
    this.pump();
  }

  /** Queues the slab's bytes that are not queued yet. */
  private queueSlabBytes(): void {
    if (this.slab === null || this.slabUsed === this.slabQueued) return;
    this.queue.push(this.slab.subarray(this.slabQueued, this.slabUsed));
    this.slabQueued = this.slabUsed;
  }

  // Called as the slab fills up, so its last piece is the one queued here.
  private retireSlab(): void {
    const slab = this.slab;
    if (slab === null) return;
    const last = slab.subarray(this.slabQueued, this.slabUsed);
    this.queue.push(last);
    this.retired.push({ slab, last });
    this.slab = null;
    this.slabUsed = 0;
    this.slabQueued = 0;
  }

  /** Hands back every slab; only when no write is in flight. */
  private releaseSlabs(): void {
    for (const r of this.retired) giveSlab(r.slab);
    this.retired = [];
    if (this.slab) giveSlab(this.slab);
    this.slab = null;
    this.slabUsed = 0;
    this.slabQueued = 0;
  }

  /** A buffered sink can be written out in one synchronous go once its folder exists. */
  get canFinishSync(): boolean {
    return this.buffered && !this.fh && !this.failure;
  }

  /**
   * md5 of a buffered file's bytes, in one call: a body split across TLS records is joined
   * first (a 4 KiB copy costs less than a running hash's set-up, and it is written in one piece).
   */
  md5(): string {
    if (this.queue.length > 1) this.queue = [Buffer.concat(this.queue, this.queued)];
    return hash('md5', this.queue[0] ?? Buffer.alloc(0));
  }

  /** Flushes, stamps the sender's mtime and closes. Throws the first write error. */
  async finish(mtimeMs: number): Promise<void> {
    if (this.canFinishSync) {
      await this.folderReady;
      this.finishSync(mtimeMs);
      return;
    }
    this.pump();
    await this.pumping;
    this.releaseSlabs();
    if (this.failure) throw this.failure;
    const fh = await this.open();
    const t = new Date(mtimeMs);
    await fh.utimes(t, t);
    await this.closeHandle();
  }

  /**
   * Stops. Unless discarding, what already arrived is flushed first: every byte kept is
   * one a resume need not send again (its prefix md5 is checked before it is trusted).
   */
  async abort(discard: boolean): Promise<void> {
    if (discard || this.buffered) this.failure ??= new FerryError('CANCELLED', 'aborted');
    else this.pump();
    await this.pumping;
    this.drop();
    this.releaseSlabs();
    await this.closeHandle();
    if (discard) await fs.rm(this.tmpPath, { force: true });
  }

  // Every queued byte is reported exactly once, written or dropped: the receiver pauses
  // reading on this count, and a byte never reported would keep it paused for good.
  private drop(): void {
    if (this.queued === 0) return;
    const dropped = this.queued;
    this.queue = [];
    this.queued = 0;
    this.releaseSlabs();
    this.onFlushed(dropped);
  }

  // A small file in one go, synchronously: open, write, stamp, close take microseconds,
  // far less than four thread-pool round trips.
  finishSync(mtimeMs: number): void {
    let fd: number;
    try {
      fd = openSync(this.tmpPath, OPEN_NEW, 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      rmSync(this.tmpPath, { force: true });
      fd = openSync(this.tmpPath, OPEN_NEW, 0o644);
    }
    try {
      let pending = this.queue;
      while (pending.length > 0) {
        const n = writevSync(fd, pending.slice(0, IOV_MAX));
        if (n === 0) throw new FerryError('IO_ERROR', 'the disk accepted no bytes');
        pending = skipBytes(pending, n);
      }
      const t = mtimeMs / 1000;
      futimesSync(fd, t, t);
    } finally {
      closeSync(fd);
    }
    this.onFlushed(this.queued);
    this.queue = [];
    this.queued = 0;
  }

  private pump(): void {
    if (this.pumping || (this.queue.length === 0 && this.slabUsed === this.slabQueued)) return;
    this.pumping = this.flushLoop().finally(() => {
      this.pumping = null;
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      const fh = await this.open();
      for (this.queueSlabBytes(); this.queue.length > 0 && !this.failure; this.queueSlabBytes()) {
        const batch = this.queue.slice(0, IOV_MAX);
        let bytes = 0;
        for (const b of batch) bytes += b.length;
        await writeAll(fh, batch, this.pos);
        this.queue.splice(0, batch.length);
        for (let r = this.retired[0]; r && batch.includes(r.last); r = this.retired[0]) {
          this.retired.shift();
          giveSlab(r.slab);
        }
        this.queued -= bytes;
        this.pos += bytes;
        this.onFlushed(bytes);
      }
    } catch (err) {
      this.failure = toFerryError(err, 'IO_ERROR');
    }
    if (this.failure) this.drop();
  }

  private async open(): Promise<fs.FileHandle> {
    if (this.fh) return this.fh;
    await this.folderReady;
    if (this.pos === 0) {
      try {
        this.fh = await fs.open(this.tmpPath, OPEN_NEW, 0o644);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // A stale partial (or anything planted at our temporary name): remove the entry itself.
        await fs.rm(this.tmpPath, { force: true });
        this.fh = await fs.open(this.tmpPath, OPEN_NEW, 0o644);
      }
      return this.fh;
    }
    const fh = await fs.open(this.tmpPath, OPEN_EXISTING);
    const st = await fh.stat();
    if (!st.isFile() || st.nlink !== 1) {
      await fh.close();
      throw new FerryError('PATH_UNSAFE', 'the partial file is not a plain file');
    }
    if (st.size !== this.pos) await fh.truncate(this.pos);
    this.fh = fh;
    return fh;
  }

  private async closeHandle(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }
}

async function writeAll(fh: fs.FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let pos = position;
  while (pending.length > 0) {
    const { bytesWritten } = await fh.writev(pending, pos);
    if (bytesWritten === 0) throw new FerryError('IO_ERROR', 'the disk accepted no bytes');
    pos += bytesWritten;
    pending = skipBytes(pending, bytesWritten);
  }
}

/** The buffers left after the first n bytes were written. */
function skipBytes(buffers: Buffer[], n: number): Buffer[] {
  let skip = n;
  const rest: Buffer[] = [];
  for (const b of buffers) {
    if (skip >= b.length) skip -= b.length;
    else {
      rest.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
  }
  return rest;
}
