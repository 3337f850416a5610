// Reading the files we send, and noticing when one changed since it was offered.

import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { FerryError, toFerryError } from '../../errors.js';
import type { FileEntry } from '../../protocol/messages.js';
import { OPEN_SOURCE } from '../disk.js';

/** Throws SOURCE_CHANGED unless the file still has the size and mtime it was offered with. */
export function checkUnchanged(st: Stats, entry: FileEntry): void {
  if (st.size !== entry.size || Math.trunc(st.mtimeMs) !== entry.mtime) {
    throw new FerryError('SOURCE_CHANGED', `${entry.path} changed since it was offered`);
  }
}

// Small files are read synchronously: open, read and close take microseconds, less than
// the thread-pool round trips of the async calls, and that is what keeps 10,000 small
// files as fast as one big one.
export function readSmallSync(local: string, entry: FileEntry): Buffer {
  const fd = openSync(local, OPEN_SOURCE);
  try {
    checkUnchanged(fstatSync(fd), entry);
    const buf = Buffer.allocUnsafe(entry.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) throw new FerryError('SOURCE_CHANGED', `${entry.path} became shorter while being read`);
      got += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why a file we send could not be read, in words for both ends. The receiver is told this
 * too, so it never holds our local path (Node's own text does: "ENOENT: …, open '/home/…'").
 * A file that vanished or cannot be opened is IO_ERROR (PROTOCOL.md §11; SOURCE_CHANGED is
 * for one whose size or time changed). Anything not about the file (a lost connection) keeps
 * its own code.
 */
export function sourceFailure(err: unknown): FerryError {
  if (err instanceof FerryError) return err;
  const fail = (why: string): FerryError => new FerryError('IO_ERROR', why, { cause: err });
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return fail('deleted or moved since it was chosen');
    case 'EISDIR':
      return fail('a folder now, no longer a file');
    case 'EACCES':
    case 'EPERM':
      return fail('cannot be read: permission denied');
    case 'ELOOP':
      return fail('cannot be read: a loop of symbolic links');
    case 'EIO':
      return fail('cannot be read: the disk reported an error');
    case 'EMFILE':
    case 'ENFILE':
      return fail('cannot be opened: too many files are open');
    default:
      return toFerryError(err, 'IO_ERROR');
  }
}
