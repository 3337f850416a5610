// End-to-end transfers through the real engine on loopback: real sockets, real files.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { FerryError } from '../../main/core/errors.js';
import type { TransferEvent } from '../../main/core/model/events.js';
import { bufferLimit } from '../../main/core/transfer/receive/backpressure.js';
import { sendFiles, type SendOptions } from '../../main/core/transfer/sender.js';
import { collectSource } from '../../main/core/transfer/source.js';
import {
  identity,
  md5File,
  randomFile,
  snapshot,
  startReceiver,
  TcpProxy,
  tempDir,
  waitUntil,
  writeTree,
  RawClient,
  type ProxyOptions,
  type TestReceiver,
} from '../helpers.js';

/** The default sender of these tests (a proxy that edits plaintext needs to know its key). */
const SENDER = identity('sender');

function send(port: number, paths: string[], extra: Partial<SendOptions> = {}) {
  const events: TransferEvent[] = [];
  const result = sendFiles({
    host: '127.0.0.1',
    port,
    paths,
    identity: extra.identity ?? SENDER,
    backoffMs: 50,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, events };
}

/** A proxy between SENDER and r that sees (and may edit) the plaintext frames inside TLS. */
function plaintextProxy(r: TestReceiver, opts: Omit<ProxyOptions, 'target' | 'mitm'>): TcpProxy {
  return new TcpProxy({ ...opts, target: r.port, mitm: { receiver: r.identity.tls, sender: SENDER.tls } });
}

/** Flips the first 0xa5 byte of every chunk: only test files filled with it hold that value. */
function corruptingProxy(r: TestReceiver): TcpProxy {
  return plaintextProxy(r, {
    upstream: (chunk) => {
      const i = chunk.indexOf(0xa5);
      if (i < 0) return chunk;
      const c = Buffer.from(chunk);
      c[i] = 0xa4;
      return c;
    },
  });
}

function partFiles(snap: Record<string, string>): string[] {
  return Object.keys(snap).filter((k) => k.endsWith('.ferry-part'));
}

/** n senders at once into one receiver, each sending its own folder of files; every one arrives identical. */
async function sendersAtOnce(n: number, files: (i: number) => Record<string, string | Buffer>): Promise<void> {
  const r = await startReceiver();
  const runs = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const src = await tempDir();
      const tree = Object.fromEntries(Object.entries(files(i)).map(([name, body]) => [`from${i}/${name}`, body]));
      await writeTree(src, tree);
      return { src, run: send(r.port, [path.join(src, `from${i}`)], { identity: identity(`sender ${i}`) }) };
    }),
  );
  const results = await Promise.all(runs.map((x) => x.run.result));
  assert.ok(results.every((x) => x.ok));
  for (const [i, { src }] of runs.entries()) {
    assert.deepEqual(await snapshot(path.join(r.dir, `from${i}`)), await snapshot(path.join(src, `from${i}`)), `from${i}`);
  }
}

describe('transfers', () => {
  test('a single file arrives byte-identical under its own name', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'photo.jpg'), 3 * 1024 * 1024 + 17);
    const r = await startReceiver();
    const { result, events } = send(r.port, [file]);
    const res = await result;
    assert.equal(res.ok, true);
    assert.equal(await md5File(path.join(r.dir, 'photo.jpg')), await md5File(file));
    const done = events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.verified && done.md5 === (await md5File(file)));
    const rdone = await r.waitFor((e) => e.event === 'done');
    assert.ok(rdone.event === 'done' && rdone.ok && rdone.files === 1);
    assert.deepEqual(partFiles(await snapshot(r.dir)), []);
  });

  test('a folder keeps its tree, unicode names, empty files and empty folders', async () => {
    const src = await tempDir();
    await writeTree(src, {
      'album/Привет мир.txt': 'hello',
      'album/日本語/ファイル.md': '# title\n',
      'album/empty.txt': '',
      'album/nested/deeper/still/x.bin': Buffer.alloc(70_000, 7),
      'album/nothing here': null,
      'album/.hidden': 'dotfile',
      'album/café.txt': 'NFC',
    });
    // An NFD name (as macOS writes them) arrives as its NFC twin.
    await fs.writeFile(path.join(src, 'album', 'nai\u0308ve.txt'), 'NFD');
    const r = await startReceiver();
    const res = await send(r.port, [path.join(src, 'album')]).result;
    assert.deepEqual(res.failed, []);
    assert.equal(res.ok, true);
    const got = await snapshot(r.dir);
    const want = await snapshot(src);
    delete want['album/nai\u0308ve.txt'];
    want['album/na\u00efve.txt'] = got['album/na\u00efve.txt']!;
    assert.deepEqual(got, want);
    assert.equal(await fs.readFile(path.join(r.dir, 'album', 'na\u00efve.txt'), 'utf8'), 'NFD');
  });

  test('a symbolic link to a file is sent as that file (in a folder or picked itself); one to a folder is skipped', async () => {
    const src = await tempDir();
    const outside = await tempDir();
    await writeTree(src, { 'docs/real.txt': 'inside', 'docs/sub/x.txt': 'x' });
    const big = await randomFile(path.join(outside, 'big.bin'), 3 * 1024 * 1024 + 5); // streamed, not read whole
    const small = path.join(outside, 'small.txt');
    await fs.writeFile(small, 'outside');
    await fs.symlink(small, path.join(src, 'docs', 'to-small.txt'));
    await fs.symlink(big, path.join(src, 'docs', 'to-big.bin'));
    await fs.symlink('real.txt', path.join(src, 'docs', 'relative.txt'));
    await fs.symlink(path.join(src, 'docs', 'sub'), path.join(src, 'docs', 'to-folder'));
    await fs.symlink(big, path.join(src, 'picked.bin'));
    const r = await startReceiver();
    const res = await send(r.port, [path.join(src, 'docs'), path.join(src, 'picked.bin')]).result;
    assert.deepEqual(res.failed, []);
    assert.equal(res.ok, true);
    assert.equal(await fs.readFile(path.join(r.dir, 'docs', 'to-small.txt'), 'utf8'), 'outside');
    assert.equal(await fs.readFile(path.join(r.dir, 'docs', 'relative.txt'), 'utf8'), 'inside');
    for (const got of [path.join(r.dir, 'docs', 'to-big.bin'), path.join(r.dir, 'picked.bin')]) {
      assert.ok((await fs.lstat(got)).isFile(), `${got} is a file, not a link`);
      assert.equal(await md5File(got), await md5File(big));
    }
    await assert.rejects(fs.lstat(path.join(r.dir, 'docs', 'to-folder')), { code: 'ENOENT' });
    assert.equal(await fs.readFile(path.join(r.dir, 'docs', 'sub', 'x.txt'), 'utf8'), 'x');
  });

  test('2,000 small files all arrive and verify', async () => {
    const src = await tempDir();
    const tree: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) tree[`many/d${i % 20}/f${i}.txt`] = `file ${i} `.repeat(i % 50);
    await writeTree(src, tree);
    const r = await startReceiver();
    const { result, events } = send(r.port, [path.join(src, 'many')]);
    const res = await result;
    assert.equal(res.ok, true);
    assert.equal(res.files, 2000);
    assert.equal(events.filter((e) => e.event === 'file-done').length, 2000);
    assert.deepEqual(await snapshot(r.dir), await snapshot(src));
  });

  test('a name made portable never takes the name of a sibling that already had it', async () => {
    const src = await tempDir();
    // "a:b" becomes "a_b" on the wire; it sorts first, yet the real "a_b" keeps its name.
    await writeTree(src, { 'pics/a:b.txt': 'was a:b', 'pics/a_b.txt': 'the real a_b', 'pics/c?.txt': 'was c?', 'pics/c_ (1).txt': 'real' });
    const source = await collectSource([path.join(src, 'pics')]);
    assert.deepEqual(
      source.entries.map((e) => e.path),
      ['pics', 'pics/a_b (1).txt', 'pics/a_b.txt', 'pics/c_.txt', 'pics/c_ (1).txt'],
    );
    const r = await startReceiver();
    assert.equal((await send(r.port, [], { source }).result).ok, true);
    const dl = (n: string) => fs.readFile(path.join(r.dir, 'pics', n), 'utf8');
    assert.equal(await dl('a_b.txt'), 'the real a_b');
    assert.equal(await dl('a_b (1).txt'), 'was a:b');
    assert.equal(await dl('c_ (1).txt'), 'real');
    assert.equal(await dl('c_.txt'), 'was c?');
  });

  test('an existing file is never overwritten: the newcomer becomes "name (1).ext"', async () => {
    const src = await tempDir();
    await writeTree(src, { 'report.pdf': 'new content', 'archive.tar.gz': 'new tgz', '.profile': 'new dot' });
    const r = await startReceiver();
    await writeTree(r.dir, { 'report.pdf': 'old content', 'report (1).pdf': 'older', 'archive.tar.gz': 'old', '.profile': 'old' });
    const res = await send(
      r.port,
      ['report.pdf', 'archive.tar.gz', '.profile'].map((n) => path.join(src, n)),
    ).result;
    assert.equal(res.ok, true);
    const dl = (n: string) => fs.readFile(path.join(r.dir, n), 'utf8');
    assert.equal(await dl('report.pdf'), 'old content');
    assert.equal(await dl('report (1).pdf'), 'older');
    assert.equal(await dl('report (2).pdf'), 'new content');
    assert.equal(await dl('archive (1).tar.gz'), 'new tgz');
    assert.equal(await dl('.profile (1)'), 'new dot');
  });

  test('sending the same file again finds it already there instead of duplicating it', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'same.bin'), 200_000);
    const r = await startReceiver();
    const me = identity('repeat sender');
    assert.equal((await send(r.port, [file], { identity: me }).result).ok, true);
    const again = send(r.port, [file], { identity: me });
    assert.equal((await again.result).ok, true);
    const done = again.events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.alreadyPresent);
    assert.deepEqual(Object.keys(await snapshot(r.dir)), ['same.bin']);
  });

  test('a file saved under another name (its own was taken) is found there when sent again, not saved a third time', async () => {
    const src = await tempDir();
    await writeTree(src, { 'trip/same.bin': 'the traveller' });
    const r = await startReceiver();
    await writeTree(r.dir, { 'trip/same.bin': 'already here, unrelated' });
    const me = identity('repeat sender');
    assert.equal((await send(r.port, [path.join(src, 'trip')], { identity: me }).result).ok, true);
    const again = send(r.port, [path.join(src, 'trip')], { identity: me });
    assert.equal((await again.result).ok, true);
    const done = again.events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.alreadyPresent, JSON.stringify(done));
    const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
    assert.deepEqual(await snapshot(r.dir), {
      trip: 'dir',
      'trip/same.bin': md5('already here, unrelated'),
      'trip/same (1).bin': md5('the traveller'),
    });
  });

  test('partials abandoned for over a week are swept from folders the receiver passes by', async () => {
    const src = await tempDir();
    await writeTree(src, { 'inbox/new.txt': 'new' });
    const r = await startReceiver();
    await writeTree(r.dir, {
      'inbox/.0123456789abcdef01234567.ferry-part': 'abandoned',
      'inbox/.fedcba9876543210fedcba98.ferry-part': 'recent',
      'inbox/old-but-mine.txt': 'a user file',
      'inbox/my notes.ferry-part': 'a user file that only looks like a partial',
    });
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    await fs.utimes(path.join(r.dir, 'inbox/.0123456789abcdef01234567.ferry-part'), weekAgo, weekAgo);
    await fs.utimes(path.join(r.dir, 'inbox/.fedcba9876543210fedcba98.ferry-part'), dayAgo, dayAgo);
    await fs.utimes(path.join(r.dir, 'inbox/old-but-mine.txt'), weekAgo, weekAgo);
    await fs.utimes(path.join(r.dir, 'inbox/my notes.ferry-part'), weekAgo, weekAgo);
    assert.equal((await send(r.port, [path.join(src, 'inbox')]).result).ok, true);
    await r.waitFor((e) => e.event === 'done');
    assert.deepEqual(Object.keys(await snapshot(r.dir)).sort(), [
      'inbox',
      'inbox/.fedcba9876543210fedcba98.ferry-part',
      'inbox/my notes.ferry-part',
      'inbox/new.txt',
      'inbox/old-but-mine.txt',
    ]);
  });

  test('a declined offer writes nothing and the sender is told why', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'x.bin'), 1000);
    const r = await startReceiver({ decide: async () => ({ accept: false, message: 'not now, thanks' }) });
    const { result, events } = send(r.port, [file]);
    await assert.rejects(result, (e: unknown) => e instanceof FerryError && e.code === 'DECLINED' && /not now/.test(e.message));
    assert.ok(events.some((e) => e.event === 'declined'));
    assert.deepEqual(await snapshot(r.dir), {});
  });

  test('an offer that does not fit the free space is declined with NO_SPACE', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'x.bin'), 1000);
    const r = await startReceiver({ reserveBytes: Number.MAX_SAFE_INTEGER / 2 });
    await assert.rejects(send(r.port, [file]).result, (e: unknown) => e instanceof FerryError && e.code === 'NO_SPACE');
    assert.deepEqual(await snapshot(r.dir), {});
  });

  test('the receiver cancelling mid-transfer stops the sender, keeping the partial for a resume', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'big.bin'), 64 * 1024 * 1024);
    const r = await startReceiver();
    const proxy = new TcpProxy({ target: r.port, bytesPerSecond: 8 * 1024 * 1024 });
    const port = await proxy.listen();
    const { result } = send(port, [file]);
    await r.waitFor((e) => e.event === 'progress' && e.transferred > 1024 * 1024);
    const [session] = [...(r.receiver as unknown as { sessions: Set<{ cancel(m?: string): void }> }).sessions];
    session!.cancel('changed my mind');
    await assert.rejects(result, (e: unknown) => e instanceof FerryError && e.code === 'CANCELLED');
    await r.waitFor((e) => e.event === 'cancelled');
    const snap = await snapshot(r.dir);
    assert.equal(snap['big.bin'], undefined);
    assert.equal(partFiles(snap).length, 1);
  });

  test('the sender cancelling mid-transfer is reported on both sides', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'big.bin'), 64 * 1024 * 1024);
    const r = await startReceiver();
    const proxy = new TcpProxy({ target: r.port, bytesPerSecond: 8 * 1024 * 1024 });
    const port = await proxy.listen();
    const abort = new AbortController();
    const { result, events } = send(port, [file], { signal: abort.signal });
    await r.waitFor((e) => e.event === 'progress' && e.transferred > 1024 * 1024);
    abort.abort();
    await assert.rejects(result, (e: unknown) => e instanceof FerryError && e.code === 'CANCELLED');
    assert.ok(events.some((e) => e.event === 'cancelled' && e.by === 'local'));
    const ev = await r.waitFor((e) => e.event === 'cancelled');
    assert.ok(ev.event === 'cancelled' && ev.by === 'peer');
    assert.equal((await snapshot(r.dir))['big.bin'], undefined);
  });

  test('a connection cut mid-file is retried and resumes: only the missing bytes cross again', async () => {
    const src = await tempDir();
    const size = 40 * 1024 * 1024;
    const file = await randomFile(path.join(src, 'movie.mkv'), size);
    const r = await startReceiver();
    const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 24 * 1024 * 1024, once: true } });
    const port = await proxy.listen();
    const { result, events } = send(port, [file], { retries: 3 });
    const res = await result;
    assert.equal(res.ok, true);
    assert.ok(
      events.some((e) => e.event === 'retry'),
      'a retry happened',
    );
    const done = events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done');
    assert.ok(done.resumedFrom > 16 * 1024 * 1024, `resumed from ${done.resumedFrom}`);
    // Everything through the proxy: the first 24 MiB plus the missing rest, plus a little framing.
    assert.ok(proxy.bytesUp < 24 * 1024 * 1024 + (size - done.resumedFrom) + 256 * 1024, `${proxy.bytesUp} bytes crossed`);
    assert.equal(await md5File(path.join(r.dir, 'movie.mkv')), await md5File(file));
  });

  test('a garbled stream is detected, the connection retried, and the file still verifies', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'doc.bin'), 5 * 1024 * 1024);
    const r = await startReceiver();
    let garbled = false;
    // Overwrite the length prefix of the first data frame after the first MiB of body.
    const proxy = plaintextProxy(r, {
      upstream: (chunk, offset) => {
        const at = 1024 * 1024 + 600;
        if (!garbled && offset <= at && at < offset + chunk.length) {
          garbled = true;
          const c = Buffer.from(chunk);
          // Find the frame that follows the first 1 MiB body: its header starts right after it.
          c.fill(0xff, at - offset, Math.min(c.length, at - offset + 64));
          return c;
        }
        return chunk;
      },
    });
    const port = await proxy.listen();
    const { result, events } = send(port, [file], { retries: 3 });
    const res = await result;
    assert.equal(res.ok, true);
    assert.ok(garbled);
    assert.ok(
      events.some((e) => e.event === 'retry') || events.some((e) => e.event === 'file-failed' && e.code === 'CHECKSUM_MISMATCH'),
      'the damage was noticed',
    );
    assert.equal(await md5File(path.join(r.dir, 'doc.bin')), await md5File(file));
  });

  test('a flipped byte is caught by md5, the file re-sent once from zero and never finalized wrong', async () => {
    const src = await tempDir();
    const size = 4 * 1024 * 1024;
    const file = await randomFile(path.join(src, 'precious.bin'), size);
    const r = await startReceiver();
    const flipAt = 2 * 1024 * 1024 + 333_333; // inside the third 1 MiB body
    let flipped = 0;
    const proxy = plaintextProxy(r, {
      upstream: (chunk, offset) => {
        if (flipped === 0 && offset <= flipAt && flipAt < offset + chunk.length) {
          flipped++;
          const c = Buffer.from(chunk);
          c[flipAt - offset] = c[flipAt - offset]! ^ 0x01;
          return c;
        }
        return chunk;
      },
    });
    const port = await proxy.listen();
    const { result, events } = send(port, [file]);
    const res = await result;
    assert.equal(res.ok, true);
    assert.equal(flipped, 1);
    const failed = events.find((e) => e.event === 'file-failed');
    assert.ok(failed && failed.event === 'file-failed' && failed.code === 'CHECKSUM_MISMATCH' && failed.willRetry);
    const done = events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.resumedFrom === 0);
    assert.equal(await md5File(path.join(r.dir, 'precious.bin')), await md5File(file));
    assert.deepEqual(Object.keys(await snapshot(r.dir)), ['precious.bin']);
    assert.ok(proxy.bytesUp > 2 * size, 'the whole file crossed twice');
  });

  test('a file corrupted on every attempt fails with CHECKSUM_MISMATCH after one retry, never finalized', async () => {
    const src = await tempDir();
    await writeTree(src, { 'ok.txt': 'fine', 'bad.bin': Buffer.alloc(300_000, 0xa5) });
    const r = await startReceiver();
    const proxy = corruptingProxy(r);
    const port = await proxy.listen();
    const res = await send(port, [path.join(src, 'ok.txt'), path.join(src, 'bad.bin')]).result;
    assert.equal(res.ok, false);
    assert.deepEqual(
      res.failed.map((f) => [f.path, f.code]),
      [['bad.bin', 'CHECKSUM_MISMATCH']],
    );
    const snap = await snapshot(r.dir);
    assert.equal(snap['bad.bin'], undefined);
    assert.ok(snap['ok.txt']);
  });

  test('many small files failing verification never leave the receiver stuck paused', async () => {
    const src = await tempDir();
    const tree: Record<string, Buffer> = { 'keep/fine.txt': Buffer.from('fine') };
    for (let i = 0; i < 40; i++) tree[`keep/bad${i}.bin`] = Buffer.alloc(200_000, 0xa5);
    await writeTree(src, tree);
    const r = await startReceiver({ idleTimeoutMs: 4000 });
    const proxy = corruptingProxy(r);
    const { result, events } = send(await proxy.listen(), [path.join(src, 'keep')], { idleTimeoutMs: 4000 });
    const res = await result;
    assert.equal(res.failed.length, 40);
    assert.ok(res.failed.every((f) => f.code === 'CHECKSUM_MISMATCH'));
    assert.equal(events.filter((e) => e.event === 'retry').length, 0, 'no stall, no reconnect');
    assert.deepEqual(Object.keys(await snapshot(r.dir)).sort(), ['keep', 'keep/fine.txt']);
  });

  /**
   * A 10 MiB file whose first run is cut after 6 MiB, gently, and only once the receiver has
   * let go: what it holds is then all of the 6 MiB, not what a busy machine happened to read
   * before a reset threw the rest away.
   */
  async function partialLeftBehind(name: string, sender: string) {
    const src = await tempDir();
    const size = 10 * 1024 * 1024;
    const file = await randomFile(path.join(src, name), size);
    const r = await startReceiver();
    const me = identity(sender);
    const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 6 * 1024 * 1024, once: true, gently: true } });
    await assert.rejects(send(await proxy.listen(), [file], { identity: me, retries: 0 }).result);
    await r.waitFor((e) => e.event === 'error' && e.direction === 'receive');
    return { size, file, r, me };
  }

  test('resumes a partial left by an earlier sender run, checking the prefix', async () => {
    const { size, file, r, me } = await partialLeftBehind('disk.img', 'laptop');
    const counter = new TcpProxy({ target: r.port });
    const second = send(await counter.listen(), [file], { identity: me });
    assert.equal((await second.result).ok, true);
    const done = second.events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.resumedFrom > 4 * 1024 * 1024);
    assert.ok(counter.bytesUp < size - done.resumedFrom + 64 * 1024, `${counter.bytesUp} bytes on the wire`);
    assert.equal(await md5File(path.join(r.dir, 'disk.img')), await md5File(file));
  });

  test('a partial changed on the receiver’s disk since its connection broke is read again, not taken from memory', async () => {
    // The receiver remembers the md5 of a partial it stopped writing, so a resume need not
    // read it back; a file touched since (same size, new ctime) must not be trusted that way.
    const { file, r, me } = await partialLeftBehind('vm.img', 'workstation');
    const [part] = (await fs.readdir(r.dir)).filter((n) => n.endsWith('.ferry-part'));
    assert.ok(part, 'a partial file was kept');
    const fh = await fs.open(path.join(r.dir, part), 'r+');
    await fh.write(Buffer.from('tampered'), 0, 8, 4096);
    await fh.close();
    const second = send(r.port, [file], { identity: me });
    assert.equal((await second.result).ok, true);
    const done = second.events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.resumedFrom === 0, 'the changed prefix does not match: sent again from 0');
    assert.equal(await md5File(path.join(r.dir, 'vm.img')), await md5File(file));
  });

  test('a source that changed since the partial (same size and mtime) restarts from zero', async () => {
    const src = await tempDir();
    const size = 8 * 1024 * 1024;
    const file = await randomFile(path.join(src, 'notes.db'), size);
    const { mtime } = await fs.stat(file);
    const r = await startReceiver();
    const me = identity('desk');
    const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 5 * 1024 * 1024, once: true } });
    await assert.rejects(send(await proxy.listen(), [file], { identity: me, retries: 0 }).result);
    // Change the first bytes but keep size and mtime: only the prefix check can tell.
    const fh = await fs.open(file, 'r+');
    await fh.write(Buffer.from('CHANGED!'), 0, 8, 0);
    await fh.close();
    await fs.utimes(file, mtime, mtime);
    const second = send(r.port, [file], { identity: me });
    assert.equal((await second.result).ok, true);
    const done = second.events.find((e) => e.event === 'file-done');
    assert.ok(done && done.event === 'file-done' && done.resumedFrom === 0);
    assert.equal(await md5File(path.join(r.dir, 'notes.db')), await md5File(file));
  });

  test('a file that changes before it is sent fails alone, without stalling or reconnecting', async () => {
    const src = await tempDir();
    await writeTree(src, { 'a.txt': 'stays', 'b.txt': 'will change' });
    const source = await collectSource([path.join(src, 'a.txt'), path.join(src, 'b.txt')]);
    await fs.utimes(path.join(src, 'b.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const r = await startReceiver();
    const { result, events } = send(r.port, [], { source, idleTimeoutMs: 60_000 });
    const res = await result;
    assert.equal(res.ok, false);
    assert.deepEqual(
      res.failed.map((f) => [f.path, f.code]),
      [['b.txt', 'SOURCE_CHANGED']],
    );
    assert.equal(events.filter((e) => e.event === 'retry').length, 0);
    assert.deepEqual(Object.keys(await snapshot(r.dir)), ['a.txt']);
  });

  test('a file deleted since it was chosen fails alone, in words that do not give the receiver our local path', async () => {
    const src = await tempDir('ferry-private-place-');
    await writeTree(src, { 'album/a.txt': 'stays', 'album/b.txt': 'goes', 'album/c.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
    const source = await collectSource([path.join(src, 'album')]);
    await fs.unlink(path.join(src, 'album', 'b.txt'));
    await fs.unlink(path.join(src, 'album', 'c.bin')); // streamed, not read whole
    const r = await startReceiver();
    const { result } = send(r.port, [], { source });
    const res = await result;
    assert.deepEqual(
      res.failed.map((f) => [f.path, f.code, f.message]),
      [
        ['album/b.txt', 'IO_ERROR', 'deleted or moved since it was chosen'],
        ['album/c.bin', 'IO_ERROR', 'deleted or moved since it was chosen'],
      ],
    );
    const told = r.events.filter((e) => e.event === 'file-failed');
    assert.equal(told.length, 2);
    for (const e of told) assert.ok(e.event === 'file-failed' && !e.message.includes(src), e.event === 'file-failed' ? e.message : '');
    assert.deepEqual(Object.keys(await snapshot(r.dir)).sort(), ['album', 'album/a.txt']);
  });

  test('a file written to while it is being read fails (SOURCE_CHANGED) instead of arriving as a mix of old and new', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'busy.db'), 24 * 1024 * 1024);
    const r = await startReceiver();
    // A slow link: the sender is still reading when the file changes under it.
    const proxy = new TcpProxy({ target: r.port, bytesPerSecond: 8 * 1024 * 1024 });
    const { result } = send(await proxy.listen(), [file], { retries: 0 });
    await r.waitFor((e) => e.event === 'progress' && e.transferred > 2 * 1024 * 1024, 20_000);
    const fd = await fs.open(file, 'r+');
    await fd.write(Buffer.from('changed in place'), 0, 16, 20 * 1024 * 1024);
    await fd.close();
    const res = await result;
    assert.equal(res.ok, false);
    assert.deepEqual(
      res.failed.map((f) => [f.path, f.code]),
      [['busy.db', 'SOURCE_CHANGED']],
    );
    await r.waitFor((e) => e.event === 'done');
    // Nothing under its name, and no partial kept for a resume that would be wrong.
    assert.deepEqual(await snapshot(r.dir), {});
  });

  test('a connection lost just before the end reconnects and finishes without sending data again', async () => {
    const src = await tempDir();
    await writeTree(src, { 'one.txt': 'first file', 'two.bin': Buffer.alloc(50_000, 3) });
    const r = await startReceiver();
    let cut = false;
    const proxy = plaintextProxy(r, {
      upstream: (chunk) => {
        if (!cut && chunk.includes('{"type":"end"}')) {
          cut = true;
          return 'cut';
        }
        return chunk;
      },
    });
    const { result, events } = send(await proxy.listen(), [path.join(src, 'one.txt'), path.join(src, 'two.bin')], {
      idleTimeoutMs: 60_000,
    });
    const res = await result;
    assert.equal(res.ok, true);
    assert.ok(cut);
    assert.equal(events.filter((e) => e.event === 'retry').length, 1);
    assert.equal(events.filter((e) => e.event === 'file-done').length, 2, 'each file reported once');
    const recvDone = r.events.filter((e) => e.event === 'done');
    assert.ok(recvDone.at(-1)?.event === 'done' && recvDone.at(-1)!.ok, 'the receiver saw every file settled on the second connection');
    assert.deepEqual(await snapshot(r.dir), await snapshot(src));
  });

  test('ten senders at once into one receiver all succeed', async () => {
    await sendersAtOnce(10, (i) => ({ 'a.txt': `sender ${i}`, 'b.bin': Buffer.alloc(500_000 + i, i) }));
  });

  test('connections streaming at once share the memory for data waiting on the disk, and all finish', async () => {
    // Alone: 8 MiB; 64 MiB shared among many; never under 2 MiB (a quarter of it stays above
    // a small file held whole, so a paused connection always has writes to wake it).
    assert.equal(bufferLimit(1), 8 * 1024 * 1024);
    assert.equal(bufferLimit(16), 4 * 1024 * 1024);
    assert.equal(bufferLimit(128), 2 * 1024 * 1024);
    assert.ok(bufferLimit(128) * 128 <= 256 * 1024 * 1024);
    // 24 senders: more than the 16 connections one address may hold at once, so some retry.
    await sendersAtOnce(24, (i) => ({ 'big.bin': Buffer.alloc(3 * 1024 * 1024 + i, i), 'small.txt': `from ${i}` }));
  });

  test('big files sent at once from one process (sharing its spare read buffers) all verify first time', async () => {
    const r = await startReceiver();
    const runs = await Promise.all(
      Array.from({ length: 3 }, async (_, i) => {
        const src = await tempDir();
        const file = await randomFile(path.join(src, `big${i}.bin`), 9 * 1024 * 1024 + 1000 * i);
        return { file, run: send(r.port, [file], { identity: identity(`sender ${i}`) }) };
      }),
    );
    const results = await Promise.all(runs.map((x) => x.run.result));
    assert.ok(results.every((x) => x.ok));
    for (const [i, { file }] of runs.entries()) {
      assert.equal(await md5File(path.join(r.dir, `big${i}.bin`)), await md5File(file), `big${i}.bin`);
      // No mismatch and no re-send: every chunk left as it was read.
      assert.equal(runs[i]!.run.events.filter((e) => e.event === 'file-failed' || e.event === 'retry').length, 0);
    }
  });

  test('an unreachable receiver fails after the retries with the reason', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'x.bin'), 10);
    const r = await startReceiver();
    const port = r.port;
    await r.receiver.close();
    const { result, events } = send(port, [file], { retries: 2 });
    await assert.rejects(
      result,
      (e: unknown) => e instanceof FerryError && e.code === 'CONNECT_FAILED' && /gave up after 3 attempts/.test(e.message),
    );
    assert.equal(events.filter((e) => e.event === 'retry').length, 2);
  });

  test('an empty file already there is found, not duplicated: sent again, after a reconnect, or to a restarted receiver', async () => {
    const src = await tempDir();
    // Listed first, so the cut below lands after it was verified, in the file that follows.
    await writeTree(src, {
      'kit/0-empty.txt': '',
      'kit/big.bin': Buffer.alloc(3 * 1024 * 1024, 7),
      'kit/sub/.keep': '',
      'kit/sub/a.txt': 'a',
    });
    const r = await startReceiver();
    const me = identity('repeating sender');
    const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 1024 * 1024, once: true } });
    const first = send(await proxy.listen(), [path.join(src, 'kit')], { identity: me });
    assert.equal((await first.result).ok, true);
    assert.ok(
      first.events.some((e) => e.event === 'retry'),
      'the first connection was cut and retried',
    );
    const expected = await snapshot(src);
    assert.deepEqual(await snapshot(r.dir), expected, 'one copy of each file after the automatic retry');

    const again = send(r.port, [path.join(src, 'kit')], { identity: me });
    assert.equal((await again.result).ok, true);
    assert.deepEqual(await snapshot(r.dir), expected, 'one copy of each file after sending the folder again');
    const present = r.events.filter((e) => e.event === 'file-done' && e.alreadyPresent).map((e) => e.event === 'file-done' && e.path);
    assert.deepEqual(present.slice(-4).sort(), ['kit/0-empty.txt', 'kit/big.bin', 'kit/sub/.keep', 'kit/sub/a.txt']);

    // A new receiver process knows nothing of what it saved before: it finds the files on disk.
    await r.receiver.close();
    const restarted = await startReceiver({ dir: r.dir });
    assert.equal((await send(restarted.port, [path.join(src, 'kit')], { identity: me }).result).ok, true);
    assert.deepEqual(await snapshot(r.dir), expected, 'one copy of each file after a receiver restart');
  });

  test('a file whose folder is taken by a non-folder is refused in the answer: none of its bytes cross', async () => {
    const src = await tempDir();
    await writeTree(src, { 'blocked/big.bin': Buffer.alloc(2 * 1024 * 1024, 1), 'blocked/b.txt': 'b', 'ok.txt': 'fine' });
    const r = await startReceiver();
    await writeTree(r.dir, { blocked: 'a file where the sender has a folder' });
    const counter = new TcpProxy({ target: r.port });
    const { result, events } = send(await counter.listen(), [path.join(src, 'blocked'), path.join(src, 'ok.txt')]);
    const res = await result;
    assert.equal(res.ok, false);
    assert.deepEqual(res.failed.map((f) => [f.path, f.code]).sort(), [
      ['blocked/b.txt', 'PATH_UNSAFE'],
      ['blocked/big.bin', 'PATH_UNSAFE'],
    ]);
    assert.equal(res.wireBytes, 4, 'only ok.txt was sent');
    assert.ok(counter.bytesUp < 64 * 1024, `${counter.bytesUp} bytes crossed`);
    assert.equal(events.filter((e) => e.event === 'retry').length, 0);
    assert.deepEqual(Object.keys(await snapshot(r.dir)).sort(), ['blocked', 'ok.txt']);
    assert.equal(await fs.readFile(path.join(r.dir, 'blocked'), 'utf8'), 'a file where the sender has a folder');
    const refused = r.events.filter((e) => e.event === 'file-failed');
    assert.deepEqual(refused.map((e) => e.event === 'file-failed' && [e.path, e.code]).sort(), [
      ['blocked/b.txt', 'PATH_UNSAFE'],
      ['blocked/big.bin', 'PATH_UNSAFE'],
    ]);
  });

  test("on a slow link the sender's progress is what the receiver holds, not what its socket took", async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'slow.bin'), 8 * 1024 * 1024);
    const log: Array<{ at: number; side: 'send' | 'receive'; transferred: number }> = [];
    const r = await startReceiver({
      onEvent: (e) => {
        if (e.event === 'progress') log.push({ at: performance.now(), side: 'receive', transferred: e.transferred });
      },
    });
    const proxy = new TcpProxy({ target: r.port, bytesPerSecond: 3 * 1024 * 1024 });
    const { result } = send(await proxy.listen(), [file], {
      onEvent: (e) => {
        if (e.event === 'progress') log.push({ at: performance.now(), side: 'send', transferred: e.transferred });
      },
    });
    assert.equal((await result).ok, true);
    let receiverHas = 0;
    let lastSend = -1;
    const sendTimes: number[] = [];
    for (const x of log) {
      if (x.side === 'receive') receiverHas = Math.max(receiverHas, x.transferred);
      else {
        // The receiver reports every 250 ms; between two of its reports it may take 1 MiB more.
        assert.ok(x.transferred <= receiverHas + 1024 * 1024, `sender at ${x.transferred}, receiver at ${receiverHas}`);
        assert.ok(x.transferred >= lastSend, 'progress never goes back');
        lastSend = x.transferred;
        sendTimes.push(x.at);
      }
    }
    const gaps = sendTimes.slice(1).map((t, i) => t - sendTimes[i]!);
    assert.ok(sendTimes.length >= 6, `${sendTimes.length} progress events`);
    assert.ok(Math.max(...gaps) < 1000, `the sender went quiet for ${Math.round(Math.max(...gaps))} ms`);
  });

  test('a TLS record corrupted on the wire ends the connection on both sides; the sender reconnects and resumes', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'x.bin'), 6 * 1024 * 1024);
    const r = await startReceiver();
    let flipped = false;
    // The proxy sees TLS records, not frames: one flipped bit fails the record's integrity check.
    const proxy = new TcpProxy({
      target: r.port,
      upstream: (chunk, offset) => {
        const at = 2 * 1024 * 1024;
        if (flipped || offset + chunk.length <= at) return chunk;
        flipped = true;
        const c = Buffer.from(chunk);
        const i = Math.max(0, at - offset);
        c[i] = c[i]! ^ 0x10;
        return c;
      },
    });
    const { result, events } = send(await proxy.listen(), [file]);
    assert.equal((await result).ok, true);
    assert.ok(flipped);
    const retry = events.find((e) => e.event === 'retry');
    assert.ok(retry?.event === 'retry' && retry.code === 'TLS_ERROR', JSON.stringify(retry));
    assert.equal(retry.message, 'the connection was corrupted or tampered with in transit');
    assert.equal(await md5File(path.join(r.dir, 'x.bin')), await md5File(file));
    await waitUntil('the receiver let go of both connections', () => r.receiver.openConnections === 0);
  });

  test('an offer of 100,000 entries fits the protocol (split across frames)', async () => {
    let seen = 0;
    const r = await startReceiver({
      decide: async (o) => {
        seen = o.entries.length;
        return { accept: false, message: 'just counting' };
      },
    });
    const c = await RawClient.connect(r.port);
    await c.handshake();
    const n = 100_000;
    c.send({ type: 'offer', transferId: 'big-offer', entryCount: n, totalBytes: n * 10 });
    for (let i = 0; i < n; i += 256) {
      const entries = [];
      for (let j = i; j < Math.min(n, i + 256); j++)
        entries.push({ path: `folder/sub${j % 100}/a long-ish file name number ${j}.jpeg`, size: 10, mtime: 1_700_000_000_000 });
      c.send({ type: 'files', entries });
    }
    const answer = await c.next('answer', 60_000);
    assert.equal(answer?.accept, false);
    assert.equal(seen, n);
    c.close();
  });
});
