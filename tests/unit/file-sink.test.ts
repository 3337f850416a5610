// The receiver's file sink on its own, on real files: bytes copied into shared slabs reach the
// disk in order and whole, whatever the chunk sizes and however many files stream at once;
// every byte is reported flushed exactly once (written or dropped), so backpressure never
// stays paused; a resume appends at its offset; a failed or aborted file loses nothing kept.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileSink } from '../../main/core/transfer/file-sink.js';
import { SLAB } from '../../main/core/transfer/write-slabs.js';
import { rejectsWith, tempDir } from '../helpers.ts';

/** Feeds `data` in pieces of the given sizes (repeating), yielding to the event loop now and then. */
async function feed(sink: FileSink, data: Buffer, sizes: number[]): Promise<void> {
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length] ?? 16_384, data.length - at);
    // A fresh buffer per piece, as TLS hands them over; reused afterwards to catch a sink
    // that kept a reference instead of copying.
    const piece = Buffer.from(data.subarray(at, at + n));
    sink.write(piece);
    piece.fill(0xee);
    at += n;
    if (i % 7 === 0) await new Promise((r) => setImmediate(r));
  }
}

function counter(): { add: (n: number) => void; readonly total: number } {
  let total = 0;
  return {
    add: (n) => {
      total += n;
    },
    get total() {
      return total;
    },
  };
}

test('a streamed file arrives whole across slab boundaries, with its mtime, every byte reported once', async () => {
  const dir = await tempDir();
  const data = randomBytes(3 * SLAB + 12_345);
  const flushed = counter();
  const sink = new FileSink(join(dir, 'a.part'), 0, false, flushed.add);
  await feed(sink, data, [16_384, 1, 70_000, 16_383, SLAB + 5]);
  await sink.finish(1_600_000_000_000);
  assert.ok((await readFile(join(dir, 'a.part'))).equals(data));
  assert.equal(flushed.total, data.length);
  assert.equal((await stat(join(dir, 'a.part'))).mtimeMs, 1_600_000_000_000);
});

test('files streaming at once share the slabs without one overwriting another', async () => {
  const dir = await tempDir();
  const files = Array.from({ length: 6 }, (_, i) => ({
    path: join(dir, `f${i}.part`),
    data: randomBytes(2 * SLAB + i * 40_001),
    flushed: counter(),
  }));
  // Interleaved: every file gets a piece in turn, so slabs are taken and handed back while
  // other files' writes are in flight.
  const streams = files.map((f) => ({ ...f, sink: new FileSink(f.path, 0, false, f.flushed.add), at: 0 }));
  for (let round = 0; streams.some((s) => s.at < s.data.length); round++) {
    streams.forEach((s, i) => {
      const n = Math.min(16_384 + ((round * 977 + i * 131) % 9000), s.data.length - s.at);
      if (n <= 0) return;
      s.sink.write(Buffer.from(s.data.subarray(s.at, s.at + n)));
      s.at += n;
    });
    if (round % 5 === 0) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(streams.map((s) => s.sink.finish(Date.now())));
  for (const f of files) {
    assert.ok((await readFile(f.path)).equals(f.data), `${f.path} differs`);
    assert.equal(f.flushed.total, f.data.length);
  }
});

test('a resumed file is appended at its offset, and a stale longer partial is cut to it first', async () => {
  const dir = await tempDir();
  const p = join(dir, 'r.part');
  const data = randomBytes(SLAB + 50_000);
  const offset = 100_000;
  await writeFile(p, Buffer.concat([data.subarray(0, offset), Buffer.from('left over from before')]));
  const flushed = counter();
  const sink = new FileSink(p, offset, false, flushed.add);
  await feed(sink, data.subarray(offset), [30_000]);
  await sink.finish(Date.now());
  assert.ok((await readFile(p)).equals(data));
  assert.equal(flushed.total, data.length - offset);
});

test('an abort keeps what arrived (a resume need not send it again); a discarding abort removes the file', async () => {
  const dir = await tempDir();
  const data = randomBytes(SLAB + 99);
  const kept = counter();
  const keep = new FileSink(join(dir, 'keep.part'), 0, false, kept.add);
  await feed(keep, data, [16_384]);
  await keep.abort(false);
  assert.ok((await readFile(join(dir, 'keep.part'))).equals(data));
  assert.equal(kept.total, data.length);

  const dropped = counter();
  const discard = new FileSink(join(dir, 'gone.part'), 0, false, dropped.add);
  await feed(discard, data, [16_384]);
  await discard.abort(true);
  await assert.rejects(stat(join(dir, 'gone.part')), { code: 'ENOENT' });
  assert.equal(dropped.total, data.length, 'every byte is reported, written or dropped');
});

test('a file whose folder cannot be written fails with a clear error, and every byte is still reported', async () => {
  const dir = await tempDir();
  const blocked = join(dir, 'not-a-folder');
  await writeFile(blocked, 'a file where the folder should be');
  const flushed = counter();
  const sink = new FileSink(join(blocked, 'x.part'), 0, false, flushed.add);
  const data = randomBytes(SLAB * 2);
  await feed(sink, data, [16_384]);
  const err = await rejectsWith(sink.finish(Date.now()), 'IO_ERROR');
  assert.match(err.message, /ENOTDIR|not a directory/i);
  assert.equal(flushed.total, data.length);
  // What came after the failure is reported too, and the sink takes it without throwing.
  sink.write(Buffer.alloc(10));
  assert.equal(flushed.total, data.length + 10);
  // The slabs it held went back: another file streams fine.
  const ok = join(dir, 'ok');
  await mkdir(ok);
  const again = new FileSink(join(ok, 'y.part'), 0, false, () => {});
  await feed(again, data, [40_000]);
  await again.finish(Date.now());
  assert.ok((await readFile(join(ok, 'y.part'))).equals(data));
});
