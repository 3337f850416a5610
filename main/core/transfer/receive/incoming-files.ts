// The streaming phase of an accepted offer: file data in, each file checked against the
// sender's md5 before it takes its final name, a verdict back for each, progress for the host.
// Files the person left out count nowhere (not as failures, not in the totals): a 1.1 sender
// was told in the answer; a 1.0 sender's bytes for them are read, dropped, and refused.

import { createHash } from 'node:crypto';
import { FerryError, toFerryError, type ErrorCode } from '../../errors.js';
import { RECEIVED_INTERVAL_MS } from '../../protocol/limits.js';
import type { FileError, Message } from '../../protocol/messages.js';
import { printable } from '../../protocol/wire-path.js';
import type { Connection } from '../connection.js';
import { claimFinalName, type FolderMaker } from '../disk.js';
import { FileSink } from '../file-sink.js';
import type { Peer } from '../handshake.js';
import { outOfTurn } from '../out-of-turn.js';
import { eta, RateMeter, Throttle } from '../progress.js';
import { SMALL_FILE } from '../small-file.js';
import type { Acceptance } from './accept.js';
import { Backpressure } from './backpressure.js';
import { NOT_WANTED } from './choice.js';
import { DONE, FAILED, FAILED_RETRYABLE, FINISHING, type Held, type InFile, type Receiving } from './in-file.js';
import type { CheckedOffer } from './offer-check.js';
import { rememberPartials } from './partials.js';
import { rememberCompleted, rememberPrefix } from './resume-finder.js';
import { forPeer, type ReceiverShared } from './shared.js';

export class IncomingFiles {
  /** The offer's files in entry order, and where each entry index is among them (-1: a folder). */
  private readonly files: readonly InFile[];
  private readonly position: Int32Array;
  private readonly folders: FolderMaker;
  private readonly pressure: Backpressure;
  /** The file whose data is arriving: between its first `data` and its `file-end`. */
  private current: Receiving | null = null;
  private readonly meter = new RateMeter();
  private readonly progress: Throttle;
  private doneBytes: number;
  private filesDone = 0;
  private filesFailed: number;
  /** Files the person left out, and their bytes: outside every count and total. */
  private readonly declined: number;
  private readonly declinedBytes: number;
  /** Where this transfer lands (the download folder or the one chosen), hidden from the peer. */
  private readonly root: string;
  /** When we last told the sender how much file data arrived (protocol 1.1). */
  private receivedReportAt = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly conn: Connection,
    private readonly shared: ReceiverShared,
    private readonly offer: CheckedOffer,
    private readonly peer: Peer,
    accepted: Acceptance,
  ) {
    // An array and an index rather than a Map: an offer may hold 100,000 files.
    this.files = accepted.files;
    this.position = new Int32Array(offer.entries.length).fill(-1);
    accepted.files.forEach((f, i) => (this.position[f.index] = i));
    this.folders = accepted.folders;
    this.doneBytes = accepted.heldBytes;
    this.filesFailed = accepted.refusals.filter((r) => r.code !== 'DECLINED').length;
    this.declined = accepted.declined.length;
    this.declinedBytes = accepted.declinedBytes;
    this.root = accepted.root;
    this.pressure = new Backpressure(conn, shared.streaming);
    this.progress = new Throttle(() => this.emitProgress());
  }

  /** Tells the host the transfer starts, which files the person left out, and which were refused up front. */
  announce(a: Acceptance): void {
    this.shared.emit({
      event: 'accepted',
      direction: 'receive',
      transferId: this.offer.transferId,
      resumedBytes: a.heldBytes,
      bytesToSend: a.neededBytes,
    });
    // Left out, whatever the sender's version: the host shows them as skipped from the start.
    for (const f of a.declined) this.emitFileFailed(f, 'DECLINED', NOT_WANTED, false);
    for (const { file, code, message } of a.refusals) if (code !== 'DECLINED') this.emitFileFailed(file, code, message, false);
  }

  onMessage(m: Message): void {
    switch (m.type) {
      case 'data':
        return this.onData(m.file, m.offset, m.length);
      case 'file-end':
        return this.onFileEnd(m.file, m.md5);
      case 'file-error':
        return this.onFileError(m);
      default:
        throw outOfTurn('receiver', m, 'file data');
    }
  }

  /** The sender says it has sent everything: no file may be half-way. */
  checkAllEnded(): void {
    if (this.current) throw new FerryError('BAD_MESSAGE', `end while ${this.current.file.entry.path} is incomplete`);
  }

  // The hot path: every chunk of every file passes here.
  onBody(chunk: Buffer): void {
    const r = this.current;
    // A body only follows a data header, and that opened its file.
    if (r === null) throw new FerryError('INTERNAL', 'file data with no file open');
    r.file.received += chunk.length;
    if (r.sink === null) return; // left out by the person (a 1.0 sender): dropped, never counted
    r.hash?.update(chunk);
    this.pressure.hold(chunk.length);
    r.sink.write(chunk);
    this.doneBytes += chunk.length;
    this.meter.add(chunk.length);
    this.pressure.pauseIfFull();
    this.progress.tick();
    if (this.peer.speaks11) this.reportReceived();
  }

  private fileAt(index: number): InFile {
    const f = this.files[this.position[index] ?? -1];
    if (!f) throw new FerryError('BAD_MESSAGE', `file ${index} is not a file of this offer`);
    return f;
  }

  private onData(index: number, offset: number, length: number): void {
    const f = this.fileAt(index);
    const current = this.current;
    if (current && current.file !== f) {
      throw new FerryError('UNEXPECTED_MESSAGE', `data for file ${index} before ${current.file.entry.path} ended`);
    }
    if (!current) this.startFile(f, offset);
    else if (offset !== f.received) {
      throw new FerryError('BAD_MESSAGE', `data offset ${offset} for ${printable(f.entry.path)}, expected ${f.received}`);
    }
    if (offset + length > f.entry.size) {
      throw new FerryError('BAD_MESSAGE', `more bytes than the ${f.entry.size} declared for ${printable(f.entry.path)}`);
    }
  }

  private startFile(f: InFile, offset: number): Receiving {
    const retryable = f.phase.name === 'failed' && f.phase.retryable;
    if (f.phase.name !== 'waiting' && !retryable) {
      throw new FerryError('UNEXPECTED_MESSAGE', `${printable(f.entry.path)} is not expecting data`);
    }
    const held = f.held;
    const partial = held?.kind === 'partial' && offset === held.offset && offset > 0 ? held : null;
    if (offset !== 0 && !partial) {
      throw new FerryError('BAD_MESSAGE', `data for ${printable(f.entry.path)} must start at 0 or at the resume offset`);
    }
    if (held && !partial) {
      this.doneBytes -= held.offset;
      f.held = null;
    }
    f.attempts++;
    f.received = offset;
    f.resumedFrom = offset;
    if (f.declined) {
      // A 1.0 sender, which could not be told: its bytes are checked like any others (offsets,
      // size), then dropped; the verdict at its file-end refuses the file.
      const dropping: Receiving = { name: 'receiving', file: f, sink: null, hash: null };
      f.phase = dropping;
      this.current = dropping;
      return dropping;
    }
    const small = !partial && f.entry.size <= SMALL_FILE;
    const ready = this.folders.isReady(f.dir) ? undefined : this.folders.ensure(f.folder);
    const r: Receiving = {
      name: 'receiving',
      file: f,
      sink: new FileSink(f.partPath, offset, small, this.pressure.flushed, ready),
      // A small file is hashed in one go when it ends (see FileSink.md5); others as they stream.
      hash: partial ? partial.hash : small ? null : createHash('md5'),
    };
    f.phase = r;
    this.current = r;
    return r;
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

  private onFileEnd(index: number, senderMd5: string): void {
    const f = this.fileAt(index);
    let r = this.current;
    if (r && r.file !== f) {
      throw new FerryError('UNEXPECTED_MESSAGE', `file-end for file ${index} while ${r.file.entry.path} is open`);
    }
    if (!r) {
      // No data this time: an empty file, or one we already hold whole.
      const held = f.held;
      if (held && held.offset === f.entry.size) return this.endHeld(f, held, senderMd5);
      if (f.entry.size !== 0) {
        throw new FerryError('BAD_MESSAGE', `file-end for ${printable(f.entry.path)} without its ${f.entry.size} bytes`);
      }
      r = this.startFile(f, 0);
    }
    if (f.received !== f.entry.size) {
      throw new FerryError('BAD_MESSAGE', `${printable(f.entry.path)} ended after ${f.received} of ${f.entry.size} bytes`);
    }
    this.current = null;
    const sink = r.sink;
    if (sink === null) return this.refuseLate(f, 'DECLINED', NOT_WANTED);
    f.phase = FINISHING;
    // No running hash: a small file, all of it still in memory.
    this.finishFile(f, sink, r.hash ? r.hash.digest('hex') : sink.md5(), senderMd5);
  }

  /** A file-end for a file we held whole at the answer: a partial with every byte, or a saved file. */
  private endHeld(f: InFile, held: Held, senderMd5: string): void {
    if (f.phase.name !== 'waiting') throw new FerryError('UNEXPECTED_MESSAGE', `${printable(f.entry.path)} already ended`);
    f.attempts++;
    f.resumedFrom = f.entry.size;
    f.received = f.entry.size;
    f.phase = FINISHING;
    if (held.kind === 'partial') {
      const sink = new FileSink(f.partPath, f.entry.size, false, this.pressure.flushed);
      this.finishFile(f, sink, held.hash.digest('hex'), senderMd5);
    } else if (this.matches(f, null, held.md5, senderMd5)) {
      this.succeed(f, held.name, held.md5, true);
    }
  }

  private onFileError(m: FileError): void {
    const f = this.fileAt(m.file);
    const phase = f.phase;
    const open = phase.name === 'waiting' || phase.name === 'receiving' || (phase.name === 'failed' && phase.retryable);
    if (!open || (this.current && this.current.file !== f)) {
      throw new FerryError('UNEXPECTED_MESSAGE', `file-error for ${printable(f.entry.path)}, which is not in progress`);
    }
    this.current = null;
    // Left out anyway: the verdict answers the file-error (§5.8), the host already knows.
    if (f.declined) return this.refuseLate(f, m.code, `the sender could not send it: ${printable(m.message)}`);
    const sink = phase.name === 'receiving' ? phase.sink : null;
    this.pressure.track(
      this.failFile(f, sink, m.code, `the sender could not send it: ${printable(m.message)}`, m.code === 'SOURCE_CHANGED'),
    );
  }

  /** Whether our md5 is the sender's; if not, the file fails, and the sender sends it once more. */
  private matches(f: InFile, sink: FileSink | null, ours: string, senderMd5: string): boolean {
    if (ours === senderMd5) return true;
    const willRetry = f.attempts < 2;
    this.pressure.track(
      this.failFile(f, sink, 'CHECKSUM_MISMATCH', `md5 ${ours} does not match the sender's ${senderMd5}`, true, willRetry),
    );
    return false;
  }

  /**
   * Verifies a file that has all its bytes and gives it its final name. A small file whose
   * folder exists is finished synchronously, right here: no promise, no thread-pool trip.
   */
  private finishFile(f: InFile, sink: FileSink, ours: string, senderMd5: string): void {
    if (!this.matches(f, sink, ours, senderMd5)) return;
    if (sink.canFinishSync && this.folders.isReady(f.dir)) {
      try {
        sink.finishSync(f.entry.mtime);
        this.succeed(f, claimFinalName(f.dir, f.name, f.partPath), ours, false);
      } catch (err) {
        const e = toFerryError(err, 'IO_ERROR');
        this.pressure.track(this.failFile(f, sink, e.code, e.message, false));
      }
      return;
    }
    this.pressure.track(this.store(f, sink, ours));
  }

  private async store(f: InFile, sink: FileSink, md5: string): Promise<void> {
    try {
      await sink.finish(f.entry.mtime);
      this.succeed(f, claimFinalName(f.dir, f.name, f.partPath), md5, false);
    } catch (err) {
      const e = toFerryError(err, 'IO_ERROR');
      await this.failFile(f, sink, e.code, e.message, false);
    }
  }

  private succeed(f: InFile, savedAs: string, md5: string, alreadyPresent: boolean): void {
    f.held = null;
    f.phase = DONE;
    rememberCompleted(this.shared, f.partPath, md5, savedAs);
    this.filesDone++;
    this.conn.send({ type: 'verdict', file: f.index, ok: true });
    this.shared.emit({
      event: 'file-done',
      direction: 'receive',
      transferId: this.offer.transferId,
      path: printable(f.entry.path),
      savedAs: printable([...f.folder, savedAs].join('/')),
      size: f.entry.size,
      md5,
      verified: true,
      resumedFrom: f.resumedFrom,
      alreadyPresent,
    });
    this.progress.tick();
  }

  private async failFile(
    f: InFile,
    sink: FileSink | null,
    code: ErrorCode,
    message: string,
    discard: boolean,
    willRetry = false,
  ): Promise<void> {
    f.phase = willRetry ? FAILED_RETRYABLE : FAILED;
    this.doneBytes -= f.received;
    f.received = 0;
    if (discard && f.held) f.held = null;
    if (!willRetry) this.filesFailed++;
    try {
      await sink?.abort(discard);
    } catch {
      // The file was already failing; the verdict below says why.
    }
    this.conn.send({ type: 'verdict', file: f.index, ok: false, code, message: forPeer(this.shared, message, this.root) });
    this.emitFileFailed(f, code, message, willRetry);
  }

  /**
   * A file the person left out, refused to a 1.0 sender once it ended it (§5.4: such a sender
   * cannot be told before). Not a failure, and reported to the host already (announce).
   */
  private refuseLate(f: InFile, code: ErrorCode, message: string): void {
    f.phase = FAILED;
    this.conn.send({ type: 'verdict', file: f.index, ok: false, code, message });
  }

  private emitFileFailed(f: InFile, code: ErrorCode, message: string, willRetry: boolean): void {
    this.shared.emit({
      event: 'file-failed',
      direction: 'receive',
      transferId: this.offer.transferId,
      path: printable(f.entry.path),
      code,
      message,
      willRetry,
    });
  }

  /** Resolves once every verdict in the works has gone out. */
  settled(): Promise<void> {
    return this.pressure.settled();
  }

  /** At `end`: files the sender never finished count as failed (those left out were not wanted). */
  failUnfinished(): void {
    for (const f of this.files) {
      if (f.phase.name !== 'done' && f.phase.name !== 'failed') {
        f.phase = FAILED;
        if (!f.declined) this.filesFailed++;
      }
    }
  }

  /** The connection is gone: lets the files being finished finish, and closes the one in progress. */
  async close(): Promise<void> {
    const open = this.current;
    await this.pressure.ended();
    // Only files that were not saved can have left a partial: the transfer's entry for "its
    // partial files" lists those (none: no entry), not every file it was offered, for as long
    // as the receiver runs.
    rememberPartials(
      this.shared,
      this.offer.transferId,
      this.files.filter((f) => !f.declined && f.phase.name !== 'done').map((f) => f.partPath),
    );
    // Keep its partial, and what its md5 was: the same sender can resume it.
    if (!open?.sink) return;
    await open.sink.abort(false).catch(() => {});
    if (open.hash) await rememberPrefix(this.shared, open.file.partPath, open.hash, open.file.received).catch(() => {});
  }

  /** The final event; `complete`: the sender said `end` and we answered it. */
  reportDone(complete: boolean): void {
    this.progress.flush();
    const taken = this.files.length - this.declined;
    this.shared.emit({
      event: 'done',
      direction: 'receive',
      transferId: this.offer.transferId,
      ok: this.filesFailed === 0 && this.filesDone === taken && complete,
      files: this.filesDone,
      failed: taken - this.filesDone,
      bytes: this.offer.totalBytes - this.declinedBytes,
      wireBytes: this.conn.wireBytesIn,
      seconds: (performance.now() - this.startedAt) / 1000,
    });
  }

  private emitProgress(): void {
    const rate = this.meter.rate();
    const total = this.offer.totalBytes - this.declinedBytes;
    this.shared.emit({
      event: 'progress',
      direction: 'receive',
      transferId: this.offer.transferId,
      transferred: this.doneBytes,
      total,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(total - this.doneBytes, rate),
      filesDone: this.filesDone,
      fileCount: this.files.length - this.declined,
    });
  }
}
