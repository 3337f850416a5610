// Ferry's LocalSend sender (main/core/localsend/sender.ts) against the tests' own LocalSend peer
// (tests/fixtures/localsend-peer.ts) as the receiver, behaving as LocalSend 1.18 and as 1.17, on
// real HTTPS and real files on loopback: what arrives, what the offer says, the events the app
// and the CLI read, every answer a receiver can give, cancels from either side, pinning, and
// that nothing is left open once a send has settled.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { FerryError } from '../../main/core/errors.ts';
import { FIRST_CONTACT, type ExpectedServer } from '../../main/core/localsend/https-client.ts';
import { cancelledByReceiver, sendToLocalSend, type LocalSendSendRequest } from '../../main/core/localsend/sender.ts';
import { startLocalSendServer } from '../../main/core/localsend/server.ts';
import type { TransferEvent } from '../../main/core/model/events.ts';
import type { SendResult, Source } from '../../main/core/model/transport.ts';
import type { TrustView } from '../../main/core/store/trust-store.ts';
import { collectSource } from '../../main/core/transfer/source.ts';
import { API, LocalSendPeer, type LocalSendPeerOptions } from '../fixtures/localsend-peer.ts';
import { EventLog, freeTcpPort, identity, md5File, onCleanup, randomFile, sleep, tempDir, waitUntil, writeTree } from '../helpers.ts';

const ME = identity('Ferry laptop');
const NO_TRUST: TrustView = { isTrusted: () => false, changedIdentity: () => null };
const VERSIONS = ['1.18', '1.17'] as const;
/** A modified time in the past, so that "kept" cannot be "just written". */
const MTIME = new Date('2021-03-04T05:06:07.891Z');

interface Running {
  log: EventLog;
  abort(): void;
  done: Promise<{ result: SendResult | null; error: FerryError | null }>;
}

let sends = 0;

function start(
  to: { host: string; port: number; fingerprint: ExpectedServer },
  source: Source,
  o: Partial<LocalSendSendRequest> = {},
): Running {
  const log = new EventLog();
  const ac = new AbortController();
  const done = sendToLocalSend({
    ...to,
    source,
    transferId: `send-${++sends}`,
    identity: ME,
    ownPort: null,
    trust: NO_TRUST,
    signal: ac.signal,
    onEvent: (e) => log.push(e),
    ...o,
  }).then(
    (result) => ({ result, error: null }),
    (error: FerryError) => ({ result: null, error }),
  );
  return { log, abort: () => ac.abort(), done };
}

async function send(p: LocalSendPeer, source: Source, o: Partial<LocalSendSendRequest> = {}) {
  const run = start(targetOf(p), source, o);
  const { result, error } = await run.done;
  return { result, error, events: run.log.events, log: run.log };
}

const targetOf = (p: LocalSendPeer) => ({ host: p.host, port: p.port, fingerprint: p.fingerprint });
const peer = (o: LocalSendPeerOptions = {}) => LocalSendPeer.start({ alias: 'Phone', ...o });
const names = (events: TransferEvent[]) => events.filter((e) => e.event !== 'progress').map((e) => e.event);
const uploads = (p: LocalSendPeer) => p.requests.filter((r) => r.path === `${API}/upload`);
/** Uploads the peer is receiving right now. */
const receiving = (p: LocalSendPeer) => Object.values(p.session?.files ?? {}).filter((f) => f.status === 'in-progress').length;
const ofKind = <K extends TransferEvent['event']>(events: TransferEvent[], k: K) =>
  events.filter((e): e is Extract<TransferEvent, { event: K }> => e.event === k);

async function sha256File(p: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(p))
    .digest('hex');
}

/** Files of these sizes (random bytes), with MTIME as their modified time; returns their paths. */
async function files(...sizes: number[]): Promise<string[]> {
  const dir = await tempDir('ls-send-src-');
  const out: string[] = [];
  for (const [i, n] of sizes.entries()) {
    const p = await randomFile(path.join(dir, `file-${i}.bin`), n);
    await fs.utimes(p, MTIME, MTIME);
    out.push(p);
  }
  return out;
}

/** Every file under dir (relative paths), partial files included. */
async function listFiles(dir: string): Promise<string[]> {
  const out = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return out.filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe('LocalSend sender: what arrives', () => {
  for (const version of VERSIONS) {
    test(`${version}: every file arrives byte-identical with its modified time; the offer carries sha256, MIME type and our info`, async () => {
      const p = await peer({ version });
      const dir = await tempDir('ls-send-src-');
      await writeTree(dir, { 'notes.txt': 'hello from Ferry\n', 'empty.dat': '' });
      const [big] = await files(1_500_000);
      for (const f of ['notes.txt', 'empty.dat']) await fs.utimes(path.join(dir, f), MTIME, MTIME);
      const locals = [path.join(dir, 'notes.txt'), big!, path.join(dir, 'empty.dat')];
      const source = await collectSource(locals);
      const { result, error, events } = await send(p, source);
      assert.equal(error, null);
      assert.equal(result!.ok, true);
      assert.equal(result!.files, 3);
      assert.equal(result!.bytes, source.totalBytes);
      assert.deepEqual(result!.failed, []);

      // On the receiver: the same bytes, the same modified time.
      for (const local of locals) {
        const got = path.join(p.dir, path.basename(local));
        assert.equal(await md5File(got), await md5File(local), local);
        assert.equal(Math.trunc((await fs.stat(got)).mtimeMs), MTIME.getTime());
      }
      // The offer: sha256 of each file (lower-case hex), MIME type, size, modified time, and our info.
      const offer = p.offers[0]!;
      for (const local of locals) {
        const f = offer.files.find((x) => x.fileName === path.basename(local))!;
        assert.equal(f.sha256, await sha256File(local));
        assert.equal(f.size, (await fs.stat(local)).size);
        assert.equal(f.metadata?.modified, MTIME.toISOString());
      }
      assert.equal(offer.files.find((f) => f.fileName === 'notes.txt')!.fileType, 'text/plain');
      assert.equal(offer.files.find((f) => f.fileName === 'file-0.bin')!.fileType, 'application/octet-stream');
      assert.equal(new Set(offer.files.map((f) => f.id)).size, 3);
      assert.deepEqual(offer.info, {
        alias: ME.deviceName,
        version: '2.1',
        deviceModel: 'Ferry',
        deviceType: 'desktop',
        fingerprint: ME.deviceId,
        download: false,
        port: 53317,
        protocol: 'https',
      });
      // Mutual TLS: a 1.18 receiver saw our certificate on every request (1.17 asks for none).
      const certs = new Set(p.requests.map((r) => r.clientFingerprint));
      assert.deepEqual([...certs], [version === '1.18' ? ME.deviceId.toUpperCase() : null]);
      assert.ok(uploads(p).every((u) => u.chunked && u.status === 200));

      // The events of Ferry's own sender, in its order.
      assert.deepEqual(names(events), ['connecting', 'connected', 'offer', 'accepted', 'file-done', 'file-done', 'file-done', 'done']);
      const connected = ofKind(events, 'connected')[0]!;
      assert.equal(connected.peer.deviceId, p.credentials.fingerprint.toLowerCase());
      assert.equal(connected.peer.deviceName, 'Phone');
      assert.equal(connected.peer.platform, 'Test');
      assert.equal(connected.peer.appVersion, `LocalSend protocol ${version === '1.18' ? '2.2' : '2.1'}`);
      assert.match(connected.peer.verificationCode, /^\d{3} \d{3}$/);
      assert.deepEqual(ofKind(events, 'accepted')[0], {
        event: 'accepted',
        direction: 'send',
        transferId: connected.transferId,
        resumedBytes: 0,
        bytesToSend: source.totalBytes,
      });
      for (const d of ofKind(events, 'file-done')) {
        const local = locals.find((l) => path.basename(l) === d.path)!;
        assert.equal(d.md5, await md5File(local));
        assert.equal(d.verified, true);
        assert.equal(d.resumedFrom, 0);
      }
      const last = ofKind(events, 'progress').at(-1)!;
      assert.equal(last.transferred, source.totalBytes);
      assert.equal(last.filesDone, 3);
      assert.equal(last.fileCount, 3);
      const done = ofKind(events, 'done')[0]!;
      assert.equal(done.ok, true);
      assert.equal(done.files, 3);
      assert.equal(done.bytes, source.totalBytes);
    });

    test(`${version}: a folder tree goes as files named by their paths; its empty folder is left out, not failed`, async () => {
      const p = await peer({ version });
      const root = await tempDir('ls-send-tree-');
      await writeTree(root, { 'Album/2024/beach.jpg': 'jpeg bytes', 'Album/notes.md': '# notes', 'Album/empty': null });
      const { result, events } = await send(p, await collectSource([path.join(root, 'Album')]));
      assert.equal(result!.ok, true);
      assert.equal(result!.files, 2);
      assert.deepEqual(p.offers[0]!.files.map((f) => `${f.fileName} ${f.fileType}`).sort(), [
        'Album/2024/beach.jpg image/jpeg',
        'Album/notes.md text/markdown',
      ]);
      assert.deepEqual((await listFiles(p.dir)).sort(), [path.join('Album', '2024', 'beach.jpg'), path.join('Album', 'notes.md')]);
      assert.equal(await fs.readFile(path.join(p.dir, 'Album', '2024', 'beach.jpg'), 'utf8'), 'jpeg bytes');
      assert.equal(ofKind(events, 'file-failed').length, 0);
      assert.equal(ofKind(events, 'offer')[0]!.dirCount, 3);
    });
  }

  test('a symbolic link to a file goes as that file, hashed and uploaded through the link', async () => {
    const p = await peer({ version: '1.18' });
    const root = await tempDir('ls-send-link-');
    const outside = await tempDir('ls-send-target-');
    await writeTree(root, { 'Album/real.txt': 'real' });
    await fs.writeFile(path.join(outside, 'target.txt'), 'through the link');
    await fs.symlink(path.join(outside, 'target.txt'), path.join(root, 'Album', 'link.txt'));
    const { result, events } = await send(p, await collectSource([path.join(root, 'Album')]));
    assert.equal(ofKind(events, 'file-failed').length, 0, JSON.stringify(ofKind(events, 'file-failed')));
    assert.equal(result!.ok, true);
    assert.equal(await fs.readFile(path.join(p.dir, 'Album', 'link.txt'), 'utf8'), 'through the link');
    assert.ok((await fs.lstat(path.join(p.dir, 'Album', 'link.txt'))).isFile());
  });

  test('a subset accepted: only those files go, the others are neither sent nor failed; none accepted (204) is done', async () => {
    const p = await peer();
    const locals = await files(1000, 2000, 3000);
    p.policy = (o) => ({ accept: o.files.filter((f) => f.size === 2000).map((f) => f.id) });
    const { result, events } = await send(p, await collectSource(locals));
    assert.equal(result!.ok, true);
    assert.equal(result!.files, 1);
    assert.equal(result!.bytes, 2000);
    assert.deepEqual(await listFiles(p.dir), ['file-1.bin']);
    assert.equal(ofKind(events, 'accepted')[0]!.bytesToSend, 2000);
    assert.equal(ofKind(events, 'file-failed').length, 0);
    assert.deepEqual(
      ofKind(events, 'file-done').map((e) => e.path),
      ['file-1.bin'],
    );
    assert.equal(uploads(p).length, 1);

    const q = await peer();
    q.policy = { accept: [] };
    const none = await send(q, await collectSource(locals));
    assert.equal(none.result!.ok, true);
    assert.equal(none.result!.files, 0);
    assert.equal(uploads(q).length, 0);
    assert.deepEqual(names(none.events), ['connecting', 'connected', 'offer', 'done']);
  });

  test('a file changed since it was chosen is failed (SOURCE_CHANGED) and left out; the others go', async () => {
    const p = await peer();
    const locals = await files(1000, 2000);
    const source = await collectSource(locals);
    await fs.appendFile(locals[0]!, 'more');
    const { result, events } = await send(p, source);
    assert.equal(result!.ok, false);
    assert.equal(result!.files, 1);
    assert.deepEqual(
      result!.failed.map((f) => [f.path, f.code]),
      [['file-0.bin', 'SOURCE_CHANGED']],
    );
    assert.deepEqual(
      p.offers[0]!.files.map((f) => f.fileName),
      ['file-1.bin'],
    );
    assert.equal(ofKind(events, 'file-failed')[0]!.willRetry, false);
    assert.equal(ofKind(events, 'done')[0]!.failed, 1);
  });

  test('a file deleted since it was chosen fails (IO_ERROR) in words, without our local path; the others go', async () => {
    const p = await peer();
    const locals = await files(1000, 2000);
    const source = await collectSource(locals);
    await fs.unlink(locals[1]!);
    const { result } = await send(p, source);
    assert.equal(result!.files, 1);
    assert.deepEqual(
      result!.failed.map((f) => [f.path, f.code, f.message]),
      [['file-1.bin', 'IO_ERROR', 'deleted or moved since it was chosen']],
    );
  });
});

describe('LocalSend sender: answers to the offer', () => {
  for (const version of VERSIONS) {
    test(`${version}: declined (403) is DECLINED, busy (409) is BUSY, shown as declined; nothing is uploaded`, async () => {
      for (const [policy, code, says] of [
        ['decline', 'DECLINED', /"Phone" declined the files/],
        ['busy', 'BUSY', /"Phone" is busy with another transfer/],
      ] as const) {
        const p = await peer({ version });
        p.policy = policy;
        const { error, events } = await send(p, await collectSource(await files(10)));
        assert.equal(error?.code, code);
        const declined = ofKind(events, 'declined')[0]!;
        assert.equal(declined.code, code);
        assert.match(declined.message, says);
        assert.deepEqual(names(events), ['connecting', 'connected', 'offer', 'declined']);
        assert.equal(uploads(p).length, 0);
      }
    });
  }

  test('PIN: none → AUTH_REQUIRED; asked for and given; wrong then right; given up; a wrong --pin → AUTH_FAILED', async () => {
    const source = await collectSource(await files(100));
    const prepares = (p: LocalSendPeer) => p.requests.filter((r) => r.path === `${API}/prepare-upload`);
    const withPin = async () => {
      const p = await peer();
      p.pin = '4711';
      return p;
    };

    let p = await withPin();
    let r = await send(p, source);
    assert.equal(r.error?.code, 'AUTH_REQUIRED');
    assert.equal(ofKind(r.events, 'error')[0]!.code, 'AUTH_REQUIRED');
    assert.deepEqual(
      prepares(p).map((q) => q.status),
      [401],
    );

    for (const [answers, expected] of [
      [['4711'], ['required']],
      [
        ['1111', '4711'],
        ['required', 'wrong'],
      ],
    ] as const) {
      p = await withPin();
      const asked: string[] = [];
      const queue = [...answers];
      r = await send(p, source, { askPin: async (state) => (asked.push(state), queue.shift() ?? null) });
      assert.equal(r.result?.ok, true, r.error?.message);
      assert.deepEqual(asked, expected);
      assert.deepEqual(
        prepares(p).map((q) => [q.query.pin ?? null, q.status]),
        [[null, 401], ...answers.map((a) => [a, a === '4711' ? 200 : 401])],
      );
      assert.equal(p.received.length, 1);
    }

    p = await withPin();
    r = await send(p, source, { askPin: async () => null });
    assert.equal(r.error?.code, 'AUTH_REQUIRED');

    p = await withPin();
    r = await send(p, source, { pin: '0000' });
    assert.equal(r.error?.code, 'AUTH_FAILED');

    p = await withPin();
    r = await send(p, source, { pin: '4711' });
    assert.equal(r.result?.ok, true);
    assert.equal(prepares(p).length, 1, 'a --pin that is right costs no 401');
  });
});

describe('LocalSend sender: uploads', () => {
  test('a 422 sends the file again with the same token; three 422s fail it (CHECKSUM_MISMATCH) without a fourth try', async () => {
    const p = await peer();
    p.failFirstUpload = true;
    const once = await send(p, await collectSource(await files(5000, 6000)));
    assert.equal(once.result!.ok, true);
    assert.deepEqual(
      p.received.map((f) => f.attempts),
      [2, 2],
    );
    const retried = ofKind(once.events, 'file-failed');
    assert.equal(retried.length, 2);
    assert.ok(retried.every((e) => e.willRetry && e.code === 'CHECKSUM_MISMATCH'));
    assert.equal(ofKind(once.events, 'file-done').length, 2);
    assert.equal(ofKind(once.events, 'progress').at(-1)!.transferred, 11000, 'a failed attempt is not counted twice');

    const q = await peer();
    q.mismatchAttempts = 3;
    const always = await send(q, await collectSource(await files(5000)));
    assert.equal(always.result!.ok, false);
    assert.deepEqual(
      always.result!.failed.map((f) => f.code),
      ['CHECKSUM_MISMATCH'],
    );
    assert.deepEqual(
      ofKind(always.events, 'file-failed').map((e) => e.willRetry),
      [true, true, false],
    );
    assert.deepEqual(
      uploads(q).map((u) => u.status),
      [422, 422, 422],
    );
    assert.equal(ofKind(always.events, 'done')[0]!.ok, false);

    // Told to try more often than the receiver allows: its 403 to a fourth try fails the file, it does not end the transfer.
    const r = await peer();
    r.mismatchAttempts = 3;
    const more = await send(r, await collectSource(await files(5000, 10)), { uploadRetries: 3 });
    assert.deepEqual(
      uploads(r)
        .map((u) => u.status)
        .sort(),
      [403, 403, 422, 422, 422, 422, 422, 422],
    );
    assert.equal(ofKind(more.events, 'cancelled').length, 0);
    assert.deepEqual(
      more.result!.failed.map((f) => f.code),
      ['CHECKSUM_MISMATCH', 'CHECKSUM_MISMATCH'],
    );
  });

  test('never more than 2 uploads at once (5 files), or 1 when told; each chunked, with our certificate', async () => {
    const p = await peer();
    p.uploadChunkDelayMs = 2;
    const source = await collectSource(await files(600_000, 600_000, 600_000, 600_000, 600_000));
    const r = await send(p, source);
    assert.equal(r.result!.files, 5);
    assert.equal(p.maxUploadsInFlight, 2);
    assert.equal(uploads(p).length, 5);
    assert.ok(uploads(p).every((u) => u.chunked && u.clientFingerprint === ME.deviceId.toUpperCase() && u.status === 200));

    const q = await peer();
    q.uploadChunkDelayMs = 2;
    const one = await send(q, source, { parallel: 1 });
    assert.equal(one.result!.files, 5);
    assert.equal(q.maxUploadsInFlight, 1);
  });

  test('a file whose bytes change after hashing fails (SOURCE_CHANGED) before its last byte goes, even to a 1.17 receiver that checks nothing', async () => {
    const p = await peer({ version: '1.17' });
    p.policy = 'hold';
    const [a, b] = await files(300_000, 1000);
    const run = start(targetOf(p), await collectSource([a!, b!]));
    const offer = await p.waitForOffer();
    // Same size, same modified time: only the bytes tell.
    const fh = await fs.open(a!, 'r+');
    await fh.write(Buffer.from('changed'), 0, 7, 299_000);
    await fh.close();
    await fs.utimes(a!, MTIME, MTIME);
    offer.answer('accept');
    const { result } = await run.done;
    assert.deepEqual(
      result!.failed.map((f) => [f.path, f.code]),
      [['file-0.bin', 'SOURCE_CHANGED']],
    );
    assert.deepEqual(
      p.received.map((f) => f.fileName),
      ['file-1.bin'],
    );
    await waitUntil('the cut upload is cleaned up there', async () => (await listFiles(p.dir)).length === 1);
  });
});

describe('LocalSend sender: cancels', () => {
  test('cancelled here mid-upload: the peer gets /cancel?sessionId=…, its session ends, and nothing is left there', async () => {
    const p = await peer();
    p.uploadChunkDelayMs = 5;
    const run = start(targetOf(p), await collectSource(await files(4_000_000, 4_000_000)));
    await run.log.waitFor((e) => e.event === 'progress' && e.transferred > 0);
    run.abort();
    const { error } = await run.done;
    assert.equal(error?.code, 'CANCELLED');
    const cancelled = ofKind(run.log.events, 'cancelled');
    assert.deepEqual(
      cancelled.map((e) => e.by),
      ['local'],
    );
    assert.equal(names(run.log.events).at(-1), 'cancelled');
    const sessionId = p.offers[0]!.sessionId;
    const cancel = p.requests.find((q) => q.path === `${API}/cancel`)!;
    assert.equal(cancel.query.sessionId, sessionId);
    assert.equal(cancel.status, 200);
    assert.deepEqual(p.sessionEnds, [{ sessionId, reason: 'cancelled-by-sender' }]);
    await waitUntil('the aborted uploads are cleaned up there', async () => (await listFiles(p.dir)).length === 0);
    assert.equal(p.received.length, 0);
  });

  test('cancelled here while the person decides: a session-less /cancel withdraws the offer', async () => {
    const p = await peer();
    p.policy = 'hold';
    const run = start(targetOf(p), await collectSource(await files(10)));
    await p.waitForOffer();
    run.abort();
    assert.equal((await run.done).error?.code, 'CANCELLED');
    assert.equal(ofKind(run.log.events, 'cancelled')[0]!.by, 'local');
    const cancel = p.requests.find((q) => q.path === `${API}/cancel`)!;
    assert.equal(cancel.query.sessionId, undefined);
    await waitUntil('the offer is gone there', () => p.offers[0]!.state !== 'waiting');
    assert.equal(p.session, null);
  });

  for (const [version, abortInFlight] of [
    ['1.18', false],
    ['1.17', false],
    ['1.18', true],
  ] as const) {
    const how = abortInFlight ? ', after cutting our upload' : '';
    test(`${version}: cancelled by the receiver, whose /cancel reaches our LocalSend server${how}: cancelled by the peer`, async () => {
      const server = await startLocalSendServer({
        dir: await tempDir('ls-send-own-'),
        host: '127.0.0.1',
        port: 0,
        identity: ME,
        decide: async () => ({ accept: false }),
        onEvent: () => {},
        secret: null,
        trust: NO_TRUST,
        onPeerCancel: (sessionId, address) => cancelledByReceiver(sessionId, address),
      });
      onCleanup(() => server.close());
      const p = await peer({ version });
      p.uploadChunkDelayMs = 20;
      const run = start(targetOf(p), await collectSource(await files(4_000_000)), { ownPort: server.port });
      await waitUntil('the upload is being received', () => receiving(p) === 1);
      // Cut first, the upload breaks before the notice comes: the send waits a moment for it.
      const notice = await p.cancelIncoming({ abortInFlight });
      assert.equal(notice?.status, 200, notice?.error ?? notice?.text);
      const { error } = await run.done;
      assert.equal(error?.code, 'CANCELLED');
      assert.deepEqual(
        ofKind(run.log.events, 'cancelled').map((e) => e.by),
        ['peer'],
      );
      if (!abortInFlight) assert.equal(p.requests.filter((q) => q.path === `${API}/cancel`).length, 0, 'no /cancel back to the receiver');
      assert.equal(cancelledByReceiver(p.offers[0]!.sessionId, '127.0.0.1'), false, 'the send is over');
    });
  }

  test('cancelled by the receiver whose notice cannot reach us: the next upload (403) ends it as cancelled by the peer', async () => {
    const p = await peer();
    p.uploadChunkDelayMs = 20;
    const run = start(targetOf(p), await collectSource(await files(2_000_000, 2_000_000, 10, 10)), {
      ownPort: await freeTcpPort(),
    });
    // Cancelled while two uploads are under way there: they go on (and are discarded), the next is refused.
    await waitUntil('two uploads are being received', () => receiving(p) === 2);
    const notice = await p.cancelIncoming();
    assert.equal(notice?.status, 0, 'nobody listens where our info said');
    const { error } = await run.done;
    assert.equal(error?.code, 'CANCELLED');
    const cancelled = ofKind(run.log.events, 'cancelled')[0]!;
    assert.equal(cancelled.by, 'peer');
    assert.match(cancelled.message, /"Phone" ended the transfer/);
    assert.ok(uploads(p).some((u) => u.status === 403));
  });

  test('cancelledByReceiver ignores a session or an address that is not a send of ours', async () => {
    const p = await peer();
    p.policy = 'hold';
    const run = start(targetOf(p), await collectSource(await files(10)));
    const offer = await p.waitForOffer();
    assert.equal(cancelledByReceiver('not-a-session', '127.0.0.1'), false);
    assert.equal(cancelledByReceiver(null, '10.9.8.7'), false);
    offer.answer('accept');
    assert.equal((await run.done).result?.ok, true);
  });
});

describe('LocalSend sender: identity and connection', () => {
  test('a receiver whose certificate is not the pinned one is refused before it gets a single request', async () => {
    const p = await peer();
    const run = start({ host: p.host, port: p.port, fingerprint: 'ab'.repeat(32) }, await collectSource(await files(1000)));
    const { error } = await run.done;
    assert.equal(error?.code, 'IDENTITY_MISMATCH');
    assert.deepEqual(names(run.log.events), ['connecting', 'error']);
    assert.equal(p.requests.length, 0);
  });

  test('FIRST_CONTACT learns the fingerprint from the first answer and sends pinned to it', async () => {
    const p = await peer();
    const run = start({ host: p.host, port: p.port, fingerprint: FIRST_CONTACT }, await collectSource(await files(1000)));
    const { result } = await run.done;
    assert.equal(result?.ok, true);
    assert.equal(result?.peer?.deviceId, p.credentials.fingerprint.toLowerCase());
    assert.equal(ofKind(run.log.events, 'connected')[0]!.peer.deviceId, p.credentials.fingerprint.toLowerCase());
  });

  test('nothing listening: CONNECT_FAILED', async () => {
    const run = start({ host: '127.0.0.1', port: await freeTcpPort(), fingerprint: 'ab'.repeat(32) }, await collectSource(await files(10)));
    const { error } = await run.done;
    assert.equal(error?.code, 'CONNECT_FAILED');
    assert.deepEqual(names(run.log.events), ['connecting', 'error']);
  });

  test('a settled send leaves no socket, timer or file handle behind (done, and cancelled)', async () => {
    const p = await peer();
    const source = await collectSource(await files(300_000, 300_000, 300_000));
    const count = (): Map<string, number> => {
      const n = new Map<string, number>();
      for (const r of process.getActiveResourcesInfo()) n.set(r, (n.get(r) ?? 0) + 1);
      return n;
    };
    /** Kinds of resource more numerous than before (the peer's side may take a moment to close its end). */
    const leftSince = async (before: Map<string, number>): Promise<string[]> => {
      const more = () => [...count()].filter(([k, v]) => v > (before.get(k) ?? 0)).map(([k, v]) => `${k} ×${v - (before.get(k) ?? 0)}`);
      for (let i = 0; i < 100 && more().length > 0; i++) await sleep(20);
      return more();
    };

    let before = count();
    assert.equal((await send(p, source)).result?.ok, true);
    assert.deepEqual(await leftSince(before), [], 'after a send');

    p.uploadChunkDelayMs = 5;
    before = count();
    const run = start(targetOf(p), source);
    await run.log.waitFor((e) => e.event === 'progress' && e.transferred > 0);
    run.abort();
    assert.equal((await run.done).error?.code, 'CANCELLED');
    assert.deepEqual(await leftSince(before), [], 'after a cancel');
  });
});
