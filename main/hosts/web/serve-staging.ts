// Files a browser uploads to `ferry serve` before they are sent: one staging folder per
// process (under os.tmpdir(), mode 0700), one subfolder per batch, written as the request
// body streams in. A batch lives until its transfer no longer needs it (done, or dismissed),
// until it has waited an hour without being sent, or until the process exits.

import { constants as fsc, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FerryError } from '../../core/errors.js';
import { MAX_MTIME, MAX_OFFER_ENTRIES } from '../../core/protocol/limits.js';
import { portableName, wirePathProblem } from '../../core/protocol/wire-path.js';

/** Batch ids are chosen by the client: random and URL-safe, never a path. */
const BATCH_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** A batch nobody sent (the tab was closed mid-upload, the send failed) is dropped after this. */
export const UNSENT_BATCH_TTL_MS = 60 * 60_000;
const MAX_BATCHES = 1_000;
/** Free space left untouched on the staging file system, for everything else on the machine. */
const FREE_SPACE_RESERVE = 256 * 1024 * 1024;
const PREFIX = 'ferry-serve-';

interface Batch {
  id: string;
  dir: string;
  /** Wire paths of files (uploaded or uploading), and of the folders they imply. */
  files: Set<string>;
  dirs: Set<string>;
  /** Folders uploaded as themselves, with nothing in them (so the offer lists them). */
  emptyDirs: Set<string>;
  uploading: number;
  lastActivity: number;
  transferId: string | null;
}

export interface StagingOptions {
  /** Largest single upload, in bytes; uploads must also fit the free space. */
  maxUploadBytes?: number;
  now?: () => number;
  /** Where the per-process folder goes (default os.tmpdir()). */
  parent?: string;
}

export class Staging {
  private readonly batches = new Map<string, Batch>();
  /** Bytes promised to uploads still streaming: the free-space check counts them as used. */
  private promised = 0;
  private closed = false;

  private constructor(
    readonly root: string,
    private readonly maxUploadBytes: number,
    private readonly now: () => number,
  ) {}

  static async create(opts: StagingOptions = {}): Promise<Staging> {
    const parent = opts.parent ?? os.tmpdir();
    await sweepDeadProcesses(parent);
    const root = await fs.mkdtemp(path.join(parent, `${PREFIX}${process.pid}-`));
    await fs.chmod(root, 0o700); // mkdtemp already uses 0700; say it where it matters
    return new Staging(root, opts.maxUploadBytes ?? Number.MAX_SAFE_INTEGER, opts.now ?? Date.now);
  }

  /**
   * Streams one upload into the batch as `relPath` (a wire path: the receiver's rules apply
   * here already). The body is written as it arrives, with backpressure; it must be exactly
   * `declared` bytes.
   */
  async receive(
    batchId: string,
    relPath: string,
    body: Readable,
    declared: number,
    mtime: number | null,
  ): Promise<{ path: string; size: number }> {
    if (this.closed) throw new FerryError('CANCELLED', 'ferry serve is stopping');
    if (!BATCH_ID.test(batchId)) throw new FerryError('BAD_MESSAGE', 'batch must be 8 to 64 characters of A-Z a-z 0-9 _ -');
    const wire = stagedPath(relPath);
    if (!Number.isSafeInteger(declared) || declared < 0) throw new FerryError('BAD_MESSAGE', 'bad Content-Length');
    if (declared > this.maxUploadBytes) throw new FerryError('LIMIT_EXCEEDED', `a file may have at most ${this.maxUploadBytes} bytes here`);
    const batch = this.batchFor(batchId);
    if (batch.transferId !== null) throw new FerryError('UNEXPECTED_MESSAGE', 'this batch was already sent');
    if (batch.files.size >= MAX_OFFER_ENTRIES) throw new FerryError('LIMIT_EXCEEDED', `a batch holds at most ${MAX_OFFER_ENTRIES} files`);
    const parts = wire.split('/');
    const ancestors = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
    if (batch.files.has(wire) || batch.dirs.has(wire) || ancestors.some((a) => batch.files.has(a))) {
      throw new FerryError('UNEXPECTED_MESSAGE', `${wire} clashes with a file already in this batch`);
    }
    await this.checkSpace(declared);

    // Claimed before the first await below, so a concurrent upload of the same path is refused.
    batch.files.add(wire);
    for (const a of ancestors) batch.dirs.add(a);
    batch.uploading++;
    batch.lastActivity = this.now();
    this.promised += declared;
    const target = path.join(batch.dir, ...parts);
    let written = 0;
    try {
      if (!isInside(batch.dir, target)) throw new FerryError('PATH_UNSAFE', 'unsafe path');
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // wx + O_NOFOLLOW: a name that exists (or a link planted in its place) is never written through.
      const fh = await fs.open(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
      const count = new Transform({
        transform: (chunk: Buffer, _enc, done) => {
          written += chunk.length;
          batch.lastActivity = this.now();
          if (written > declared) done(new FerryError('LIMIT_EXCEEDED', 'more bytes than Content-Length said'));
          else done(null, chunk);
        },
      });
      await pipeline(body, count, fh.createWriteStream({ highWaterMark: 1 << 20 }));
      if (written !== declared) throw new FerryError('CONNECTION_LOST', `the upload ended after ${written} of ${declared} bytes`);
      if (mtime !== null && Number.isSafeInteger(mtime) && Math.abs(mtime) <= MAX_MTIME) {
        const t = new Date(mtime);
        await fs.utimes(target, t, t).catch(() => {});
      }
    } catch (err) {
      batch.files.delete(wire);
      await fs.rm(target, { force: true }).catch(() => {});
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_STREAM_PREMATURE_CLOSE' || e.code === 'ECONNRESET')
        throw new FerryError('CONNECTION_LOST', 'the upload was interrupted');
      if (e.code === 'ENOTDIR' || e.code === 'EEXIST' || e.code === 'EISDIR')
        throw new FerryError('UNEXPECTED_MESSAGE', `${wire} clashes with a file already in this batch`);
      if (e.code === 'ENOSPC') throw new FerryError('NO_SPACE', 'the temporary folder is full');
      throw err;
    } finally {
      batch.uploading--;
      this.promised -= declared;
      batch.lastActivity = this.now();
    }
    return { path: wire, size: written };
  }

  /** Adds an empty folder to the batch (a dropped folder's empty subfolder, or an empty dropped folder). */
  async makeDir(batchId: string, relPath: string): Promise<{ path: string }> {
    if (this.closed) throw new FerryError('CANCELLED', 'ferry serve is stopping');
    if (!BATCH_ID.test(batchId)) throw new FerryError('BAD_MESSAGE', 'batch must be 8 to 64 characters of A-Z a-z 0-9 _ -');
    const wire = stagedPath(relPath);
    const batch = this.batchFor(batchId);
    if (batch.transferId !== null) throw new FerryError('UNEXPECTED_MESSAGE', 'this batch was already sent');
    if (batch.files.size + batch.emptyDirs.size >= MAX_OFFER_ENTRIES)
      throw new FerryError('LIMIT_EXCEEDED', `a batch holds at most ${MAX_OFFER_ENTRIES} entries`);
    const parts = wire.split('/');
    const ancestors = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    if (ancestors.some((a) => batch.files.has(a)))
      throw new FerryError('UNEXPECTED_MESSAGE', `${wire} clashes with a file already in this batch`);
    const target = path.join(batch.dir, ...parts);
    if (!isInside(batch.dir, target)) throw new FerryError('PATH_UNSAFE', 'unsafe path');
    for (const a of ancestors) batch.dirs.add(a);
    batch.emptyDirs.add(wire);
    batch.lastActivity = this.now();
    await fs.mkdir(target, { recursive: true, mode: 0o700 });
    return { path: wire };
  }

  /** The absolute paths of a batch's top-level entries, ready to be sent. */
  entriesToSend(batchId: string): string[] {
    const batch = this.batches.get(batchId);
    if (!batch || batch.files.size + batch.emptyDirs.size === 0)
      throw new FerryError('BAD_MESSAGE', 'no such batch (nothing was uploaded to it)');
    if (batch.uploading > 0) throw new FerryError('UNEXPECTED_MESSAGE', 'files of this batch are still uploading');
    if (batch.transferId !== null) throw new FerryError('UNEXPECTED_MESSAGE', 'this batch was already sent');
    // Top-level names in upload order: what the offer lists.
    const top = new Set([...batch.files, ...batch.emptyDirs].map((f) => f.split('/')[0]!));
    return [...top].map((name) => path.join(batch.dir, name));
  }

  markSent(batchId: string, transferId: string): void {
    const batch = this.batches.get(batchId);
    if (batch) batch.transferId = transferId;
  }

  /** Drops a batch that was not sent (an upload failed, the user gave up). */
  async discard(batchId: string): Promise<void> {
    const batch = this.batches.get(batchId);
    if (!batch) return;
    if (batch.transferId !== null) throw new FerryError('UNEXPECTED_MESSAGE', 'this batch was sent; dismiss its transfer instead');
    await this.remove(batch);
  }

  /** The transfer that sent a batch no longer needs its files. */
  async release(transferId: string): Promise<void> {
    for (const b of this.batches.values()) if (b.transferId === transferId) await this.remove(b);
  }

  /** Transfer ids of the batches that were sent. */
  sentTransfers(): string[] {
    return [...this.batches.values()].flatMap((b) => (b.transferId ? [b.transferId] : []));
  }

  /** Removes batches never sent and idle for UNSENT_BATCH_TTL_MS. */
  async expire(): Promise<void> {
    const now = this.now();
    for (const b of [...this.batches.values()]) {
      if (b.transferId === null && b.uploading === 0 && now - b.lastActivity >= UNSENT_BATCH_TTL_MS) await this.remove(b);
    }
  }

  batchCount(): number {
    return this.batches.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.batches.clear();
    await fs.rm(this.root, { recursive: true, force: true }).catch(() => {});
  }

  /** For process.on('exit'), where nothing asynchronous runs any more. */
  closeSync(): void {
    this.closed = true;
    try {
      rmSync(this.root, { recursive: true, force: true });
    } catch {
      // Nothing more can be done while exiting.
    }
  }

  private batchFor(id: string): Batch {
    let batch = this.batches.get(id);
    if (!batch) {
      if (this.batches.size >= MAX_BATCHES) throw new FerryError('LIMIT_EXCEEDED', `at most ${MAX_BATCHES} batches wait at once`);
      batch = {
        id,
        dir: path.join(this.root, id),
        files: new Set(),
        dirs: new Set(),
        emptyDirs: new Set(),
        uploading: 0,
        lastActivity: this.now(),
        transferId: null,
      };
      this.batches.set(id, batch);
    }
    return batch;
  }

  private async remove(batch: Batch): Promise<void> {
    if (this.batches.get(batch.id) === batch) this.batches.delete(batch.id);
    await fs.rm(batch.dir, { recursive: true, force: true }).catch(() => {});
  }

  private async checkSpace(bytes: number): Promise<void> {
    let free: number;
    try {
      const s = await fs.statfs(this.root);
      free = s.bavail * s.bsize;
    } catch {
      return; // No statfs (unusual file systems): the write itself reports ENOSPC.
    }
    if (bytes + this.promised + FREE_SPACE_RESERVE > free) {
      throw new FerryError(
        'NO_SPACE',
        `not enough space in the temporary folder for ${bytes} bytes (${Math.max(0, free - this.promised)} free)`,
      );
    }
  }
}

/**
 * Where an uploaded file goes inside its batch, as a wire path. A path that tries to climb
 * or start at a root is refused; names that are merely not portable ("what?.txt", "CON",
 * "draft.") are renamed the way a sender renames local files (portableName), so a drop in
 * the browser sends what the desktop app would. The protocol's own check has the last word.
 */
export function stagedPath(rel: string): string {
  // Either separator counts here: "..\x" from a Windows-minded client is a climb too.
  const steps = rel.split(/[\\/]/);
  if (rel === '' || rel.startsWith('/') || rel.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(rel)) {
    throw new FerryError('PATH_UNSAFE', 'unsafe path: it must be relative');
  }
  if (steps.some((s) => s === '.' || s === '..')) throw new FerryError('PATH_UNSAFE', 'unsafe path: "." or ".." component');
  const parts = rel.split('/');
  if (parts.some((p) => p === '')) throw new FerryError('PATH_UNSAFE', 'unsafe path: empty path component');
  const wire = parts.map(portableName).join('/');
  const problem = wirePathProblem(wire);
  if (problem) throw new FerryError('PATH_UNSAFE', `unsafe path: ${problem}`);
  return wire;
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Staging folders of `ferry serve` processes that died without cleaning up (SIGKILL, power loss). */
async function sweepDeadProcesses(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    const full = path.join(parent, name);
    try {
      const st = await fs.lstat(full);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      if (isAlive(Number(m[1]))) continue;
      await fs.rm(full, { recursive: true, force: true });
    } catch {
      // Someone else's, or gone already.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
