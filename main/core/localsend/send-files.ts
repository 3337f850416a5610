// Reading the files a LocalSend send offers, twice: once before the offer, to hash each file
// (the sha256 LocalSend 1.18 receivers verify, the md5 Ferry's events carry), and once per
// upload, as the request's body. Both reads check that the file is still what was chosen (size
// and modified time, as Ferry's own sender does), and the upload read also checks that the bytes
// are those hashed: a file that changed is failed before the last byte leaves, so the receiver
// never completes a file that is neither the old nor the new one.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { FerryError } from '../errors.js';
import type { FileEntry } from '../protocol/messages.js';
import { OPEN_SOURCE } from '../transfer/disk.js';
import { checkUnchanged } from '../transfer/send/local-file.js';

/** Bytes read at a time: large enough for few system calls, small enough to keep memory flat. */
const CHUNK = 1024 * 1024;

/** What the hashing pass learnt of a file. */
export interface FileDigests {
  sha256: string;
  md5: string;
  /** Last access before this read, for LocalSend's `metadata.accessed`. */
  accessedMs: number;
}

function shorter(entry: FileEntry): FerryError {
  return new FerryError('SOURCE_CHANGED', `${entry.path} became shorter while being read`);
}

/** sha256 and md5 of a file in one read; SOURCE_CHANGED if it is not, or stops being, the file chosen. */
export async function hashFile(local: string, entry: FileEntry, signal: AbortSignal): Promise<FileDigests> {
  const fh = await fs.open(local, OPEN_SOURCE);
  try {
    const before = await fh.stat();
    checkUnchanged(before, entry);
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    // Hashing copies nothing out of the buffer, so one serves every read.
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, entry.size)));
    let pos = 0;
    while (pos < entry.size) {
      if (signal.aborted) throw new FerryError('CANCELLED', 'cancelled while reading the files');
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, entry.size - pos), pos);
      if (bytesRead === 0) throw shorter(entry);
      const chunk = buf.subarray(0, bytesRead);
      sha.update(chunk);
      md5.update(chunk);
      pos += bytesRead;
    }
    // Written to while we read: what we hashed may be half old, half new.
    checkUnchanged(await fh.stat(), entry);
    return { sha256: sha.digest('hex'), md5: md5.digest('hex'), accessedMs: before.atimeMs };
  } finally {
    await fh.close();
  }
}

/**
 * The body of one upload: the file's bytes, read as the socket takes them (never the whole file
 * in memory). `sent` is told of each chunk as it is handed on. Fails with SOURCE_CHANGED, before
 * the last chunk goes out, when the file is no longer the one hashed (`md5`); destroying the
 * stream (the request failed or was cancelled) closes the file before 'close' is emitted.
 */
export function uploadBody(local: string, entry: FileEntry, md5: string, sent: (bytes: number) => void): Readable {
  async function* read(): AsyncGenerator<Buffer> {
    const fh = await fs.open(local, OPEN_SOURCE);
    try {
      checkUnchanged(await fh.stat(), entry);
      const hash = createHash('md5');
      let pos = 0;
      const finalCheck = async (): Promise<void> => {
        checkUnchanged(await fh.stat(), entry);
        if (hash.digest('hex') !== md5) throw new FerryError('SOURCE_CHANGED', `${entry.path} changed since it was offered`);
      };
      if (entry.size === 0) await finalCheck();
      while (pos < entry.size) {
        const want = Math.min(CHUNK, entry.size - pos);
        // A fresh buffer per chunk: the request holds on to what it was given until it is written.
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead } = await fh.read(buf, 0, want, pos);
        if (bytesRead === 0) throw shorter(entry);
        const chunk = bytesRead === want ? buf : buf.subarray(0, bytesRead);
        hash.update(chunk);
        pos += bytesRead;
        if (pos === entry.size) await finalCheck();
        sent(bytesRead);
        yield chunk;
      }
    } finally {
      await fh.close();
    }
  }
  return Readable.from(read(), { objectMode: false });
}
