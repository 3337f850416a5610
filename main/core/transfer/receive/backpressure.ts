// How much of one connection's file data may wait for the disk, and how many verified files
// may wait for their rename, before the receiver stops reading that connection.

import type { Connection } from '../connection.js';

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

export class Backpressure {
  private buffered = 0;
  private readonly finishing = new Set<Promise<void>>();

  /** @param streaming the receiver's connections streaming now, which share the memory */
  constructor(
    private readonly conn: Connection,
    private readonly streaming: ReadonlySet<object>,
  ) {}

  /** Bytes handed to a file sink, not yet on the disk. */
  hold(bytes: number): void {
    this.buffered += bytes;
  }

  pauseIfFull(): void {
    if (this.buffered > bufferLimit(this.streaming.size)) this.conn.pause();
  }

  /** Bytes a file sink wrote (or dropped): given to every FileSink as is, one function for all. */
  readonly flushed = (bytes: number): void => {
    this.buffered -= bytes;
    this.maybeResume();
  };

  /** Work whose verdict must go out before `end`; too much of it pauses reading. */
  track(work: Promise<void>): void {
    const p = work.finally(() => {
      this.finishing.delete(p);
      this.maybeResume();
    });
    this.finishing.add(p);
    if (this.finishing.size >= MAX_FINISHING) this.conn.pause();
  }

  /** Resolves once no tracked work is left, including work that started meanwhile. */
  async settled(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
  }

  /** Resolves once the work tracked now has ended, however it ended. */
  async ended(): Promise<void> {
    await Promise.allSettled([...this.finishing]);
  }

  private maybeResume(): void {
    if (this.buffered <= bufferLimit(this.streaming.size) / 4 && this.finishing.size < MAX_FINISHING) this.conn.resume();
  }
}
