// One file of a transfer as the sender tracks it across connections: what it is, what the
// receiver said about it, and what the current connection has sent of it.

import type { ErrorCode } from '../../errors.js';
import { isDir, type FileEntry } from '../../protocol/messages.js';
import type { Source } from '../../model/transport.js';

export interface Failure {
  code: ErrorCode;
  message: string;
}

export interface OutFile {
  index: number;
  entry: FileEntry;
  local: string;
  /** Our md5 of the whole file, once read (kept across connections). */
  md5: string | null;
  /** Confirmed by the receiver on the current connection. */
  verified: boolean;
  /** file-done was emitted (once per transfer, whatever the reconnects). */
  reported: boolean;
  /** Bytes of this file counted as done on the current connection. */
  counted: number;
  failure: Failure | null;
  mismatches: number;
  resumedFrom: number;
  alreadyPresent: boolean;
  /** The connection's file data bytes sent up to this file's end (its verdict covers them). */
  wireEnd: number;
}

/**
 * The person at the receiver left it out (a refusal or verdict with DECLINED): not a failure,
 * and outside the transfer's counts and totals. Decided again by each connection's answer.
 */
export function isDeclined(f: OutFile): boolean {
  return f.failure?.code === 'DECLINED';
}

/** The files of a source (its folders need no sending: the offer lists them). */
export function outFiles(source: Source): OutFile[] {
  const files: OutFile[] = [];
  source.entries.forEach((e, index) => {
    if (isDir(e)) return;
    files.push({
      index,
      entry: e,
      local: source.locals[index] ?? '',
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
  });
  return files;
}
