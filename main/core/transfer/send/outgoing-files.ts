// The streaming phase of one connection: every file back to back with no per-file round trip,
// verdicts arriving asynchronously, a file whose checksum did not match sent once more, and
// progress counted on what the receiver holds.

import { createHash, hash as cryptoHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { FerryError } from '../../errors.js';
import type { ResumePoint } from '../../protocol/messages.js';
import { printable } from '../../protocol/wire-path.js';
import type { Connection } from '../connection.js';
import { EMPTY_MD5, md5Prefix, OPEN_SOURCE } from '../disk.js';
import type { EventSink } from '../../model/events.js';
import type { Peer } from '../handshake.js';
import { eta, RateMeter, Throttle } from '../progress.js';
import { SMALL_FILE } from '../small-file.js';
import { CHUNK, giveBack, HEADROOM, takeChunk } from './chunk-pool.js';
import { checkUnchanged, readSmallSync, sourceFailure } from './local-file.js';
import type { Mailbox } from './mailbox.js';
import { isDeclined, type Failure, type OutFile } from './out-file.js';

export class OutgoingFiles {
  /** Files awaiting a verdict → the md5 their file-end carried (null: our own file-error). */
  private readonly outstanding = new Map<number, string | null>();
  private readonly retryQueue: OutFile[] = [];
  private verdictWaiter: (() => void) | null = null;
  private readonly meter = new RateMeter();
  private readonly progress: Throttle;
  private doneBytes = 0;
  /** File data bytes of this connection the receiver holds (see acknowledged). */
  private acked = 0;
  private reportedReceived = 0;
  // The counts progress reports, kept as they change: counting 100,000 files at every
  // progress event took 0.7 s of a 10-second transfer.
  /** Files verified on this connection (all start unverified on each, see Attempt). */
  private filesVerified = 0;
  /** Files the receiver takes: those it left out now, and those a 1.0 receiver declines later, are not. */
  private fileCount: number;

  constructor(
    private readonly conn: Connection,
    /** Says whether the connection is still open, and why not. */
    private readonly mailbox: Mailbox,
    private readonly peer: Peer,
    private readonly files: readonly OutFile[],
    private readonly byIndex: ReadonlyMap<number, OutFile>,
    /** The bytes of the files the receiver takes (those it left out are not part of it). */
    private totalBytes: number,
    private readonly transferId: string,
    private readonly emit: EventSink,
  ) {
    this.progress = new Throttle(() => this.emitProgress());
    this.fileCount = files.filter((f) => !isDeclined(f)).length;
  }

  /** Sends every file not failed for good, then re-sends mismatched ones until every verdict is in. */
  async sendAll(held: ReadonlyMap<number, ResumePoint>): Promise<void> {
    for (const f of this.files) {
      if (!f.failure) await this.sendFile(f, held.get(f.index) ?? null);
    }
    // Re-send files whose checksum did not match, once each, until every verdict is in.
    for (;;) {
      const retry = this.retryQueue.shift();
      if (retry) {
        await this.sendFile(retry, null);
        continue;
      }
      if (this.outstanding.size === 0) break;
      await new Promise<void>((r) => (this.verdictWaiter = r));
      this.mailbox.checkOpen();
    }
  }

  flushProgress(): void {
    this.progress.flush();
  }

  private async sendFile(f: OutFile, held: ResumePoint | null): Promise<void> {
    const conn = this.conn;
    this.mailbox.checkOpen();
    const size = f.entry.size;
    let hash: Hash | null = null;
    let start = 0;
    let md5: string;
    try {
      if (held) {
        if (held.offset === size && f.md5 !== null) {
          // We know our md5 from an earlier attempt: no need to read the file again.
          if (f.md5 === held.md5) start = size;
        } else {
          // A local file shorter than the offset has changed: start over (stream() says so).
          const prefix = await md5Prefix(f.local, held.offset, OPEN_SOURCE).catch(() => null);
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
        // Nothing to send: an empty file, or one the receiver holds whole. Its md5 is then the
        // one the receiver reported, found to be ours (from an earlier connection, or just hashed).
        md5 = held && size > 0 ? held.md5 : EMPTY_MD5;
        f.md5 = md5;
      } else if (start === 0 && size <= SMALL_FILE) {
        const body = readSmallSync(f.local, f.entry);
        md5 = cryptoHash('md5', body); // one call: cheaper than a running hash for a small file
        f.md5 = md5;
        this.mailbox.checkOpen();
        const room = conn.sendData({ type: 'data', file: f.index, offset: 0, length: body.length }, body);
        this.sent(f, body.length);
        if (!room) await conn.drain();
      } else {
        md5 = await this.stream(f, start, hash ?? createHash('md5'));
        f.md5 = md5;
      }
    } catch (err) {
      const e = sourceFailure(err);
      if (e.code !== 'SOURCE_CHANGED' && e.code !== 'IO_ERROR') throw e;
      this.mailbox.checkOpen();
      f.failure = { code: e.code, message: e.message };
      // The receiver answers with a failing verdict; `end` waits for it like any other.
      this.outstanding.set(f.index, null);
      f.wireEnd = conn.wireBytesOut;
      conn.send({ type: 'file-error', file: f.index, code: e.code, message: e.message });
      this.emit({
        event: 'file-failed',
        direction: 'send',
        transferId: this.transferId,
        path: printable(f.entry.path),
        code: e.code,
        message: e.message,
        willRetry: false,
      });
      return;
    }
    this.mailbox.checkOpen();
    this.outstanding.set(f.index, md5);
    f.wireEnd = conn.wireBytesOut;
    if (!conn.send({ type: 'file-end', file: f.index, md5 })) await conn.drain();
    this.progress.tick();
  }

  /** Reads a file from `start` in 1 MiB chunks, one read ahead of the socket. */
  private async stream(f: OutFile, start: number, hash: Hash): Promise<string> {
    const conn = this.conn;
    const fh = await fs.open(f.local, OPEN_SOURCE);
    try {
      checkUnchanged(await fh.stat(), f.entry);
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
        this.mailbox.checkOpen();
        const room = conn.sendDataInPlace({ type: 'data', file: f.index, offset: pos, length }, buf, HEADROOM, () => giveBack(buf));
        this.sent(f, length);
        pos = after;
        if (!room) await conn.drain();
        this.mailbox.checkOpen();
      }
      // Written to while we read it (seconds, for a big file): what went out may be half old,
      // half new, and its md5 would vouch for a file that never existed. It fails instead.
      checkUnchanged(await fh.stat(), f.entry);
      return hash.digest('hex');
    } finally {
      await fh.close();
    }
  }

  /** File data handed to the socket. */
  private sent(f: OutFile, bytes: number): void {
    this.count(f, bytes);
    // With a 1.1 receiver, speed is measured on what arrives there (see acknowledged).
    if (!this.peer.speaks11) this.meter.add(bytes);
    this.progress.tick();
  }

  private count(f: OutFile, bytes: number): void {
    f.counted += bytes;
    this.doneBytes += bytes;
  }

  /**
   * The receiver holds the first `bytes` of the file data sent on this connection: it said
   * so (`received`), or it gave a verdict on a file (everything before that file's end).
   * Progress counts these, not what was handed to the socket: kernel buffers on both ends
   * hold megabytes, which on a slow link is seconds that the receiver does not yet have.
   */
  private acknowledged(bytes: number): void {
    if (bytes <= this.acked) return;
    if (this.peer.speaks11) this.meter.add(bytes - this.acked);
    this.acked = bytes;
    this.progress.tick();
  }

  /** A 1.1 receiver's report of how much file data has arrived. */
  onReceived(bytes: number): void {
    const sent = this.conn.wireBytesOut;
    if (bytes < this.reportedReceived || bytes > sent) {
      throw new FerryError(
        'BAD_MESSAGE',
        `received.bytes ${bytes} is not between the last report (${this.reportedReceived}) and the ${sent} bytes sent`,
      );
    }
    this.reportedReceived = bytes;
    this.acknowledged(bytes);
    // Reports come a few times a second: each is news, shown at once rather than at the next
    // throttle slot (which left the sender's screen a report or two behind the receiver's).
    this.progress.flush();
  }

  onVerdict(index: number, failure: Failure | null): void {
    const f = this.byIndex.get(index);
    const md5 = this.outstanding.get(index);
    if (!f || md5 === undefined) throw new FerryError('UNEXPECTED_MESSAGE', `verdict for file ${index}, which awaits none`);
    this.outstanding.delete(index);
    this.acknowledged(f.wireEnd);
    try {
      // After our own file-error the verdict only acknowledges it.
      if (md5 !== null) this.settle(f, md5, failure);
    } finally {
      this.wakeVerdictWaiter();
    }
  }

  connectionClosed(): void {
    this.wakeVerdictWaiter();
  }

  private wakeVerdictWaiter(): void {
    const w = this.verdictWaiter;
    this.verdictWaiter = null;
    w?.();
  }

  private settle(f: OutFile, md5: string, failure: Failure | null): void {
    if (!failure) {
      if (!f.verified) this.filesVerified++;
      f.verified = true;
      if (f.reported) return;
      f.reported = true;
      this.emit({
        event: 'file-done',
        direction: 'send',
        transferId: this.transferId,
        path: printable(f.entry.path),
        size: f.entry.size,
        md5,
        verified: true,
        resumedFrom: f.resumedFrom,
        alreadyPresent: f.alreadyPresent,
      });
    } else {
      // Left out by the person there, told only now (the receiver thought us 1.0): not sent
      // again, not a failure, and its bytes leave the total.
      if (failure.code === 'DECLINED') {
        this.totalBytes -= f.entry.size;
        this.fileCount--;
      }
      const willRetry = failure.code === 'CHECKSUM_MISMATCH' && f.mismatches === 0;
      if (failure.code === 'CHECKSUM_MISMATCH') f.mismatches++;
      this.doneBytes -= f.counted;
      f.counted = 0;
      if (willRetry) this.retryQueue.push(f);
      else f.failure = failure;
      this.emit({
        event: 'file-failed',
        direction: 'send',
        transferId: this.transferId,
        path: printable(f.entry.path),
        ...failure,
        willRetry,
      });
    }
  }

  private emitProgress(): void {
    const rate = this.meter.rate();
    // A 1.0 receiver says nothing until a file's verdict: count what left, as before.
    const inFlight = this.peer.speaks11 ? Math.max(0, this.conn.wireBytesOut - this.acked) : 0;
    const transferred = Math.max(0, this.doneBytes - inFlight);
    this.emit({
      event: 'progress',
      direction: 'send',
      transferId: this.transferId,
      transferred,
      total: this.totalBytes,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(this.totalBytes - transferred, rate),
      filesDone: this.filesVerified,
      fileCount: this.fileCount,
    });
  }
}
