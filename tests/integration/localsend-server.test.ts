// Ferry's LocalSend server against real HTTPS requests on loopback, with and without a client
// certificate: discovery's routes, offers decided while the request is held open, uploads sized
// and chunked into the download folder, and everything a hostile or broken sender can try.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as https from 'node:https';
import * as path from 'node:path';
import { test } from 'node:test';
import { MAX_TEXT_BYTES } from '../../main/core/contract/views.ts';
import { startLocalSendServer, type LocalSendEndpoint, type LocalSendListenRequest } from '../../main/core/localsend/server.ts';
import type { RegisteredDevice, SenderCancelTarget } from '../../main/core/localsend/server-state.ts';
import type { TransferEvent } from '../../main/core/model/events.ts';
import type { Decision, IncomingOffer } from '../../main/core/model/transport.ts';
import type { LocalIdentity } from '../../main/core/security/identity.ts';
import type { TrustView } from '../../main/core/store/trust-store.ts';
import { LocalSendPeer } from '../fixtures/localsend-peer.ts';
import { EventLog, identity, onCleanup, sleep, snapshot, tempDir, UNSAFE_PATHS, waitUntil, writeTree } from '../helpers.ts';

const API = '/api/localsend/v2';
const SENDER = identity('LocalSend phone');

// ---- a LocalSend sender, as far as these tests need one ----

interface Reply {
  status: number;
  json: any;
}

interface CallOptions {
  /** A JSON body (sent with Content-Length). */
  json?: unknown;
  /** A raw body: with Content-Length unless `chunked`. */
  body?: Buffer;
  /** Send the body in these pieces, chunked, `gapMs` apart (and leave it open if `endless`). */
  chunks?: Buffer[];
  gapMs?: number;
  endless?: boolean;
  /** The client certificate presented (null: none). */
  id?: LocalIdentity | null;
  localAddress?: string;
  headers?: Record<string, string>;
}

function call(port: number, method: string, urlPath: string, o: CallOptions = {}): Promise<Reply> {
  const id = o.id === undefined ? SENDER : o.id;
  const body = o.json !== undefined ? Buffer.from(JSON.stringify(o.json)) : o.body;
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1',
      port,
      method,
      path: urlPath,
      agent: false,
      rejectUnauthorized: false,
      ...(id ? { key: id.tls.key, cert: id.tls.cert } : {}),
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      headers: {
        ...(body ? { 'Content-Length': String(body.length), 'Content-Type': 'application/json' } : {}),
        ...o.headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    if (body) return void req.end(body);
    if (!o.chunks) return void req.end();
    void (async () => {
      for (const c of o.chunks!) {
        if (req.destroyed) return;
        req.write(c);
        if (o.gapMs) await sleep(o.gapMs);
      }
      if (!o.endless) req.end();
    })();
  });
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function prepareBody(
  files: Array<{ id: string; fileName: string; data?: Buffer; size?: number; sha?: string | null; extra?: object }>,
  id = SENDER,
): unknown {
  return {
    info: {
      alias: 'Nice Orange',
      version: '2.2',
      deviceModel: 'Pixel',
      deviceType: 'mobile',
      fingerprint: id.deviceId.toUpperCase(),
      port: 53317,
      protocol: 'https',
    },
    files: Object.fromEntries(
      files.map((f) => [
        f.id,
        {
          id: f.id,
          fileName: f.fileName,
          size: f.size ?? f.data?.length ?? 0,
          fileType: 'application/octet-stream',
          sha256: f.sha === undefined ? (f.data ? sha256(f.data) : null) : f.sha,
          ...f.extra,
        },
      ]),
    ),
  };
}

function uploadPath(sessionId: string, fileId: string, token: string): string {
  return `${API}/upload?sessionId=${encodeURIComponent(sessionId)}&fileId=${encodeURIComponent(fileId)}&token=${encodeURIComponent(token)}`;
}

// ---- Ferry's side ----

interface Harness {
  endpoint: LocalSendEndpoint;
  port: number;
  dir: string;
  log: EventLog;
  offers: IncomingOffer[];
  signals: AbortSignal[];
  registered: RegisteredDevice[];
  cancels: SenderCancelTarget[];
}

async function start(
  opts: Partial<LocalSendListenRequest> & { decide?: (o: IncomingOffer, s: AbortSignal) => Promise<Decision> } = {},
): Promise<Harness> {
  const dir = opts.dir ?? (await tempDir('ferry-ls-'));
  const log = new EventLog();
  const h: Harness = { endpoint: null!, port: 0, dir, log, offers: [], signals: [], registered: [], cancels: [] };
  h.endpoint = await startLocalSendServer({
    host: '127.0.0.1',
    port: 0,
    identity: identity('Ferry desk'),
    secret: null,
    trust: { isTrusted: () => false, changedIdentity: () => null },
    onRegister: (d) => h.registered.push(d),
    notifySender: (t) => h.cancels.push(t),
    ...opts,
    dir,
    decide: async (o, s) => {
      h.offers.push(o);
      h.signals.push(s);
      return opts.decide ? opts.decide(o, s) : { accept: true };
    },
    onEvent: (e) => log.push(e),
  });
  h.port = h.endpoint.port;
  onCleanup(() => h.endpoint.close());
  return h;
}

const is =
  <K extends TransferEvent['event']>(k: K) =>
  (e: TransferEvent): e is Extract<TransferEvent, { event: K }> =>
    e.event === k;

async function accepted(
  h: Harness,
  files: Parameters<typeof prepareBody>[0],
): Promise<{ sessionId: string; files: Record<string, string> }> {
  const r = await call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody(files) });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

/** A decision the test gives when it likes; once given, it is the answer to later offers too. */
function deferred(): {
  decide: (o: IncomingOffer, s: AbortSignal) => Promise<Decision>;
  settle: (d: Decision) => void;
  asked: Promise<AbortSignal>;
} {
  let given: Decision | null = null;
  let waiting: Array<(d: Decision) => void> = [];
  let asked: (s: AbortSignal) => void = () => {};
  const askedP = new Promise<AbortSignal>((r) => (asked = r));
  return {
    decide: (_o, s) => {
      asked(s);
      return given ? Promise.resolve(given) : new Promise((r) => waiting.push(r));
    },
    settle: (d) => {
      given = d;
      for (const w of waiting) w(d);
      waiting = [];
    },
    asked: askedP,
  };
}

/** The files under dir, temporary ones included. */
async function listing(dir: string): Promise<string[]> {
  return Object.keys(await snapshot(dir)).sort();
}

// ---- discovery's routes ----

test('info answers on v1 and v2 with our name and fingerprint; a scan that finds itself gets 412; anything else is 404', async () => {
  const h = await start();
  for (const v of ['v1', 'v2']) {
    const r = await call(h.port, 'GET', `/api/localsend/${v}/info`, { id: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      alias: 'Ferry desk',
      version: '2.1',
      deviceModel: 'Ferry',
      deviceType: 'desktop',
      fingerprint: r.json.fingerprint,
      download: false,
    });
    assert.match(r.json.fingerprint, /^[0-9a-f]{64}$/);
  }
  const own = (await call(h.port, 'GET', `${API}/info`)).json.fingerprint as string;
  assert.equal((await call(h.port, 'GET', `/api/localsend/v1/info?fingerprint=${own.toUpperCase()}`)).status, 412);
  for (const [method, p] of [
    ['GET', '/'],
    ['GET', `${API}/upload`],
    ['POST', `${API}/info`],
    ['POST', '/api/localsend/v1/send-request'],
    ['GET', '/api/localsend/v3/info'],
  ] as const) {
    const r = await call(h.port, method, p);
    assert.equal(r.status, 404, `${method} ${p}`);
    assert.equal(r.json.message, 'Not found');
  }
});

test('register: discovery learns the device, proven by its certificate or only claimed without one; the answer is our info', async () => {
  const h = await start();
  const reg = {
    alias: 'Nice Orange',
    version: '2.2',
    deviceType: 'mobile',
    fingerprint: SENDER.deviceId.toUpperCase(),
    port: 53318,
    protocol: 'https',
  };
  const r = await call(h.port, 'POST', `${API}/register`, { json: reg });
  assert.equal(r.status, 200);
  assert.equal(r.json.alias, 'Ferry desk');
  assert.equal(r.json.version, '2.1');
  assert.deepEqual(
    h.registered.map((d) => [d.fingerprint, d.verified, d.address, d.info.port]),
    [[SENDER.deviceId, true, '127.0.0.1', 53318]],
  );
  assert.equal((await call(h.port, 'POST', `${API}/register`, { json: { ...reg, fingerprint: 'random-token' }, id: null })).status, 200);
  assert.deepEqual(h.registered[1]!.fingerprint, 'random-token');
  assert.equal(h.registered[1]!.verified, false);
  // A certificate that is not the fingerprint claimed: refused, and discovery hears nothing.
  const liar = await call(h.port, 'POST', `${API}/register`, { json: { ...reg, fingerprint: 'ab'.repeat(32) } });
  assert.equal(liar.status, 403);
  assert.match(liar.json.message, /client certificate/);
  assert.equal(
    (await call(h.port, 'POST', `${API}/register`, { json: { ...reg, fingerprint: r.json.fingerprint }, id: null })).status,
    412,
  );
  assert.equal((await call(h.port, 'POST', `${API}/register`, { body: Buffer.from('{not json') })).status, 400);
  assert.equal(h.registered.length, 2);
});

// ---- offers and uploads ----

test('accepted: two files upload at once, one chunked without Content-Length, one sized, into their folders, verified', async () => {
  const h = await start();
  const a = randomBytes(3 * 1024 * 1024 + 17);
  const b = randomBytes(1000);
  const modified = '2024-05-01T10:00:00.000Z';
  const s = await accepted(h, [
    { id: 'a', fileName: 'Photos/2024/a.jpg', data: a, extra: { metadata: { modified } } },
    { id: 'b', fileName: 'notes.txt', data: b, sha: null },
  ]);
  assert.match(s.sessionId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(Object.keys(s.files).sort(), ['a', 'b']);
  const chunks = Array.from({ length: Math.ceil(a.length / 65536) }, (_, i) => a.subarray(i * 65536, (i + 1) * 65536));
  const [ra, rb] = await Promise.all([
    call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), { chunks }),
    call(h.port, 'POST', uploadPath(s.sessionId, 'b', s.files.b!), { body: b }),
  ]);
  assert.deepEqual([ra.status, rb.status], [200, 200]);
  assert.deepEqual(await fs.readFile(path.join(h.dir, 'Photos', '2024', 'a.jpg')), a);
  assert.deepEqual(await fs.readFile(path.join(h.dir, 'notes.txt')), b);
  assert.equal((await fs.stat(path.join(h.dir, 'Photos', '2024', 'a.jpg'))).mtimeMs, Date.parse(modified));
  assert.deepEqual(await listing(h.dir), ['Photos', 'Photos/2024', 'Photos/2024/a.jpg', 'notes.txt']);

  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && done.ok && done.files === 2 && done.failed === 0 && done.bytes === a.length + b.length, true);
  const offer = h.log.events.find(is('offer'))!;
  assert.equal(offer.fileCount, 2);
  assert.equal(offer.dirCount, 2);
  assert.equal(offer.peer?.deviceId, SENDER.deviceId);
  assert.deepEqual(
    h.offers[0]!.entries.map((e) => e.path),
    ['Photos', 'Photos/2024', 'Photos/2024/a.jpg', 'notes.txt'],
  );
  const fileDone = h.log.events.filter(is('file-done'));
  assert.deepEqual(fileDone.map((e) => [e.path, e.savedAs, e.md5, e.size]).sort(), [
    ['Photos/2024/a.jpg', 'Photos/2024/a.jpg', md5(a), a.length],
    ['notes.txt', 'notes.txt', md5(b), b.length],
  ]);
  const order = h.log.events.map((e) => e.event).filter((e) => e !== 'progress');
  assert.deepEqual(order.slice(0, 2), ['offer', 'accepted']);
  assert.equal(order.at(-1), 'done');
  const progress = h.log.events.filter(is('progress'));
  assert.ok(progress.length >= 1);
  assert.equal(progress.at(-1)!.transferred, a.length + b.length);
  // The session is over: a second transfer may start.
  await accepted(h, [{ id: 'c', fileName: 'c', data: Buffer.from('c') }]);
});

test('a name already taken gets a number, never overwriting; duplicates within an offer too', async () => {
  const h = await start();
  await fs.writeFile(path.join(h.dir, 'IMG.jpg'), 'old');
  const one = Buffer.from('one');
  const two = Buffer.from('two');
  const s = await accepted(h, [
    { id: '1', fileName: 'IMG.jpg', data: one },
    { id: '2', fileName: 'IMG.jpg', data: two },
  ]);
  // The second is "IMG (1).jpg" in the offer; on disk that name is taken by the first by then.
  assert.deepEqual(
    h.offers[0]!.entries.map((e) => e.path),
    ['IMG.jpg', 'IMG (1).jpg'],
  );
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, '1', s.files['1']!), { body: one })).status, 200);
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, '2', s.files['2']!), { body: two })).status, 200);
  assert.equal(await fs.readFile(path.join(h.dir, 'IMG.jpg'), 'utf8'), 'old');
  assert.equal(await fs.readFile(path.join(h.dir, 'IMG (1).jpg'), 'utf8'), 'one');
  assert.equal(await fs.readFile(path.join(h.dir, 'IMG (1) (1).jpg'), 'utf8'), 'two');
  const saved = h.log.events.filter(is('file-done')).map((e) => [e.path, e.savedAs]);
  assert.deepEqual(saved, [
    ['IMG.jpg', 'IMG (1).jpg'],
    ['IMG (1).jpg', 'IMG (1) (1).jpg'],
  ]);
});

test('declined: 403 "Rejected", a declined event, nothing written', async () => {
  const h = await start({ decide: async () => ({ accept: false, message: 'the receiver declined the offer' }) });
  const r = await call(h.port, 'POST', `${API}/prepare-upload`, {
    json: prepareBody([{ id: 'a', fileName: 'x/a', data: Buffer.from('a') }]),
  });
  assert.equal(r.status, 403);
  assert.deepEqual(r.json, { message: 'Rejected' });
  const d = await h.log.waitFor(is('declined'));
  assert.equal(d.event === 'declined' && d.code, 'DECLINED');
  assert.deepEqual(await listing(h.dir), []);
});

test('one session at a time: a second sender gets 409 while the first waits for an answer and while it runs', async () => {
  const d = deferred();
  const h = await start({ decide: d.decide });
  const first = call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }]) });
  await d.asked;
  const other = identity('other phone');
  const busy = await call(h.port, 'POST', `${API}/prepare-upload`, {
    json: prepareBody([{ id: 'b', fileName: 'b', data: Buffer.from('b') }], other),
    id: other,
  });
  assert.equal(busy.status, 409);
  assert.match(busy.json.message, /Blocked by another session/);
  d.settle({ accept: true });
  const s = (await first).json;
  assert.equal(
    (
      await call(h.port, 'POST', `${API}/prepare-upload`, {
        json: prepareBody([{ id: 'b', fileName: 'b', data: Buffer.from('b') }], other),
        id: other,
      })
    ).status,
    409,
  );
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a), { body: Buffer.from('a') })).status, 200);
  await h.log.waitFor(is('done'));
  assert.equal(
    (
      await call(h.port, 'POST', `${API}/prepare-upload`, {
        json: prepareBody([{ id: 'b', fileName: 'b', data: Buffer.from('b') }], other),
        id: other,
      })
    ).status,
    200,
  );
});

test('uploads need the right session, token, file and address: 403 otherwise, 400 without the parameters; before acceptance too', async () => {
  const d = deferred();
  const h = await start({ decide: d.decide });
  const data = Buffer.from('payload');
  const pending = call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody([{ id: 'a', fileName: 'a', data }]) });
  await d.asked;
  // Before acceptance there is no session to name.
  assert.equal((await call(h.port, 'POST', uploadPath('guess', 'a', 'guess'), { body: data })).status, 403);
  d.settle({ accept: true });
  const s = (await pending).json;
  const refusals: Array<[string, CallOptions, number]> = [
    [uploadPath('wrong', 'a', s.files.a), { body: data }, 403],
    [uploadPath(s.sessionId, 'a', 'wrong'), { body: data }, 403],
    [uploadPath(s.sessionId, 'nope', s.files.a), { body: data }, 403],
    [uploadPath(s.sessionId, 'a', s.files.a), { body: data, localAddress: '127.0.0.2' }, 403],
    [`${API}/upload?sessionId=${s.sessionId}&fileId=a`, { body: data }, 400],
  ];
  for (const [p, o, status] of refusals) {
    const r = await call(h.port, 'POST', p, o);
    assert.equal(r.status, status, `${p} ${JSON.stringify(o.localAddress ?? '')}: ${JSON.stringify(r.json)}`);
    assert.equal(typeof r.json.message, 'string');
  }
  assert.deepEqual(await listing(h.dir), []);
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a), { body: data })).status, 200);
});

test('more or fewer bytes than declared: 400, nothing under a final name, no partial left', async () => {
  const h = await start();
  const s = await accepted(h, [
    { id: 'long', fileName: 'long.bin', size: 10, sha: null },
    { id: 'short', fileName: 'short.bin', size: 10, sha: null },
    { id: 'cl', fileName: 'cl.bin', size: 10, sha: null },
  ]);
  const long = await call(h.port, 'POST', uploadPath(s.sessionId, 'long', s.files.long!), { chunks: [Buffer.alloc(6), Buffer.alloc(6)] });
  assert.equal(long.status, 400);
  assert.match(long.json.message, /more bytes than the 10 declared/);
  const short = await call(h.port, 'POST', uploadPath(s.sessionId, 'short', s.files.short!), { chunks: [Buffer.alloc(4)] });
  assert.equal(short.status, 400);
  assert.match(short.json.message, /after 4 of the 10 bytes/);
  const cl = await call(h.port, 'POST', uploadPath(s.sessionId, 'cl', s.files.cl!), { body: Buffer.alloc(9) });
  assert.equal(cl.status, 400);
  assert.match(cl.json.message, /Content-Length 9/);
  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && !done.ok && done.failed === 3, true);
  await waitUntil('no partial is left', async () => (await listing(h.dir)).length === 0);
  // A failed file cannot be sent again (only a checksum mismatch puts it back).
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'short', s.files.short!), { body: Buffer.alloc(10) })).status, 403);
});

test('a sha256 mismatch is 422 and the file may be sent again; the correct retry lands', async () => {
  const h = await start();
  const data = randomBytes(300_000);
  const s = await accepted(h, [{ id: 'a', fileName: 'a.bin', data }]);
  const wrong = Buffer.from(data);
  wrong[1000] = wrong[1000]! ^ 0xff;
  const r1 = await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), { body: wrong });
  assert.equal(r1.status, 422);
  assert.match(r1.json.message, /sha256 .* does not match/);
  assert.deepEqual(await listing(h.dir), []);
  const failed = h.log.events.find(is('file-failed'))!;
  assert.equal(failed.code, 'CHECKSUM_MISMATCH');
  assert.equal(failed.willRetry, true);
  const r2 = await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), { chunks: [data] });
  assert.equal(r2.status, 200);
  assert.deepEqual(await fs.readFile(path.join(h.dir, 'a.bin')), data);
  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && done.ok, true);
});

test('three sha256 mismatches and the file has failed for good', async () => {
  const h = await start();
  const s = await accepted(h, [{ id: 'a', fileName: 'a.bin', data: Buffer.from('right') }]);
  for (let i = 0; i < 3; i++) {
    assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), { body: Buffer.from('wrong') })).status, 422);
  }
  assert.deepEqual(
    h.log.events.filter(is('file-failed')).map((e) => e.willRetry),
    [true, true, false],
  );
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), { body: Buffer.from('right') })).status, 403);
  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && !done.ok, true);
  assert.deepEqual(await listing(h.dir), []);
});

test('every hostile fileName is refused before anything is decided or written', async () => {
  const h = await start();
  for (const [name, why] of UNSAFE_PATHS) {
    const r = await call(h.port, 'POST', `${API}/prepare-upload`, {
      json: prepareBody([
        { id: 'ok', fileName: 'fine.txt', data: Buffer.from('x') },
        { id: 'bad', fileName: name, data: Buffer.from('x') },
      ]),
    });
    assert.equal(r.status, 400, `${why}: ${JSON.stringify(name)}`);
    assert.match(r.json.message, /unsafe file name/);
  }
  assert.equal(h.offers.length, 0);
  assert.deepEqual(await listing(h.dir), []);
  assert.ok(h.log.events.every((e) => e.event === 'error' && e.code === 'PATH_UNSAFE'));
});

test('bodies over the cap are 413, invalid JSON 400, and the server goes on serving', async () => {
  const h = await start();
  const huge = Buffer.alloc(9 * 1024 * 1024, 0x20);
  const sized = await call(h.port, 'POST', `${API}/prepare-upload`, { body: huge });
  assert.equal(sized.status, 413);
  const chunked = await call(h.port, 'POST', `${API}/prepare-upload`, {
    chunks: [Buffer.from('{"info":'), Buffer.alloc(9 * 1024 * 1024, 0x20)],
  }).catch((err: NodeJS.ErrnoException) => ({ status: -1, json: err.code }));
  // The answer is 413; a sender still writing may see the connection closed under it instead.
  assert.ok(chunked.status === 413 || chunked.status === -1, JSON.stringify(chunked));
  assert.equal((await call(h.port, 'POST', `${API}/register`, { body: Buffer.alloc(100 * 1024, 0x20) })).status, 413);
  const invalid = await call(h.port, 'POST', `${API}/prepare-upload`, { body: Buffer.from('{"info": ') });
  assert.equal(invalid.status, 400);
  assert.deepEqual(invalid.json, { message: 'Invalid JSON body' });
  const empty = await call(h.port, 'POST', `${API}/prepare-upload`, {
    json: { info: (prepareBody([]) as { info: unknown }).info, files: {} },
  });
  assert.equal(empty.status, 400);
  assert.equal((await call(h.port, 'GET', `${API}/info`)).status, 200);
  assert.equal(h.offers.length, 0);
});

test('a client certificate whose fingerprint is not the one in the body is refused', async () => {
  const h = await start();
  const r = await call(h.port, 'POST', `${API}/prepare-upload`, {
    json: prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }], identity('someone else')),
  });
  assert.equal(r.status, 403);
  assert.match(r.json.message, /client certificate/);
  assert.equal(h.offers.length, 0);
});

test('without a certificate the sender is unverified: never trusted, even when it claims a trusted fingerprint', async () => {
  const trust: TrustView = { isTrusted: (id) => id === SENDER.deviceId, changedIdentity: () => null };
  const h = await start({ trust });
  await call(h.port, 'POST', `${API}/prepare-upload`, {
    json: prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }]),
    id: null,
  });
  const peer = h.offers[0]!.peer as IncomingOffer['peer'] & { verified: boolean; protocol: string };
  assert.equal(peer.trusted, false);
  assert.equal(peer.verified, false);
  assert.equal(peer.protocol, 'localsend');
  assert.equal(peer.deviceId, `unverified:${SENDER.deviceId.toUpperCase()}`);
  assert.equal(peer.verificationCode, '');
  // With its certificate, the same sender is who it says, and trusted.
  const h2 = await start({ trust });
  const s = await accepted(h2, [{ id: 'a', fileName: 'a', data: Buffer.from('a') }]);
  assert.ok(s.sessionId);
  assert.equal(h2.offers[0]!.peer.trusted, true);
  assert.equal(h2.offers[0]!.peer.deviceId, SENDER.deviceId);
  assert.match(h2.offers[0]!.peer.verificationCode, /^\d{3} \d{3}$/);
});

test('cancelled by the sender (POST /cancel) mid-upload: the upload stops, its partial goes, the transfer shows cancelled', async () => {
  const h = await start();
  const s = await accepted(h, [
    { id: 'a', fileName: 'big.bin', size: 50 * 1024 * 1024, sha: null },
    { id: 'b', fileName: 'b.bin', data: Buffer.from('b') },
  ]);
  const uploading = call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), {
    chunks: Array.from({ length: 50 }, () => Buffer.alloc(64 * 1024)),
    gapMs: 20,
  }).catch((err: Error) => err);
  await waitUntil('a partial exists', async () => (await listing(h.dir)).some((n) => n.endsWith('.localsend-part')));
  assert.equal((await call(h.port, 'POST', `${API}/cancel?sessionId=wrong`)).status, 403);
  assert.equal((await call(h.port, 'POST', `${API}/cancel?sessionId=${s.sessionId}`, { localAddress: '127.0.0.2' })).status, 403);
  assert.equal((await call(h.port, 'POST', `${API}/cancel?sessionId=${s.sessionId}`)).status, 200);
  const c = await h.log.waitFor(is('cancelled'));
  assert.equal(c.event === 'cancelled' && c.by, 'peer');
  assert.ok((await uploading) instanceof Error);
  await h.endpoint.partials(h.offers[0]!.transferId);
  assert.deepEqual(await listing(h.dir), []);
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'b', s.files.b!), { body: Buffer.from('b') })).status, 403);
  assert.equal(h.cancels.length, 0); // the sender knows: nobody to tell
  assert.ok(!h.log.events.some((e) => e.event === 'done'));
});

test('cancelled by the receiver: the upload is cut, nothing is kept, the sender is told at its own server', async () => {
  const h = await start();
  const s = await accepted(h, [{ id: 'a', fileName: 'big.bin', size: 50 * 1024 * 1024, sha: null }]);
  const uploading = call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), {
    chunks: Array.from({ length: 50 }, () => Buffer.alloc(64 * 1024)),
    gapMs: 20,
  }).catch((err: Error) => err);
  await waitUntil('a partial exists', async () => (await listing(h.dir)).some((n) => n.endsWith('.localsend-part')));
  const transferId = h.offers[0]!.transferId;
  assert.equal(h.endpoint.cancelTransfer('nope'), false);
  assert.equal(h.endpoint.cancelTransfer(transferId), true);
  const c = await h.log.waitFor(is('cancelled'));
  assert.equal(c.event === 'cancelled' && c.by, 'local');
  assert.ok((await uploading) instanceof Error);
  assert.deepEqual(await h.endpoint.partials(transferId), { files: 0, bytes: 0 });
  assert.deepEqual(await listing(h.dir), []);
  assert.deepEqual(h.cancels, [{ host: '127.0.0.1', port: 53317, scheme: 'https', fingerprint: SENDER.deviceId, sessionId: s.sessionId }]);
});

test('the sender gives up while the person decides: the decision is aborted and the transfer shows cancelled', async () => {
  const d = deferred();
  const h = await start({ decide: d.decide });
  const req = https.request({
    host: '127.0.0.1',
    port: h.port,
    method: 'POST',
    path: `${API}/prepare-upload`,
    agent: false,
    rejectUnauthorized: false,
    key: SENDER.tls.key,
    cert: SENDER.tls.cert,
  });
  req.on('error', () => {});
  req.end(JSON.stringify(prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }])));
  const signal = await d.asked;
  req.destroy();
  await waitUntil('the decision is aborted', () => signal.aborted);
  const c = await h.log.waitFor(is('cancelled'));
  assert.equal(c.event === 'cancelled' && c.by, 'peer');
  d.settle({ accept: true }); // the answer comes too late: nothing happens
  await sleep(50);
  assert.ok(!h.log.events.some((e) => e.event === 'accepted'));
  // …and a POST /cancel without a session id from the sender withdraws a waiting offer too.
  const d2 = deferred();
  const h2 = await start({ decide: d2.decide });
  const waiting = call(h2.port, 'POST', `${API}/prepare-upload`, {
    json: prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }]),
  });
  const signal2 = await d2.asked;
  assert.equal((await call(h2.port, 'POST', `${API}/cancel`)).status, 200);
  assert.ok(signal2.aborted);
  assert.equal((await waiting).status, 403);
  assert.equal((await h2.log.waitFor(is('cancelled'))).event, 'cancelled');
});

test('the person may take longer than every timeout: the held prepare-upload still gets its answer', async () => {
  const h = await start({
    decide: async () => {
      await sleep(1500);
      return { accept: true };
    },
    timeouts: { headersMs: 300, idleMs: 300, keepAliveMs: 300, handshakeMs: 300 },
  });
  const r = await call(h.port, 'POST', `${API}/prepare-upload`, {
    json: prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }]),
  });
  assert.equal(r.status, 200);
});

test('a stalled upload is dropped after its idle time, a slow but steady one survives, and others are served meanwhile', async () => {
  const h = await start({ timeouts: { idleMs: 400 } });
  const steady = randomBytes(24 * 1024);
  const s = await accepted(h, [
    { id: 'drip', fileName: 'drip.bin', size: 1000, sha: null },
    { id: 'steady', fileName: 'steady.bin', data: steady },
  ]);
  const started = performance.now();
  const drip = call(h.port, 'POST', uploadPath(s.sessionId, 'drip', s.files.drip!), { chunks: [Buffer.alloc(10)], endless: true }).catch(
    (err: Error) => err,
  );
  const slow = call(h.port, 'POST', uploadPath(s.sessionId, 'steady', s.files.steady!), {
    chunks: Array.from({ length: 24 }, (_, i) => steady.subarray(i * 1024, (i + 1) * 1024)),
    gapMs: 100,
  });
  for (let i = 0; i < 5; i++) {
    assert.equal((await call(h.port, 'GET', `${API}/info`)).status, 200);
    await sleep(100);
  }
  assert.ok((await drip) instanceof Error);
  assert.ok(performance.now() - started < 2000);
  const stalled = h.log.events.find((e) => e.event === 'file-failed' && e.path === 'drip.bin');
  assert.equal(stalled?.event === 'file-failed' && stalled.code, 'TIMEOUT');
  assert.equal((await slow).status, 200);
  assert.ok(performance.now() - started > 2000);
  assert.deepEqual(await fs.readFile(path.join(h.dir, 'steady.bin')), steady);
  assert.deepEqual(await listing(h.dir), ['steady.bin']);
});

test('an accepted transfer whose sender never uploads ends after the session idle time, and frees the server', async () => {
  const h = await start({ timeouts: { sessionIdleMs: 300 } });
  await accepted(h, [{ id: 'a', fileName: 'a', data: Buffer.from('a') }]);
  const e = await h.log.waitFor(is('error'));
  assert.equal(e.event === 'error' && e.code, 'TIMEOUT');
  await accepted(h, [{ id: 'b', fileName: 'b', data: Buffer.from('b') }]);
});

test('a text message is an offer like files: accepted, it is delivered with 204 and a text event; declined, 403; too long, the .txt file it is', async () => {
  let answer: Decision = { accept: true };
  const h = await start({ decide: async () => answer });
  const msg = (preview: string) => ({
    id: 't',
    fileName: 'message.txt',
    size: Buffer.byteLength(preview),
    extra: { fileType: 'text/plain', preview },
    sha: null,
  });
  const text = 'hello\nwörld 👋';
  const r = await call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody([msg(text)]) });
  assert.equal(r.status, 204);
  assert.equal(h.offers[0]!.text, text);
  assert.equal(h.offers[0]!.entries.length, 0);
  const shown = await h.log.waitFor(is('text'));
  assert.equal(shown.event === 'text' && shown.text, text);
  const done = await h.log.waitFor(is('done'));
  assert.ok(done.event === 'done' && done.ok && done.files === 0);
  assert.deepEqual(await fs.readdir(h.dir), [], 'a text writes no file');

  answer = { accept: false, message: 'no thanks' };
  const no = await call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody([msg('second')]) });
  assert.equal(no.status, 403);
  await h.log.waitFor(is('declined'));

  answer = { accept: true };
  const long = 'x'.repeat(MAX_TEXT_BYTES + 1);
  const big = await call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody([msg(long)]) });
  assert.equal(big.status, 200, 'offered as the file it is');
  assert.equal(h.offers.at(-1)!.text, null);
  assert.equal(h.offers.at(-1)!.entries[0]!.path, 'message.txt');
});

test('a PIN gates offers (401, then 429), and a shared secret keeps LocalSend senders out', async () => {
  const h = await start({ pin: '4321' });
  const body = prepareBody([{ id: 'a', fileName: 'a', data: Buffer.from('a') }]);
  const none = await call(h.port, 'POST', `${API}/prepare-upload`, { json: body });
  assert.deepEqual([none.status, none.json.message], [401, 'PIN required']);
  for (let i = 0; i < 3; i++) assert.equal((await call(h.port, 'POST', `${API}/prepare-upload?pin=0000`, { json: body })).status, 401);
  assert.equal((await call(h.port, 'POST', `${API}/prepare-upload?pin=4321`, { json: body })).status, 429);
  h.endpoint.update({ pin: '4321' });
  assert.equal((await call(h.port, 'POST', `${API}/prepare-upload?pin=4321`, { json: body })).status, 200);
  const secret = await start({ secret: randomBytes(32) });
  const r = await call(secret.port, 'POST', `${API}/prepare-upload`, { json: body });
  assert.equal(r.status, 403);
  assert.match(r.json.message, /shared secret/);
  assert.equal(secret.offers.length, 0);
});

test('connections are capped per address before any TLS work', async () => {
  const h = await start({ caps: { maxPerAddress: 2 } });
  const held = [0, 1].map(() =>
    https.request({ host: '127.0.0.1', port: h.port, method: 'POST', path: `${API}/register`, agent: false, rejectUnauthorized: false }),
  );
  for (const r of held) {
    r.on('error', () => {});
    r.flushHeaders();
  }
  await waitUntil('both are held', () => h.endpoint.openConnections === 2);
  await assert.rejects(call(h.port, 'GET', `${API}/info`));
  for (const r of held) r.destroy();
  await waitUntil('they are gone', () => h.endpoint.openConnections === 0);
  assert.equal((await call(h.port, 'GET', `${API}/info`)).status, 200);
});

test('close() cancels the transfer in progress and stops listening; leftover partials are counted and discarded', async () => {
  const h = await start();
  const stale = path.join(h.dir, '.0123456789abcdef01234567.localsend-part');
  await fs.writeFile(stale, 'left by a crash');
  assert.deepEqual(await h.endpoint.partials(null), { files: 1, bytes: 15 });
  await h.endpoint.discardPartials(null);
  assert.deepEqual(await h.endpoint.partials(null), { files: 0, bytes: 0 });
  await accepted(h, [{ id: 'a', fileName: 'a', data: Buffer.from('a') }]);
  await h.endpoint.close();
  const c = await h.log.waitFor(is('cancelled'));
  assert.equal(c.event === 'cancelled' && c.by, 'local');
  await assert.rejects(call(h.port, 'GET', `${API}/info`));
});

// ---- against the test LocalSend peer, as its apps send ----

test('a LocalSend 1.18 peer sends a folder and a file: mutual TLS, chunked, two at a time, sha256 verified', async () => {
  const h = await start();
  const src = await tempDir('ls-src-');
  await writeTree(src, { 'Trip/day1/a.jpg': randomBytes(200_000), 'Trip/day2/b.jpg': randomBytes(5000), 'Trip/empty.txt': '' });
  const single = path.join(src, 'single.bin');
  await fs.writeFile(single, randomBytes(70_000));
  const peer = await LocalSendPeer.start({ version: '1.18' });
  const target = {
    host: '127.0.0.1',
    port: h.port,
    fingerprint: (await call(h.port, 'GET', `${API}/info`)).json.fingerprint,
    protocol: 'https' as const,
  };
  const result = await peer.sendTo(target, { folder: path.join(src, 'Trip'), files: [single] }).done;
  assert.equal(result.outcome, 'sent', JSON.stringify(result));
  const got = await snapshot(h.dir);
  const want = await snapshot(src);
  assert.deepEqual(got, want);
  const offer = h.offers[0]!;
  assert.equal(offer.peer.deviceId, peer.fingerprint.toLowerCase());
  assert.equal((offer.peer as IncomingOffer['peer'] & { verified: boolean }).verified, true);
  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && done.ok && done.files === 4, true);
});

test('a LocalSend 1.17 peer sends sized uploads without sha256, and a receiver cancel reaches it at its own server', async () => {
  const peer = await LocalSendPeer.start({ version: '1.17' });
  const h = await start({
    notifySender: (t) =>
      void peer.request(
        { host: t.host, port: peer.port, fingerprint: t.fingerprint, protocol: t.scheme },
        { method: 'POST', path: `${API}/cancel?sessionId=${t.sessionId}` },
      ),
  });
  const target = { host: '127.0.0.1', port: h.port, protocol: 'https' as const };
  const ok = await peer.sendTo(target, { entries: [{ fileName: 'hello.txt', data: 'hello' }] }).done;
  assert.equal(ok.outcome, 'sent', JSON.stringify(ok));
  assert.equal(await fs.readFile(path.join(h.dir, 'hello.txt'), 'utf8'), 'hello');
  const slow = peer.sendTo(
    target,
    { entries: [{ fileName: 'big.bin', data: randomBytes(4 * 1024 * 1024) }] },
    { bytesPerSecond: 1024 * 1024 },
  );
  await waitUntil('the upload is under way', async () => (await listing(h.dir)).some((n) => n.endsWith('.localsend-part')));
  assert.equal(h.endpoint.cancelTransfer(h.offers[1]!.transferId), true);
  const result = await slow.done;
  assert.equal(result.cancelledBy, 'receiver', JSON.stringify(result));
  assert.deepEqual(await h.endpoint.partials(h.offers[1]!.transferId), { files: 0, bytes: 0 });
  assert.deepEqual(await listing(h.dir), ['hello.txt']);
});

test('headers over the cap are refused (431) before any route runs', async () => {
  const h = await start();
  const r = await call(h.port, 'GET', `${API}/info`, { headers: { 'X-Filler': 'x'.repeat(20 * 1024) } }).catch(
    (err: NodeJS.ErrnoException) => ({
      status: -1,
      json: err.code,
    }),
  );
  assert.ok(r.status === 431 || r.status === -1, JSON.stringify(r));
  assert.equal((await call(h.port, 'GET', `${API}/info`)).status, 200);
});

test('a folder planted as a link is never written through: its files fail, the others land', async () => {
  const h = await start();
  const elsewhere = await tempDir('ls-elsewhere-');
  await fs.symlink(elsewhere, path.join(h.dir, 'Photos'));
  const s = await accepted(h, [
    { id: 'a', fileName: 'Photos/a.jpg', data: Buffer.from('a') },
    { id: 'b', fileName: 'b.jpg', data: Buffer.from('b') },
  ]);
  assert.deepEqual(Object.keys(s.files), ['b']);
  const failed = h.log.events.find(is('file-failed'))!;
  assert.deepEqual([failed.path, failed.code, failed.willRetry], ['Photos/a.jpg', 'PATH_UNSAFE', false]);
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'b', s.files.b!), { body: Buffer.from('b') })).status, 200);
  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && done.files === 1 && done.failed === 1 && !done.ok, true);
  assert.deepEqual(await fs.readdir(elsewhere), []);
});

test('a sender that vanishes mid-upload: the file fails, nothing of it is kept, the others may still come', async () => {
  const h = await start();
  const s = await accepted(h, [
    { id: 'a', fileName: 'a.bin', size: 1024 * 1024, sha: null },
    { id: 'b', fileName: 'b.bin', data: Buffer.from('b') },
  ]);
  const req = https.request({
    host: '127.0.0.1',
    port: h.port,
    method: 'POST',
    path: uploadPath(s.sessionId, 'a', s.files.a!),
    agent: false,
    rejectUnauthorized: false,
    key: SENDER.tls.key,
    cert: SENDER.tls.cert,
  });
  req.on('error', () => {});
  req.write(Buffer.alloc(300 * 1024));
  await waitUntil('bytes arrived', () => h.log.events.some((e) => e.event === 'progress' && e.transferred > 0));
  req.destroy();
  const failed = await h.log.waitFor(is('file-failed'));
  assert.equal(failed.event === 'file-failed' && failed.code, 'CONNECTION_LOST');
  await waitUntil('its partial is gone', async () => (await listing(h.dir)).length === 0);
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'b', s.files.b!), { body: Buffer.from('b') })).status, 200);
  await h.log.waitFor(is('done'));
  assert.deepEqual(await listing(h.dir), ['b.bin']);
});

// ---- choosing what to receive ----

test('part of an offer: the answer lists tokens for the files taken only, others cannot be uploaded (403) and show as skipped', async () => {
  // A ticked folder stands for every file under it, as the app's choice does.
  const h = await start({ decide: async () => ({ accept: true, files: new Set(['Photos', 'keep.txt']) }) });
  const data = { a: randomBytes(70_000), b: randomBytes(10), c: randomBytes(500_000), k: Buffer.from('keep'), d: Buffer.from('drop') };
  const s = await accepted(h, [
    { id: 'a', fileName: 'Photos/a.jpg', data: data.a },
    { id: 'b', fileName: 'Photos/2024/b.jpg', data: data.b },
    { id: 'c', fileName: 'Other/c.jpg', data: data.c },
    { id: 'k', fileName: 'keep.txt', data: data.k },
    { id: 'd', fileName: 'drop.txt', data: data.d },
  ]);
  assert.deepEqual(Object.keys(s.files).sort(), ['a', 'b', 'k']);
  const skipped = h.log.events.filter(is('file-failed'));
  assert.deepEqual(skipped.map((e) => [e.path, e.code, e.willRetry]).sort(), [
    ['Other/c.jpg', 'DECLINED', false],
    ['drop.txt', 'DECLINED', false],
  ]);
  // A file left out has no token: whatever token comes with it, the upload is refused and nothing lands.
  for (const token of [s.files.a!, 'made-up']) {
    const r = await call(h.port, 'POST', uploadPath(s.sessionId, 'c', token), { body: data.c });
    assert.deepEqual([r.status, r.json], [403, { message: 'Invalid token' }]);
  }
  for (const id of ['a', 'b', 'k'] as const) {
    assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, id, s.files[id]!), { body: data[id] })).status, 200);
  }
  const taken = data.a.length + data.b.length + data.k.length;
  const done = await h.log.waitFor(is('done'));
  assert.ok(done.event === 'done');
  assert.deepEqual([done.ok, done.files, done.failed, done.bytes], [true, 3, 0, taken]);
  assert.equal(h.log.events.find(is('accepted'))!.bytesToSend, taken);
  const last = h.log.events.filter(is('progress')).at(-1)!;
  assert.deepEqual([last.transferred, last.total, last.filesDone, last.fileCount], [taken, taken, 3, 3]);
  // Nothing of what was left out, not even its folder.
  assert.deepEqual(await listing(h.dir), ['Photos', 'Photos/2024', 'Photos/2024/b.jpg', 'Photos/a.jpg', 'keep.txt']);
});

test('another folder: the files land there, the download folder stays empty; taking none of the files is a decline', async () => {
  const chosen = await tempDir('ferry-ls-chosen-');
  const choice: { take?: Set<string> } = {};
  const h = await start({ decide: async () => ({ accept: true, folder: chosen, ...(choice.take ? { files: choice.take } : {}) }) });
  const a = randomBytes(1000);
  const s = await accepted(h, [{ id: 'a', fileName: 'Photos/a.jpg', data: a }]);
  assert.equal((await call(h.port, 'POST', uploadPath(s.sessionId, 'a', s.files.a!), { body: a })).status, 200);
  const done = await h.log.waitFor(is('done'));
  assert.equal(done.event === 'done' && done.ok, true);
  assert.deepEqual(await fs.readFile(path.join(chosen, 'Photos', 'a.jpg')), a);
  assert.deepEqual(await listing(h.dir), []);
  assert.equal(h.log.events.find(is('file-done'))!.savedAs, 'Photos/a.jpg');

  choice.take = new Set();
  const none = await call(h.port, 'POST', `${API}/prepare-upload`, { json: prepareBody([{ id: 'b', fileName: 'b.jpg', data: a }]) });
  assert.deepEqual([none.status, none.json], [403, { message: 'Rejected' }]);
  const declined = await h.log.waitFor(is('declined'));
  assert.equal(declined.event === 'declined' && declined.code, 'DECLINED');
  assert.deepEqual(await listing(chosen), ['Photos', 'Photos/a.jpg']);
});
