// Reading the files we send, and noticing when one changed since it was offered.

import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { FerryError } from '../../errors.js';
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
