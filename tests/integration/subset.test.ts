// Choosing what to receive (PROTOCOL.md §5.4.1, §8.1): the person at the receiver takes part of
// an offer and perhaps another folder for it. Real sockets, real files: what is left out never
// touches the disk and is skipped, not failed, on both sides; the rest lands where it was sent.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { describe, test } from 'node:test';
import type { TransferEvent } from '../../main/core/model/events.js';
import type { Decision, IncomingOffer } from '../../main/core/model/transport.js';
import { encodeFrame, FrameDecoder } from '../../main/core/protocol/frame.js';
import { validateMessage } from '../../main/core/protocol/messages.js';
import { serverTlsOptions } from '../../main/core/security/tls.js';
import { sendFiles, type SendOptions } from '../../main/core/transfer/sender.js';
import {
  helloOf,
  identity,
  isEvent,
  listenForTest,
  md5File,
  RAW_CLIENT,
  RawClient,
  snapshot,
  startReceiver,
  TcpProxy,
  tempDir,
  waitUntil,
  writeTree,
  type EventOf,
} from '../helpers.js';

const SENDER = identity('subset sender');
const MiB = 1024 * 1024;

function send(port: number, paths: string[], extra: Partial<SendOptions> = {}) {
  const events: TransferEvent[] = [];
  const result = sendFiles({
    host: '127.0.0.1',
    port,
    paths,
    identity: SENDER,
    backoffMs: 50,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, events };
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const only = <K extends TransferEvent['event']>(events: TransferEvent[], k: K): Array<EventOf<K>> => events.filter(isEvent(k));
const declinedPaths = (events: TransferEvent[]): string[] =>
  only(events, 'file-failed')
    .filter((e) => e.code === 'DECLINED')
    .map((e) => e.path)
    .sort();

/** The offer of these tests: files taken, files left out (big, so that any of their bytes would show), folders. */
const TREE = {
  'top.txt': 'taken at the top',
  'skip.bin': Buffer.alloc(1 * MiB, 1),
  'album/a.jpg': Buffer.alloc(300_000, 2),
  'album/sub/b.txt': 'b',
  'album/empty': null,
  'album/sub/empty2': null,
  'docs/keep.md': '# kept',
  'docs/drop/x.bin': Buffer.alloc(2 * MiB, 3),
  'docs/drop/deeper/y.txt': 'y',
  'docs/unwanted-empty': null,
  'gone/big.bin': Buffer.alloc(2 * MiB, 4),
  'gone/empty': null,
} as const;
const TAKEN = ['top.txt', 'album/a.jpg', 'album/sub/b.txt', 'docs/keep.md'];
const LEFT_OUT = ['docs/drop/deeper/y.txt', 'docs/drop/x.bin', 'gone/big.bin', 'skip.bin'];
const TAKEN_BYTES = 16 + 300_000 + 1 + 6;
/** What lands: the files taken, their folders, and the empty folders inside the folder taken whole. */
const LANDED = [
  'album',
  'album/a.jpg',
  'album/empty',
  'album/sub',
  'album/sub/b.txt',
  'album/sub/empty2',
  'docs',
  'docs/keep.md',
  'top.txt',
];

function contentOf(f: string): Buffer {
  const v = TREE[f as keyof typeof TREE] as string | Buffer;
  return typeof v === 'string' ? Buffer.from(v) : v;
}

async function source(): Promise<{ src: string; paths: string[] }> {
  const src = await tempDir('ferry-subset-src-');
  await writeTree(src, TREE);
  return { src, paths: ['top.txt', 'skip.bin', 'album', 'docs', 'gone'].map((p) => path.join(src, p)) };
}

describe('taking part of an offer', () => {
  // The set as hosts expand a ticked folder (every file under it), and as the folder itself.
  for (const [how, files] of [
    ['files only, as the app expands ticked folders', TAKEN],
    ['with a ticked folder standing for its subtree', ['top.txt', 'album', 'docs/keep.md']],
  ] as const) {
    test(`what is left out never touches the disk and is skipped, not failed, on both sides (${how})`, async () => {
      const { paths } = await source();
      const r = await startReceiver({ decide: async () => ({ accept: true, files: new Set(files) }) });
      const counter = new TcpProxy({ target: r.port });
      const { result, events } = send(await counter.listen(), paths);
      const res = await result;

      assert.deepEqual(res.failed, []);
      assert.equal(res.ok, true);
      assert.equal(res.files, TAKEN.length);
      assert.equal(res.bytes, TAKEN_BYTES);
      assert.equal(res.wireBytes, TAKEN_BYTES, 'only the files taken were sent');
      assert.ok(counter.bytesUp < 512 * 1024, `${counter.bytesUp} bytes crossed: some of a file left out did`);
      assert.deepEqual(Object.keys(await snapshot(r.dir)).sort(), LANDED);
      for (const f of TAKEN) assert.equal(await md5File(path.join(r.dir, f)), md5(contentOf(f)));

      // The sender: each file left out is skipped for good, the rest is all there.
      assert.deepEqual(declinedPaths(events), LEFT_OUT);
      assert.ok(
        only(events, 'file-failed').every((e) => e.code === 'DECLINED' && !e.willRetry && e.message === 'not wanted by the receiver'),
      );
      assert.deepEqual(
        only(events, 'file-done')
          .map((e) => e.path)
          .sort(),
        [...TAKEN].sort(),
      );
      const accepted = only(events, 'accepted')[0]!;
      assert.equal(accepted.bytesToSend, TAKEN_BYTES);
      const sent = only(events, 'done')[0]!;
      assert.deepEqual([sent.ok, sent.files, sent.failed, sent.bytes], [true, TAKEN.length, 0, TAKEN_BYTES]);
      const lastSent = only(events, 'progress').at(-1)!;
      assert.deepEqual([lastSent.transferred, lastSent.total, lastSent.filesDone, lastSent.fileCount], [TAKEN_BYTES, TAKEN_BYTES, 4, 4]);
      assert.equal(events.filter((e) => e.event === 'retry').length, 0);

      // The receiver: the same story.
      const got = (await r.waitFor(isEvent('done'))) as EventOf<'done'>;
      assert.deepEqual([got.ok, got.files, got.failed, got.bytes], [true, TAKEN.length, 0, TAKEN_BYTES]);
      assert.deepEqual(declinedPaths(r.events), LEFT_OUT);
      assert.equal(only(r.events, 'file-failed').length, LEFT_OUT.length);
      assert.equal(only(r.events, 'accepted')[0]!.bytesToSend, TAKEN_BYTES);
      const lastGot = only(r.events, 'progress').at(-1)!;
      assert.deepEqual([lastGot.transferred, lastGot.total, lastGot.filesDone, lastGot.fileCount], [TAKEN_BYTES, TAKEN_BYTES, 4, 4]);
      // The offer the person saw was the whole of it.
      assert.equal(r.offers[0]!.fileCount, TAKEN.length + LEFT_OUT.length);
    });
  }

  test('another folder: the files land there and the download folder stays untouched', async () => {
    const { paths } = await source();
    const chosen = await tempDir('ferry-chosen-');
    const r = await startReceiver({ decide: async () => ({ accept: true, folder: chosen, files: new Set(TAKEN) }) });
    const res = await send(r.port, paths).result;
    assert.equal(res.ok, true);
    assert.deepEqual(await snapshot(r.dir), {});
    assert.deepEqual(Object.keys(await snapshot(chosen)).sort(), LANDED);
    const saved = only(r.events, 'file-done')
      .map((e) => e.savedAs)
      .sort();
    assert.deepEqual(saved, [...TAKEN].sort(), 'savedAs stays relative to the folder the transfer landed in');
  });

  test('a folder that is gone by the time of the answer fails the transfer without writing anything', async () => {
    const { paths } = await source();
    const gone = path.join(await tempDir('ferry-gone-'), 'not-there');
    const r = await startReceiver({ decide: async () => ({ accept: true, folder: gone }) });
    await assert.rejects(send(r.port, paths, { retries: 0 }).result, (e: Error & { code?: string }) => e.code === 'IO_ERROR');
    const err = (await r.waitFor(isEvent('error'))) as EventOf<'error'>;
    assert.equal(err.code, 'IO_ERROR');
    assert.deepEqual(await snapshot(r.dir), {});
  });

  test('a retry into the same chosen folder resumes there; into another it starts over there', async () => {
    const src = await tempDir('ferry-subset-src-');
    const size = 40 * MiB;
    const body = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) body[i] = (i / 4096) & 0xff;
    await fs.writeFile(path.join(src, 'movie.mkv'), body);
    for (const sameFolder of [true, false]) {
      const folders = [await tempDir('ferry-chosen-'), await tempDir('ferry-chosen-')];
      let asked = 0;
      const r = await startReceiver({
        decide: async () => ({ accept: true, folder: folders[sameFolder ? 0 : asked++ % 2]! }),
      });
      const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 24 * MiB, once: true } });
      const { result, events } = send(await proxy.listen(), [path.join(src, 'movie.mkv')], { retries: 3 });
      const res = await result;
      assert.equal(res.ok, true);
      assert.ok(events.some((e) => e.event === 'retry'));
      assert.equal(r.offers.length, 2, 'the retry was decided again');
      const done = only(events, 'file-done')[0]!;
      const last = folders[sameFolder ? 0 : 1]!;
      assert.equal(await md5File(path.join(last, 'movie.mkv')), md5(body));
      assert.deepEqual(await snapshot(r.dir), {});
      if (sameFolder) {
        assert.ok(done.resumedFrom > 16 * MiB, `resumed from ${done.resumedFrom}`);
        assert.deepEqual(Object.keys(await snapshot(folders[1]!)), []);
      } else {
        assert.equal(done.resumedFrom, 0, 'nothing of it is in the second folder');
        // The first folder keeps the partial of the cut attempt (for a later resume there).
        const first = Object.keys(await snapshot(folders[0]!));
        assert.ok(first.length === 1 && first[0]!.endsWith('.ferry-part'), JSON.stringify(first));
      }
    }
  });

  test('each connection is decided afresh: a file left out first and taken on the retry arrives', async () => {
    const src = await tempDir('ferry-subset-src-');
    await writeTree(src, { 'big.bin': Buffer.alloc(30 * MiB, 5), 'later.txt': 'taken the second time' });
    let asked = 0;
    const r = await startReceiver({
      decide: async (): Promise<Decision> => (asked++ === 0 ? { accept: true, files: new Set(['big.bin']) } : { accept: true }),
    });
    const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 10 * MiB, once: true } });
    const { result, events } = send(
      await proxy.listen(),
      ['big.bin', 'later.txt'].map((p) => path.join(src, p)),
      { retries: 3 },
    );
    const res = await result;
    assert.equal(res.ok, true);
    assert.equal(res.files, 2);
    assert.equal(await fs.readFile(path.join(r.dir, 'later.txt'), 'utf8'), 'taken the second time');
    assert.deepEqual(declinedPaths(events), ['later.txt']);
    assert.ok(only(events, 'file-done').some((e) => e.path === 'later.txt'));
    const sent = only(events, 'done')[0]!;
    assert.deepEqual([sent.ok, sent.files, sent.failed, sent.bytes], [true, 2, 0, 30 * MiB + 21]);
  });
});

describe('older and newer raw senders', () => {
  const keep = Buffer.from('keep!');
  const drop = Buffer.alloc(300_000, 7);
  const entries = [
    { path: 'keep.txt', size: keep.length, mtime: 0 },
    { path: 'drop/drop.bin', size: drop.length, mtime: 0 },
    { path: 'drop/empty.txt', size: 0, mtime: 0 },
    { path: 'drop/vanished.txt', size: 3, mtime: 0 },
  ];
  const decide = async (o: IncomingOffer): Promise<Decision> => {
    assert.equal(o.fileCount, 4);
    return { accept: true, files: new Set(['keep.txt']) };
  };

  async function offered(c: RawClient, protocol: string): Promise<Record<string, unknown>> {
    c.send(helloOf(RAW_CLIENT, { protocol }));
    assert.ok(await c.next('hello'));
    c.send({
      type: 'offer',
      transferId: `t-${protocol.replace('.', '_')}`,
      entryCount: entries.length,
      totalBytes: keep.length + drop.length + 3,
    });
    c.send({ type: 'files', entries });
    const answer = await c.next('answer');
    assert.ok(answer?.accept === true, JSON.stringify(answer));
    return answer;
  }

  function sendFile(c: RawClient, file: number, body: Buffer): void {
    if (body.length > 0) c.sendRaw(Buffer.concat([encodeFrame({ type: 'data', file, offset: 0, length: body.length }), body]));
    c.send({ type: 'file-end', file, md5: md5(body) });
  }

  test('a 1.0 sender cannot be told in advance: it streams every file, those left out are dropped and refused after their end', async () => {
    const r = await startReceiver({ decide });
    const c = await RawClient.connect(r.port);
    try {
      const answer = await offered(c, '1.0');
      assert.equal('refusedCount' in answer, false, 'no refusals to a 1.0 sender');
      sendFile(c, 1, drop);
      const late = await c.next('verdict');
      assert.deepEqual([late?.file, late?.ok, late?.code, late?.message], [1, false, 'DECLINED', 'not wanted by the receiver']);
      assert.doesNotThrow(() => validateMessage(late!));
      sendFile(c, 0, keep);
      assert.deepEqual([(await c.next('verdict'))?.ok], [true]);
      sendFile(c, 2, Buffer.alloc(0));
      const empty = await c.next('verdict');
      assert.deepEqual([empty?.file, empty?.ok, empty?.code], [2, false, 'DECLINED']);
      // A file-error is answered with its own code, as always (§5.8).
      c.send({ type: 'file-error', file: 3, code: 'IO_ERROR', message: 'gone' });
      const answered = await c.next('verdict');
      assert.deepEqual([answered?.file, answered?.ok, answered?.code], [3, false, 'IO_ERROR']);
      c.send({ type: 'end' });
      assert.ok(await c.next('end'), JSON.stringify(c.messages));
    } finally {
      c.close();
    }
    const done = (await r.waitFor(isEvent('done'))) as EventOf<'done'>;
    assert.deepEqual([done.ok, done.files, done.failed, done.bytes], [true, 1, 0, keep.length]);
    assert.deepEqual(declinedPaths(r.events), ['drop/drop.bin', 'drop/empty.txt', 'drop/vanished.txt']);
    assert.equal(only(r.events, 'file-failed').length, 3, 'the late refusals and the file-error are not reported again');
    await waitUntil('the session closed', () => r.receiver.activeSessions === 0);
    assert.deepEqual(await snapshot(r.dir), { 'keep.txt': md5(keep) }, 'nothing of what was left out was written, not even its folder');
  });

  test('a 1.1 sender is refused the files left out right after the answer, and may send nothing for them', async () => {
    const r = await startReceiver({ decide });
    const c = await RawClient.connect(r.port);
    try {
      const answer = await offered(c, '1.1');
      assert.equal(answer.refusedCount, 3);
      const refusals = [await c.next('verdict'), await c.next('verdict'), await c.next('verdict')];
      assert.deepEqual(
        refusals.map((v) => [v?.file, v?.ok, v?.code, v?.message]),
        [1, 2, 3].map((i) => [i, false, 'DECLINED', 'not wanted by the receiver']),
      );
      sendFile(c, 0, keep);
      assert.equal((await c.next('verdict'))?.ok, true);
      sendFile(c, 1, drop);
      const err = await c.next('error');
      assert.equal(err?.code, 'UNEXPECTED_MESSAGE', JSON.stringify(err));
    } finally {
      c.close();
    }
    await waitUntil('the session closed', () => r.receiver.activeSessions === 0);
    assert.deepEqual(await snapshot(r.dir), { 'keep.txt': md5(keep) });
  });
});

describe('a 1.0 receiver that leaves a file out', () => {
  test("says so in that file's verdict: the sender counts it nowhere, and its progress ends at what was taken", async () => {
    // 1.0 has no refusals in the answer (§5.4.1): the left-out file is streamed and declined
    // after its end, as the Ferry receivers before 1.1 did.
    const me = identity('receiver 1.0');
    let names: string[] = [];
    const server = tls.createServer(serverTlsOptions(me.tls, 5000), (s) => {
      s.on('error', () => {});
      const reply = (m: object): boolean => s.write(encodeFrame(m));
      const decoder = new FrameDecoder({
        header: (raw) => {
          const m = validateMessage(raw);
          if (m.type === 'hello') reply(helloOf(me, { protocol: '1.0' }));
          else if (m.type === 'offer') reply({ type: 'answer', transferId: m.transferId, accept: true, resumeCount: 0 });
          else if (m.type === 'files') names = names.concat(m.entries.map((e) => e.path));
          else if (m.type === 'file-end') {
            const declined = names[m.file] === 'left-out.bin';
            reply(
              declined
                ? { type: 'verdict', file: m.file, ok: false, code: 'DECLINED', message: 'not wanted' }
                : { type: 'verdict', file: m.file, ok: true },
            );
          } else if (m.type === 'end') {
            reply({ type: 'end' });
            s.end();
          }
          return m.type === 'data' ? m.length : 0;
        },
        body: () => {},
        bodyEnd: () => {},
      });
      s.on('data', (c: Buffer) => decoder.push(c));
    });
    const port = await listenForTest(server);
    const dir = await tempDir();
    await writeTree(dir, { 'kept.bin': Buffer.alloc(200_000, 1), 'left-out.bin': Buffer.alloc(300_000, 2) });
    const { result, events } = send(port, [path.join(dir, 'kept.bin'), path.join(dir, 'left-out.bin')], { retries: 0 });
    await result;
    assert.deepEqual(declinedPaths(events), ['left-out.bin']);
    const last = only(events, 'progress').at(-1)!;
    assert.deepEqual([last.transferred, last.total, last.filesDone, last.fileCount], [200_000, 200_000, 1, 1]);
    server.close();
  });
});
