// One file of an accepted offer as the receiver tracks it: where it lands (known from the
// moment it exists in the session), what we already held of it, and where it stands.

import type { Hash } from 'node:crypto';
import type { FileEntry } from '../../protocol/messages.js';
import type { FileSink } from '../file-sink.js';

/** What the receiver already holds of a file when it answers. */
export type Held =
  /** An interrupted run's temporary file; `hash` is the md5 state after its `offset` bytes. */
  | { kind: 'partial'; offset: number; md5: string; hash: Hash }
  /** The whole file, saved earlier under `name` in the same folder (offset = its size). */
  | { kind: 'present'; offset: number; md5: string; name: string };

/** The file the sender is streaming now. */
export interface Receiving {
  name: 'receiving';
  file: InFile;
  /**
   * Where its bytes go; null for a file the person left out, streamed all the same by a 1.0
   * sender (it cannot be told before, §5.4): its bytes are read and dropped, never written.
   */
  sink: FileSink | null;
  /** Running md5, or null for a small fresh file (hashed in one go when it ends, see FileSink.md5). */
  hash: Hash | null;
}

export type FilePhase =
  | { name: 'waiting' }
  | Receiving
  /** All bytes in and verified: being written out and given its final name. */
  | { name: 'finishing' }
  | { name: 'done' }
  /** `retryable`: the sender sends it once more (after a checksum mismatch). */
  | { name: 'failed'; retryable: boolean };

export const WAITING: FilePhase = { name: 'waiting' };
export const FINISHING: FilePhase = { name: 'finishing' };
export const DONE: FilePhase = { name: 'done' };
export const FAILED: FilePhase = { name: 'failed', retryable: false };
export const FAILED_RETRYABLE: FilePhase = { name: 'failed', retryable: true };

export interface InFile {
  readonly index: number;
  readonly entry: FileEntry;
  /** The wire path's components (NFC): the folders, then the file's own name. */
  readonly folder: readonly string[];
  readonly name: string;
  /** The folder the file lands in (absolute), and its temporary file there. */
  readonly dir: string;
  readonly partPath: string;
  /** The person left it out (Decision.files): refused as DECLINED, nothing of it written. */
  readonly declined: boolean;
  held: Held | null;
  phase: FilePhase;
  attempts: number;
  received: number;
  resumedFrom: number;
}
