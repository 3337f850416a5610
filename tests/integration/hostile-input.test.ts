// A real receiver on loopback against a peer that lies, stalls or floods. For every case:
// the receiver names the problem in an `error` frame (or a verdict) and closes, nothing lands
// in the download folder (beyond what a case writes by design), and a normal transfer
// afterwards still succeeds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { ErrorCode } from '../../main/core/errors.js';
import { FerryError } from '../../main/core/errors.js';
import { encodeFrame } from '../../main/core/protocol/frame.js';
import { MAX_HEADER_BYTES, MAX_SIZE } from '../../main/core/protocol/limits.js';
import { validateMessage } from '../../main/core/protocol/messages.js';
import { Connection } from '../../main/core/transfer/connection.js';
import { partName, PART_SUFFIX } from '../../main/core/transfer/disk.js';
import { clientTlsOptions } from '../../main/core/security/tls.js';
import { sendFiles } from '../../main/core/transfer/sender.js';
import {
  helloOf,
  identity,
  listenForTest,
  LONG_PATH_4096,
  onCleanup,
  RAW_CLIENT,
  RawClient,
  sleep,
  snapshot,
  startReceiver,
  tempDir,
  UNSAFE_PATHS,
  type TestReceiver,
} from '../helpers.js';
import type { Decision, IncomingOffer } from '../../main/core/model/transport.js';

type Json = Record<string, unknown>;
type Snapshot = Record<string, string>;

// ---- one receiver serves every case; a hook lets a case take over the decision ----

type Decide = (o: IncomingOffer, s: AbortSignal) => Promise<Decision>;
let decideHook: Decide | null = null;
let sharedRx: Promise<TestReceiver> | null = null;
function rx(): Promise<TestReceiver> {
  sharedRx ??= startReceiver({
    decide: (o, s) => {
      const hook = decideHook;
      decideHook = null;
      return hook ? hook(o, s) : Promise.resolve({ accept: true });
    },
  });
  return sharedRx;
}

/** The next offer (only that one) is decided by `hook`; later ones are accepted. */
function decideNextOffer(hook: Decide): void {
  decideHook = hook;
}

let seq = 0;
function uniq(prefix: string): string {
  return `${prefix}-${++seq}`;
}

function md5(b: Buffer): string {
  return createHash('md5').update(b).digest('hex');
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

/** Every session is gone (so nothing is still writing): the moment to look at the disk. */
function settled(r: TestReceiver): Promise<void> {
  return until(() => r.receiver.activeSessions === 0, 'every session has closed');
}

/** The receiver answered with an `error` frame carrying `code`, then closed the connection. */
async function rejectedWith(c: RawClient, code: ErrorCode): Promise<Json> {
  const err = await c.next('error');
  assert.ok(err, `the connection closed without an error frame (wanted ${code}); got ${JSON.stringify(c.messages)}`);
  assert.equal(err.code, code, `error frame: ${JSON.stringify(err).slice(0, 300)}`);
  assert.doesNotThrow(() => validateMessage(err), 'the error frame itself breaks the protocol');
  await within(c.closed, 6000, 'the receiver did not close the connection after its error frame');
  return err;
}

/** What appeared or changed in a folder between two snapshots. */
function changes(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(after)
    .filter((k) => before[k] !== after[k])
    .sort();
}

const probeSrc = tempDir('ferry-probe-src-');

/** A well-behaved sender can still deliver a small file. */
async function stillServes(r: TestReceiver): Promise<void> {
  const name = `${uniq('probe')}.txt`;
  const file = path.join(await probeSrc, name);
  const content = `delivered after a hostile peer: ${name}\n`;
  await fs.writeFile(file, content);
  const result = await within(
    sendFiles({ host: '127.0.0.1', port: r.port, paths: [file], identity: identity('probe'), retries: 0, answerTimeoutMs: 10_000 }),
    15_000,
    'a normal transfer afterwards hung',
  );
  assert.equal(result.ok, true, `a normal transfer failed afterwards: ${JSON.stringify(result.failed)}`);
  assert.equal(await fs.readFile(path.join(r.dir, name), 'utf8'), content);
  await fs.rm(path.join(r.dir, name)); // keeps the folder small, so snapshots stay cheap
}

/**
 * Runs one hostile exchange against a receiver, then checks the download folder: unchanged,
 * or changed only in entries `allowed` accepts (folders and partials a case creates by design).
 */
async function hostile(
  r: TestReceiver,
  attack: (c: RawClient) => Promise<void>,
  allowed: (entry: string) => boolean = () => false,
): Promise<void> {
  await settled(r);
  const before = await snapshot(r.dir);
  const c = await RawClient.connect(r.port);
  try {
    await attack(c);
  } finally {
    c.close();
  }
  await settled(r);
  const unexpected = changes(before, await snapshot(r.dir)).filter((e) => !allowed(e));
  assert.deepEqual(unexpected, [], 'the download folder changed');
  await stillServes(r);
}

// What must never reach a terminal raw: C0/C1 controls, DEL and bidi controls.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

const isPartial = (e: string): boolean => path.posix.basename(e).endsWith(PART_SUFFIX);

function frameOfText(text: string | Buffer): Buffer {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

function prefixOnly(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length >>> 0, 0);
  return b;
}

function sendOffer(c: RawClient, entries: Json[], over: { entryCount?: number; totalBytes?: number } = {}): string {
  const transferId = uniq('t');
  const totalBytes = over.totalBytes ?? entries.reduce((n, e) => n + (typeof e.size === 'number' ? e.size : 0), 0);
  c.send({ type: 'offer', transferId, entryCount: over.entryCount ?? entries.length, totalBytes });
  c.send({ type: 'files', entries });
  return transferId;
}

async function accepted(c: RawClient, entries: Json[]): Promise<void> {
  await c.handshake();
  sendOffer(c, entries);
  const answer = await c.next('answer');
  assert.equal(answer?.accept, true, `the offer was not accepted: ${JSON.stringify(answer ?? c.messages)}`);
}

function sendData(c: RawClient, file: number, offset: number, body: Buffer, length = body.length): void {
  c.sendRaw(Buffer.concat([encodeFrame({ type: 'data', file, offset, length }), body]));
}

const HELLO: Json = helloOf(RAW_CLIENT, { deviceName: 'raw', appVersion: 't' });

// ---- malformed frames, before and after hello ----

const BAD_FRAMES: Array<[string, Buffer, ErrorCode]> = [
  ['a length prefix of 0', prefixOnly(0), 'BAD_FRAME'],
  ['a length prefix of 0xFFFFFFFF', prefixOnly(0xffffffff), 'BAD_FRAME'],
  ['a header one byte over the 64 KiB cap', Buffer.concat([prefixOnly(MAX_HEADER_BYTES + 1), Buffer.alloc(1000, 0x20)]), 'BAD_FRAME'],
  ['a header that is not UTF-8', frameOfText(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 'BAD_JSON'],
  ['a header that is not JSON', frameOfText('{"type":"hello",'), 'BAD_JSON'],
  ['a header that is a JSON array', frameOfText(JSON.stringify([HELLO])), 'BAD_JSON'],
  ['a header that is JSON null', frameOfText('null'), 'BAD_JSON'],
  ['a header without a type', encodeFrame({ protocol: '1.0' }), 'BAD_MESSAGE'],
  ['a header of an unknown type', encodeFrame({ type: 'shell', cmd: 'rm -rf /' }), 'UNKNOWN_TYPE'],
];

for (const [what, bytes, code] of BAD_FRAMES) {
  test(`${what} as the first frame is ${code}; nothing is written and the receiver keeps serving`, async () => {
    await hostile(await rx(), async (c) => {
      c.sendRaw(bytes);
      await rejectedWith(c, code);
    });
  });
  test(`${what} after hello is ${code}; nothing is written and the receiver keeps serving`, async () => {
    await hostile(await rx(), async (c) => {
      await c.handshake();
      c.sendRaw(bytes);
      await rejectedWith(c, code);
    });
  });
}

test('a header over the cap is refused from its length prefix alone, before the header arrives', async () => {
  await hostile(await rx(), async (c) => {
    c.sendRaw(prefixOnly(MAX_HEADER_BYTES + 1));
    await rejectedWith(c, 'BAD_FRAME');
  });
});

test('malformed frames in the middle of an accepted transfer are refused and write no final file', async () => {
  const r = await rx();
  for (const [, bytes, code] of BAD_FRAMES) {
    const name = `${uniq('midway')}.bin`;
    await hostile(
      r,
      async (c) => {
        await accepted(c, [{ path: name, size: 10, mtime: 0 }]);
        sendData(c, 0, 0, Buffer.alloc(4, 1));
        c.sendRaw(bytes);
        await rejectedWith(c, code);
      },
      isPartial,
    );
    await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
  }
});

// ---- hello ----

test('hello with fields of the wrong type is BAD_MESSAGE', async () => {
  const r = await rx();
  const variants: Json[] = [
    { ...HELLO, protocol: 1 },
    { ...HELLO, deviceId: 42 },
    { ...HELLO, deviceId: 'AB'.repeat(32) },
    { ...HELLO, deviceName: ['x'] },
    { ...HELLO, deviceName: 'n'.repeat(65) },
    { ...HELLO, platform: null },
    { ...HELLO, appVersion: undefined },
  ];
  for (const hello of variants) {
    await hostile(r, async (c) => {
      c.send(hello);
      await rejectedWith(c, 'BAD_MESSAGE');
    });
  }
});

test('hello with protocol 2.0 is UNSUPPORTED_VERSION', async () => {
  await hostile(await rx(), async (c) => {
    c.send({ ...HELLO, protocol: '2.0' });
    await rejectedWith(c, 'UNSUPPORTED_VERSION');
    assert.equal(
      c.messages.some((m) => m.type === 'hello'),
      false,
      'the receiver greeted a peer it cannot speak to',
    );
  });
});

test('an offer before hello is UNEXPECTED_MESSAGE', async () => {
  await hostile(await rx(), async (c) => {
    sendOffer(c, [{ path: 'early.txt', size: 1, mtime: 0 }]);
    await rejectedWith(c, 'UNEXPECTED_MESSAGE');
  });
});

test('a second hello is UNEXPECTED_MESSAGE', async () => {
  await hostile(await rx(), async (c) => {
    await c.handshake();
    c.send(HELLO);
    await rejectedWith(c, 'UNEXPECTED_MESSAGE');
  });
});

// ---- data before acceptance ----

test('data right after hello, before any offer, is UNEXPECTED_MESSAGE and writes nothing', async () => {
  await hostile(await rx(), async (c) => {
    await c.handshake();
    sendData(c, 0, 0, Buffer.from('sneaky bytes'));
    await rejectedWith(c, 'UNEXPECTED_MESSAGE');
  });
});

test('data between the offer and its file list is UNEXPECTED_MESSAGE and writes nothing', async () => {
  await hostile(await rx(), async (c) => {
    await c.handshake();
    c.send({ type: 'offer', transferId: uniq('t'), entryCount: 1, totalBytes: 5 });
    sendData(c, 0, 0, Buffer.from('hello'));
    await rejectedWith(c, 'UNEXPECTED_MESSAGE');
  });
});

test('data while the receiver is still deciding is UNEXPECTED_MESSAGE, abandons the decision and writes nothing', async () => {
  const r = await rx();
  let signal: AbortSignal | null = null;
  let decide!: (d: Decision) => void;
  decideNextOffer((_o, s) => {
    signal = s;
    return new Promise((resolve) => (decide = resolve));
  });
  try {
    await hostile(r, async (c) => {
      await c.handshake();
      const offers = r.offers.length;
      sendOffer(c, [
        { path: 'undecided.txt', size: 5, mtime: 0 },
        { path: 'undecided-dir', dir: true },
      ]);
      await until(() => r.offers.length > offers, 'the receiver is asked to decide');
      sendData(c, 0, 0, Buffer.from('early'));
      await rejectedWith(c, 'UNEXPECTED_MESSAGE');
      assert.equal(signal?.aborted, true, 'the pending decision was not abandoned');
      // The person says yes after all: too late, nothing may happen.
      decide({ accept: true });
      await sleep(50);
      assert.equal(
        c.messages.some((m) => m.type === 'answer'),
        false,
      );
    });
  } finally {
    decideHook = null;
  }
});

test('file data for an offer the receiver declined is refused and writes nothing', async () => {
  const r = await rx();
  decideNextOffer(async () => ({ accept: false, message: 'no thanks' }));
  try {
    await hostile(r, async (c) => {
      await c.handshake();
      sendOffer(c, [{ path: 'declined.txt', size: 5, mtime: 0 }]);
      sendData(c, 0, 0, Buffer.from('pushy'));
      c.send({ type: 'file-end', file: 0, md5: md5(Buffer.from('pushy')) });
      // Sent before the answer arrives: it lands while deciding, so the refusal may be
      // either the error frame or the declining answer; either way nothing is written.
      const reply = await c.next();
      assert.ok(reply && (reply.type === 'error' || (reply.type === 'answer' && reply.accept === false)), JSON.stringify(reply));
      await within(c.closed, 6000, 'the connection stays open');
    });
  } finally {
    decideHook = null;
  }
});

// ---- the offer's file list ----

async function offerRejected(entries: Json[], code: ErrorCode, over: { entryCount?: number; totalBytes?: number } = {}): Promise<void> {
  const r = await rx();
  let transferId = '';
  await hostile(r, async (c) => {
    await c.handshake();
    transferId = sendOffer(c, entries, over);
    await rejectedWith(c, code);
  });
  assert.equal(
    r.offers.some((o) => o.transferId === transferId),
    false,
    'a bad offer reached the person deciding',
  );
}

test('a files frame with more entries than the offer announced is BAD_MESSAGE', async () => {
  await offerRejected(
    [
      { path: 'one.txt', size: 1, mtime: 0 },
      { path: 'two.txt', size: 1, mtime: 0 },
    ],
    'BAD_MESSAGE',
    { entryCount: 1, totalBytes: 2 },
  );
});

test('a second files frame that overflows the announced entry count is BAD_MESSAGE', async () => {
  await hostile(await rx(), async (c) => {
    await c.handshake();
    c.send({ type: 'offer', transferId: uniq('t'), entryCount: 2, totalBytes: 3 });
    c.send({ type: 'files', entries: [{ path: 'one.txt', size: 1, mtime: 0 }] });
    c.send({
      type: 'files',
      entries: [
        { path: 'two.txt', size: 1, mtime: 0 },
        { path: 'three.txt', size: 1, mtime: 0 },
      ],
    });
    await rejectedWith(c, 'BAD_MESSAGE');
  });
});

test('an offer whose totalBytes does not match its files is BAD_MESSAGE', async () => {
  await offerRejected([{ path: 'a.txt', size: 10, mtime: 0 }], 'BAD_MESSAGE', { totalBytes: 9 });
  await offerRejected([{ path: 'a.txt', size: 10, mtime: 0 }], 'BAD_MESSAGE', { totalBytes: 11 });
});

test('duplicate paths, including NFC/NFD twins, are BAD_MESSAGE', async () => {
  await offerRejected(
    [
      { path: 'same.txt', size: 1, mtime: 0 },
      { path: 'same.txt', size: 1, mtime: 1 },
    ],
    'BAD_MESSAGE',
  );
  await offerRejected(
    [
      { path: 'Zo\u00eb.txt', size: 1, mtime: 0 },
      { path: 'Zoe\u0308.txt', size: 1, mtime: 0 },
    ],
    'BAD_MESSAGE',
  );
  await offerRejected(
    [
      { path: 'dir', dir: true },
      { path: 'dir', size: 0, mtime: 0 },
    ],
    'BAD_MESSAGE',
  );
});

test('a path that is both a file and a folder of another entry is BAD_MESSAGE', async () => {
  await offerRejected(
    [
      { path: 'a', size: 1, mtime: 0 },
      { path: 'a/b', size: 1, mtime: 0 },
    ],
    'BAD_MESSAGE',
  );
  await offerRejected(
    [
      { path: 'x/y/z', dir: true },
      { path: 'x/y', size: 0, mtime: 0 },
    ],
    'BAD_MESSAGE',
  );
});

test('every unsafe path in an offer is PATH_UNSAFE, as a file and as a folder', async () => {
  const r = await rx();
  for (const [p, why] of UNSAFE_PATHS) {
    for (const entry of [
      { path: p, size: 1, mtime: 0 },
      { path: p, dir: true },
    ]) {
      await hostile(r, async (c) => {
        await c.handshake();
        sendOffer(c, [{ path: 'innocent.txt', size: 0, mtime: 0 }, entry]);
        const err = await rejectedWith(c, 'PATH_UNSAFE');
        assert.match(String(err.message), /unsafe path/, why);
        assert.doesNotMatch(String(err.message), RAW_CONTROL, `${why}: raw control characters in the error frame`);
      });
    }
  }
  // What the receiver tells its host (and so a terminal or the UI) is sanitised too.
  for (const e of r.events) {
    for (const text of Object.values(e)) {
      if (typeof text === 'string') assert.doesNotMatch(text, RAW_CONTROL, `raw control characters in ${JSON.stringify(e)}`);
    }
  }
});

test('a size that is not a safe non-negative integer is BAD_MESSAGE', async () => {
  const r = await rx();
  const sizes = ['"10"', '-1', '1.5', '9007199254740992', '1e400', 'null', String(MAX_SIZE + 2)];
  for (const size of sizes) {
    await hostile(r, async (c) => {
      await c.handshake();
      c.send({ type: 'offer', transferId: uniq('t'), entryCount: 1, totalBytes: 0 });
      c.sendRaw(frameOfText(`{"type":"files","entries":[{"path":"sized.bin","size":${size},"mtime":0}]}`));
      const err = await rejectedWith(c, 'BAD_MESSAGE');
      assert.match(String(err.message), /size/, `size ${size}`);
    });
  }
});

// ---- after acceptance ----

test('data for a folder entry is BAD_MESSAGE and writes no file', async () => {
  const r = await rx();
  const dir = uniq('folder');
  await hostile(
    r,
    async (c) => {
      await accepted(c, [
        { path: dir, dir: true },
        { path: `${dir}/f.txt`, size: 3, mtime: 0 },
      ]);
      sendData(c, 0, 0, Buffer.from('abc'));
      await rejectedWith(c, 'BAD_MESSAGE');
    },
    (e) => e === dir, // the accepted offer's folder is created by design
  );
});

test('data for an index beyond the file list is BAD_MESSAGE', async () => {
  await hostile(await rx(), async (c) => {
    await accepted(c, [{ path: `${uniq('only')}.txt`, size: 3, mtime: 0 }]);
    sendData(c, 7, 0, Buffer.from('abc'));
    await rejectedWith(c, 'BAD_MESSAGE');
  });
});

test('data that starts past 0 without a resume point is BAD_MESSAGE', async () => {
  await hostile(await rx(), async (c) => {
    await accepted(c, [{ path: `${uniq('gap')}.txt`, size: 10, mtime: 0 }]);
    sendData(c, 0, 5, Buffer.from('fghij'));
    await rejectedWith(c, 'BAD_MESSAGE');
  });
});

test('data with a gap or overlap inside a file is BAD_MESSAGE and leaves no final file', async () => {
  const r = await rx();
  for (const second of [6, 4]) {
    const name = `${uniq('holes')}.txt`;
    await hostile(
      r,
      async (c) => {
        await accepted(c, [{ path: name, size: 10, mtime: 0 }]);
        sendData(c, 0, 0, Buffer.from('abcde'));
        sendData(c, 0, second, Buffer.from('xyz'));
        await rejectedWith(c, 'BAD_MESSAGE');
      },
      isPartial,
    );
    await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
  }
});

test('a data frame longer than the file is BAD_MESSAGE and writes nothing', async () => {
  const r = await rx();
  const name = `${uniq('overflow')}.txt`;
  await hostile(r, async (c) => {
    await accepted(c, [{ path: name, size: 10, mtime: 0 }]);
    sendData(c, 0, 0, Buffer.alloc(20, 0x41));
    await rejectedWith(c, 'BAD_MESSAGE');
  });
});

test('more bytes than declared across several frames is BAD_MESSAGE; at most a partial remains, never the final name', async () => {
  const r = await rx();
  const name = `${uniq('overflow-big')}.bin`;
  const size = 300 * 1024; // large enough to be written as it streams
  await hostile(
    r,
    async (c) => {
      await accepted(c, [{ path: name, size, mtime: 0 }]);
      sendData(c, 0, 0, Buffer.alloc(200 * 1024, 1));
      sendData(c, 0, 200 * 1024, Buffer.alloc(200 * 1024, 2));
      await rejectedWith(c, 'BAD_MESSAGE');
    },
    isPartial,
  );
  await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
});

test('file-end before all declared bytes arrived is BAD_MESSAGE; at most a partial remains, never the final name', async () => {
  const r = await rx();
  for (const [size, sent] of [
    [10, 5],
    [300 * 1024, 100 * 1024],
    [10, 0],
  ] as const) {
    const name = `${uniq('short')}.bin`;
    await hostile(
      r,
      async (c) => {
        await accepted(c, [{ path: name, size, mtime: 0 }]);
        const body = Buffer.alloc(sent, 3);
        if (sent > 0) sendData(c, 0, 0, body);
        c.send({ type: 'file-end', file: 0, md5: md5(body) });
        await rejectedWith(c, 'BAD_MESSAGE');
      },
      isPartial,
    );
    await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' }, `${sent} of ${size} bytes`);
  }
});

test('end while a file is still open is BAD_MESSAGE and leaves no final file', async () => {
  const r = await rx();
  const name = `${uniq('unfinished')}.txt`;
  await hostile(
    r,
    async (c) => {
      await accepted(c, [{ path: name, size: 10, mtime: 0 }]);
      sendData(c, 0, 0, Buffer.from('abcde'));
      c.send({ type: 'end' });
      await rejectedWith(c, 'BAD_MESSAGE');
    },
    isPartial,
  );
  await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
});

test('data for a second file before the first one ended is UNEXPECTED_MESSAGE', async () => {
  const r = await rx();
  const a = `${uniq('first')}.txt`;
  const b = `${uniq('second')}.txt`;
  await hostile(
    r,
    async (c) => {
      await accepted(c, [
        { path: a, size: 4, mtime: 0 },
        { path: b, size: 4, mtime: 0 },
      ]);
      sendData(c, 0, 0, Buffer.from('ab'));
      sendData(c, 1, 0, Buffer.from('cd'));
      await rejectedWith(c, 'UNEXPECTED_MESSAGE');
    },
    isPartial,
  );
  for (const n of [a, b]) await assert.rejects(fs.lstat(path.join(r.dir, n)), { code: 'ENOENT' });
});

test('a file-end with the wrong md5 gets a CHECKSUM_MISMATCH verdict and no file is kept', async () => {
  const r = await rx();
  const name = `${uniq('corrupt')}.txt`;
  const body = Buffer.from('the real content');
  await hostile(r, async (c) => {
    await accepted(c, [{ path: name, size: body.length, mtime: 0 }]);
    sendData(c, 0, 0, body);
    c.send({ type: 'file-end', file: 0, md5: md5(Buffer.from('something else')) });
    const verdict = await c.next('verdict');
    assert.equal(verdict?.ok, false, JSON.stringify(verdict));
    assert.equal(verdict?.code, 'CHECKSUM_MISMATCH');
    assert.equal(verdict?.file, 0);
    await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
    c.send({ type: 'end' });
    assert.equal((await c.next('end'))?.type, 'end');
    await within(c.closed, 6000, 'the receiver did not close after end');
  });
  await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
});

test('data for a file that is already verified is UNEXPECTED_MESSAGE and does not touch it', async () => {
  const r = await rx();
  const name = `${uniq('done')}.txt`;
  const body = Buffer.from('final');
  await hostile(
    r,
    async (c) => {
      await accepted(c, [{ path: name, size: body.length, mtime: 0 }]);
      sendData(c, 0, 0, body);
      c.send({ type: 'file-end', file: 0, md5: md5(body) });
      assert.equal((await c.next('verdict'))?.ok, true);
      sendData(c, 0, 0, Buffer.from('EVIL!'));
      await rejectedWith(c, 'UNEXPECTED_MESSAGE');
    },
    (e) => e === name, // verified before the hostile frame: kept by design
  );
  assert.equal(await fs.readFile(path.join(r.dir, name), 'utf8'), 'final');
});

// ---- stalls and timeouts ----

let slowRx: Promise<TestReceiver> | null = null;
function timeoutRx(): Promise<TestReceiver> {
  slowRx ??= startReceiver({ handshakeTimeoutMs: 300, idleTimeoutMs: 300 });
  return slowRx;
}

async function timedOut(c: RawClient): Promise<number> {
  const started = Date.now();
  await rejectedWith(c, 'TIMEOUT');
  return Date.now() - started;
}

test('a connection that never says hello is closed with TIMEOUT after the handshake timeout', async () => {
  await hostile(await timeoutRx(), async (c) => {
    const ms = await timedOut(c);
    assert.ok(ms < 3000, `closed after ${ms} ms`);
  });
});

test('half a hello header, then silence, is closed with TIMEOUT', async () => {
  await hostile(await timeoutRx(), async (c) => {
    const frame = encodeFrame(HELLO);
    c.sendRaw(frame.subarray(0, frame.length >> 1));
    const ms = await timedOut(c);
    assert.ok(ms < 3000, `closed after ${ms} ms`);
  });
});

test('a hello dripped one byte at a time, slower than the handshake timeout, is closed with TIMEOUT', async () => {
  await hostile(await timeoutRx(), async (c) => {
    const frame = encodeFrame(HELLO);
    let i = 0;
    const drip = setInterval(() => {
      if (i < frame.length && !c.socket.destroyed) c.sendRaw(frame.subarray(i, ++i));
    }, 20);
    try {
      const ms = await timedOut(c);
      assert.ok(ms < 3000, `closed after ${ms} ms`);
      assert.ok(i < frame.length, 'the whole hello got through');
    } finally {
      clearInterval(drip);
    }
  });
});

test('a connection that stalls mid-header after hello is closed with TIMEOUT (idle timeout)', async () => {
  await hostile(await timeoutRx(), async (c) => {
    await c.handshake();
    const frame = encodeFrame({ type: 'offer', transferId: 'stall', entryCount: 1, totalBytes: 1 });
    c.sendRaw(frame.subarray(0, 10));
    const ms = await timedOut(c);
    assert.ok(ms < 3000, `closed after ${ms} ms`);
  });
});

test('a connection that stalls mid-body of an accepted file is closed with TIMEOUT, leaving at most a partial', async () => {
  const r = await timeoutRx();
  const name = `${uniq('stalled')}.bin`;
  await hostile(
    r,
    async (c) => {
      await accepted(c, [{ path: name, size: 1000, mtime: 0 }]);
      c.sendRaw(Buffer.concat([encodeFrame({ type: 'data', file: 0, offset: 0, length: 1000 }), Buffer.alloc(400)]));
      const ms = await timedOut(c);
      assert.ok(ms < 3000, `closed after ${ms} ms`);
    },
    isPartial,
  );
  await assert.rejects(fs.lstat(path.join(r.dir, name)), { code: 'ENOENT' });
});

test('a header dripped byte by byte is cut off by the header timeout although bytes keep arriving', async () => {
  // The receiver builds its Connection with the default header timeout (10 s); the
  // mechanism is checked on a Connection of its own with a short one.
  const server = net.createServer();
  const port = await listenForTest(server);
  const closedWith = new Promise<FerryError | null>((resolve) =>
    server.once('connection', (s) => {
      const messages: unknown[] = [];
      new Connection(
        s,
        { message: (m) => messages.push(m), body: () => {}, closed: resolve },
        { headerTimeoutMs: 300, idleTimeoutMs: 10_000 },
      );
    }),
  );
  const c = await RawClient.connectPlain(port);
  const frame = encodeFrame({ ...HELLO, deviceName: 'd'.repeat(60) });
  let i = 0;
  const drip = setInterval(() => {
    if (i < frame.length && !c.socket.destroyed) c.sendRaw(frame.subarray(i, ++i));
  }, 10);
  try {
    const started = Date.now();
    const err = await within(closedWith, 3000, 'the dripping peer was not cut off');
    assert.equal(err?.code, 'TIMEOUT');
    assert.equal((await c.next('error'))?.code, 'TIMEOUT');
    assert.ok(Date.now() - started < 2000);
    assert.ok(i < frame.length, 'the header completed before the timeout');
  } finally {
    clearInterval(drip);
    c.close();
  }
});

// ---- connection caps ----

test('with maxPerAddress 2, a third connection is closed before any TLS work while the first two stay usable', async () => {
  const r = await startReceiver({ maxPerAddress: 2 });
  const first = await RawClient.connect(r.port);
  const second = await RawClient.connect(r.port);
  onCleanup(() => (first.close(), second.close()));
  await first.handshake();
  await second.handshake();

  // Over the cap the receiver spends no handshake on it: the TCP connection is dropped.
  await assert.rejects(RawClient.connect(r.port), /socket disconnected|ECONNRESET|socket hang up/);

  // The first delivers a file, the second says a plain goodbye.
  const body = Buffer.from('through the first connection');
  sendOffer(first, [{ path: 'capped.txt', size: body.length, mtime: 0 }]);
  assert.equal((await first.next('answer'))?.accept, true);
  sendData(first, 0, 0, body);
  first.send({ type: 'file-end', file: 0, md5: md5(body) });
  assert.equal((await first.next('verdict'))?.ok, true);
  first.send({ type: 'end' });
  assert.equal((await first.next('end'))?.type, 'end');
  second.send({ type: 'end' });
  assert.equal((await second.next('end'))?.type, 'end');
  await within(Promise.all([first.closed, second.closed]), 6000, 'the receiver kept the connections open');
  assert.equal(await fs.readFile(path.join(r.dir, 'capped.txt'), 'utf8'), body.toString());

  await settled(r);
  await stillServes(r);
});

test('50 idle connections that never start TLS fill the caps, are dropped or timed out, and a real transfer then gets through', async () => {
  const r = await startReceiver({ maxConnections: 8, maxPerAddress: 8, handshakeTimeoutMs: 400 });
  // Half-open from the receiver's point of view: TCP is up, no TLS handshake ever starts.
  const idle = await Promise.all(Array.from({ length: 50 }, () => RawClient.connectPlain(r.port)));
  onCleanup(() => idle.forEach((c) => c.close()));
  await until(() => r.receiver.openConnections === 8, 'the caps are full');

  // A real sender arrives while every slot is taken: refused at first, it retries.
  const src = await tempDir('ferry-flood-src-');
  const file = path.join(src, 'through-the-flood.txt');
  await fs.writeFile(file, 'made it');
  const sent = sendFiles({ host: '127.0.0.1', port: r.port, paths: [file], identity: identity('real'), retries: 10, backoffMs: 100 });

  // Those over the cap are dropped at once, the others when their handshake times out.
  await within(Promise.all(idle.map((c) => c.closed)), 6000, 'an idle connection stayed open');
  assert.ok(
    idle.every((c) => c.messages.length === 0),
    'nothing was said to a peer that never did TLS',
  );

  const result = await within(sent, 15_000, 'the real transfer did not get through');
  assert.equal(result.ok, true);
  assert.equal(await fs.readFile(path.join(r.dir, 'through-the-flood.txt'), 'utf8'), 'made it');
  await settled(r);
  assert.deepEqual(await snapshot(r.dir), { 'through-the-flood.txt': md5(Buffer.from('made it')) });
  assert.equal(r.receiver.openConnections, 0);
});

test('2,000 half-open connections from 250 addresses never hold more than the cap, and a real transfer gets through', async () => {
  const r = await startReceiver({ handshakeTimeoutMs: 400 });
  // Loopback is a /8: each address stands for another host on the network.
  const open = (i: number): Promise<net.Socket | null> =>
    new Promise((resolve) => {
      const s = net.connect({ port: r.port, host: '127.0.0.1', localAddress: `127.0.${1 + (i % 250)}.${1 + Math.floor(i / 250)}` });
      s.on('error', () => resolve(null));
      s.on('connect', () => resolve(s));
    });
  let peak = 0;
  const watch = setInterval(() => (peak = Math.max(peak, r.receiver.openConnections)), 2);
  onCleanup(() => clearInterval(watch));
  const sockets: net.Socket[] = [];
  for (let i = 0; i < 2000; i += 100) {
    const batch = await Promise.all(Array.from({ length: 100 }, (_, k) => open(i + k)));
    for (const s of batch) if (s) sockets.push(s);
  }
  onCleanup(() => sockets.forEach((s) => s.destroy()));
  const src = await tempDir('ferry-flood-src-');
  const file = path.join(src, 'through-2000.txt');
  await fs.writeFile(file, 'made it again');
  const result = await within(
    sendFiles({ host: '127.0.0.1', port: r.port, paths: [file], identity: identity('real'), retries: 10, backoffMs: 100 }),
    20_000,
    'the real transfer did not get through',
  );
  clearInterval(watch);
  assert.equal(result.ok, true);
  assert.ok(peak <= 128, `held ${peak} connections at once`);
  assert.ok(peak >= 100, `the flood never reached the cap (peak ${peak}): the test did not test anything`);
  await until(() => r.receiver.openConnections === 0, 'every flood connection is gone', 10_000);
});

test('TLS connections that never say hello are closed with TIMEOUT, and the slots come back', async () => {
  const r = await startReceiver({ maxConnections: 8, maxPerAddress: 8, handshakeTimeoutMs: 400 });
  const idle = await Promise.all(Array.from({ length: 8 }, () => RawClient.connect(r.port)));
  onCleanup(() => idle.forEach((c) => c.close()));
  const codes = await Promise.all(idle.map(async (c) => (await c.next('error'))?.code));
  assert.deepEqual(new Set(codes), new Set(['TIMEOUT']));
  await within(Promise.all(idle.map((c) => c.closed)), 6000, 'an idle connection stayed open');
  await stillServes(r);
});

test('a TLS record that does not decrypt ends the connection within seconds, even from a peer that stays silent, and frees its slot', async () => {
  const r = await startReceiver({ maxConnections: 16, maxPerAddress: 16 });
  // Garbage application data right after the handshake, written under TLS on the raw socket:
  // it fails the record's integrity check (bad record mac). Half the peers then go silent
  // without reading (an attacker holding slots); the rest close on the receiver's alert.
  const garbage = Buffer.concat([Buffer.from([0x17, 0x03, 0x03, 0x00, 0x20]), randomBytes(32)]);
  const peers = await Promise.all(
    Array.from(
      { length: 16 },
      (_, i) =>
        new Promise<{ raw: net.Socket; closed: Promise<void> }>((resolve, reject) => {
          const raw = net.connect(r.port, '127.0.0.1');
          const t = tls.connect({ socket: raw, ...clientTlsOptions(RAW_CLIENT.tls) });
          t.on('error', () => {});
          raw.on('error', () => {});
          const closed = new Promise<void>((done) => raw.once('close', () => done()));
          t.once('secureConnect', () => {
            if (i % 2 === 0) raw.pause(); // the silent ones never read the alert
            raw.write(garbage);
            resolve({ raw, closed });
          });
          t.once('error', reject);
        }),
    ),
  );
  onCleanup(() => peers.forEach((p) => p.raw.destroy()));
  const started = Date.now();
  await until(() => r.receiver.openConnections === 0, 'the receiver closed every corrupted connection', 4000);
  assert.ok(Date.now() - started < 3500);
  await within(Promise.all(peers.filter((_, i) => i % 2 === 1).map((p) => p.closed)), 4000, 'a peer that read the alert was left open');
  await stillServes(r);
});

test('a 1.1 sender is told what arrived and which files cannot land; a 1.0 sender gets neither message', async () => {
  const r = await rx();
  const blocker = uniq('blocker');
  await fs.writeFile(path.join(r.dir, blocker), 'in the way');
  const body = Buffer.alloc(300_000, 9);
  const entries = [
    { path: `${blocker}/lost.txt`, size: 5, mtime: 0 },
    { path: `${uniq('ok')}.bin`, size: body.length, mtime: 0 },
  ];
  for (const protocol of ['1.1', '1.0']) {
    await hostile(
      r,
      async (c) => {
        c.send(helloOf(RAW_CLIENT, { protocol }));
        await c.next('hello');
        sendOffer(c, entries);
        const answer = await c.next('answer');
        assert.equal(answer?.accept, true);
        if (protocol === '1.1') {
          assert.equal(answer.refusedCount, 1, JSON.stringify(answer));
          const refusal = await c.next('verdict');
          assert.deepEqual([refusal?.file, refusal?.ok, refusal?.code], [0, false, 'PATH_UNSAFE']);
          assert.doesNotThrow(() => validateMessage(refusal!));
        } else {
          assert.equal('refusedCount' in answer, false, JSON.stringify(answer));
        }
        // Slowly enough that the receiver's reports (every 200 ms) have data to report.
        for (let off = 0; off < body.length; off += 100_000) {
          sendData(c, 1, off, body.subarray(off, off + 100_000));
          await sleep(120);
        }
        c.send({ type: 'file-end', file: 1, md5: md5(body) });
        assert.equal((await c.next('verdict'))?.ok, true);
        if (protocol === '1.0') {
          // The blocked file is only refused once sent, as 1.0 says.
          sendData(c, 0, 0, Buffer.alloc(5));
          c.send({ type: 'file-end', file: 0, md5: md5(Buffer.alloc(5)) });
          const late = await c.next('verdict');
          assert.deepEqual([late?.file, late?.ok, late?.code], [0, false, 'PATH_UNSAFE']);
        }
        c.send({ type: 'end' });
        assert.ok(await c.next('end'), `no end: ${JSON.stringify(c.messages)}`);
        const reports = c.messages.filter((m) => m.type === 'received').map((m) => m.bytes as number);
        if (protocol === '1.1') {
          assert.ok(reports.length >= 1, 'no received message');
          assert.ok(
            reports.every((n, i) => n <= body.length && n >= (reports[i - 1] ?? 0)),
            JSON.stringify(reports),
          );
        } else {
          assert.deepEqual(reports, []);
        }
      },
      (e) => e.startsWith(entries[1]!.path),
    );
    await fs.rm(path.join(r.dir, entries[1]!.path));
  }
});

// ---- symlinks planted in the download folder ----

test('a symlink planted where a received folder goes is never followed: PATH_UNSAFE, nothing written through it', async () => {
  const r = await rx();
  const outside = await tempDir('ferry-outside-');
  const folder = uniq('photos');
  await fs.symlink(outside, path.join(r.dir, folder));
  const body = Buffer.from('a photo');
  await hostile(
    r,
    async (c) => {
      // No folder entry: the file's parent is only reached when the file is placed.
      await c.handshake();
      sendOffer(c, [{ path: `${folder}/a.jpg`, size: body.length, mtime: 0 }]);
      const reply = await c.next();
      if (reply?.type === 'answer') {
        assert.equal(reply.accept, true);
        sendData(c, 0, 0, body);
        c.send({ type: 'file-end', file: 0, md5: md5(body) });
        const outcome = await c.next();
        assert.ok(outcome?.type === 'verdict' || outcome?.type === 'error', JSON.stringify(outcome));
        assert.equal(outcome.code, 'PATH_UNSAFE', JSON.stringify(outcome));
        assert.doesNotThrow(() => validateMessage(outcome));
      } else {
        assert.equal(reply?.type, 'error', JSON.stringify(reply));
        assert.equal(reply.code, 'PATH_UNSAFE');
      }
    },
    isPartial,
  );
  assert.deepEqual(await snapshot(outside), {}, 'something was written through the planted symlink');
  assert.equal((await fs.lstat(path.join(r.dir, folder))).isSymbolicLink(), true);
});

test('a file planted where a deep received folder goes fails that file with a PATH_UNSAFE verdict that still fits the protocol', async () => {
  const r = await rx();
  // Four real folders with long names, then a plain file where the fifth folder should be:
  // the verdict quotes a path of over 1024 characters.
  const folders = Array.from({ length: 4 }, (_, i) => `${uniq('deep')}-${String(i).repeat(240)}`);
  const blocker = `blocker-${'b'.repeat(240)}`;
  await fs.mkdir(path.join(r.dir, ...folders), { recursive: true });
  await fs.writeFile(path.join(r.dir, ...folders, blocker), 'in the way');
  const wirePath = [...folders, blocker, 'f.txt'].join('/');
  const body = Buffer.from('content');
  await hostile(r, async (c) => {
    await accepted(c, [{ path: wirePath, size: body.length, mtime: 0 }]);
    sendData(c, 0, 0, body);
    c.send({ type: 'file-end', file: 0, md5: md5(body) });
    const verdict = await c.next('verdict');
    assert.equal(verdict?.ok, false, JSON.stringify(verdict));
    assert.equal(verdict?.code, 'PATH_UNSAFE');
    assert.doesNotThrow(() => validateMessage(verdict), 'the verdict itself breaks the protocol');
    c.send({ type: 'end' });
    await c.next('end');
  });
  assert.equal(await fs.readFile(path.join(r.dir, ...folders, blocker), 'utf8'), 'in the way');
});

test('a symlinked folder also stops a real sender sending that folder, and nothing lands behind it', async () => {
  const r = await rx();
  const outside = await tempDir('ferry-outside-');
  const src = await tempDir('ferry-src-');
  const folder = uniq('album');
  await fs.mkdir(path.join(src, folder));
  await fs.writeFile(path.join(src, folder, 'small.jpg'), 'small');
  await fs.writeFile(path.join(src, folder, 'large.bin'), Buffer.alloc(600 * 1024, 7));
  await fs.symlink(outside, path.join(r.dir, folder));
  let failed: boolean;
  try {
    const result = await sendFiles({ host: '127.0.0.1', port: r.port, paths: [path.join(src, folder)], identity: identity(), retries: 0 });
    failed = !result.ok;
    assert.ok(
      result.failed.every((f) => f.code === 'PATH_UNSAFE'),
      JSON.stringify(result.failed),
    );
  } catch (err) {
    failed = true;
    assert.equal((err as FerryError).code, 'PATH_UNSAFE', String(err));
  }
  assert.equal(failed, true, 'the transfer reported success through a symlink');
  await settled(r);
  assert.deepEqual(await snapshot(outside), {}, 'something was written through the planted symlink');
  await stillServes(r);
});

test('a symlink planted at the final file name is left alone: the file is saved as "name (1).ext"', async () => {
  const r = await rx();
  const outside = await tempDir('ferry-outside-');
  const target = path.join(outside, 'target.txt');
  await fs.writeFile(target, 'original');
  const src = await tempDir('ferry-src-');
  const stem = uniq('report');
  await fs.writeFile(path.join(src, `${stem}.txt`), 'received');
  await fs.symlink(target, path.join(r.dir, `${stem}.txt`));
  // A dangling link too: creating its target would be writing outside.
  await fs.writeFile(path.join(src, `${stem}-b.txt`), 'received b');
  await fs.symlink(path.join(outside, 'missing.txt'), path.join(r.dir, `${stem}-b.txt`));

  const result = await sendFiles({
    host: '127.0.0.1',
    port: r.port,
    paths: [path.join(src, `${stem}.txt`), path.join(src, `${stem}-b.txt`)],
    identity: identity(),
    retries: 0,
  });
  assert.equal(result.ok, true, JSON.stringify(result.failed));
  assert.equal(await fs.readFile(path.join(r.dir, `${stem} (1).txt`), 'utf8'), 'received');
  assert.equal(await fs.readFile(path.join(r.dir, `${stem}-b (1).txt`), 'utf8'), 'received b');
  assert.equal(await fs.readFile(target, 'utf8'), 'original');
  assert.deepEqual(await snapshot(outside), { 'target.txt': md5(Buffer.from('original')) });
  assert.equal(await fs.readlink(path.join(r.dir, `${stem}.txt`)), target);
});

test('a failure verdict never tells the sender where the download folder is', async () => {
  const r = await rx();
  const body = Buffer.from('deep');
  // A valid wire path, but with the folder in front it exceeds what the OS allows.
  const c = await RawClient.connect(r.port);
  try {
    await accepted(c, [{ path: LONG_PATH_4096, size: body.length, mtime: 0 }]);
    sendData(c, 0, 0, body);
    c.send({ type: 'file-end', file: 0, md5: md5(body) });
    const verdict = await c.next('verdict');
    assert.equal(verdict?.ok, false);
    assert.ok(verdict?.message, 'the verdict says why');
    assert.equal(String(verdict?.message).includes(r.dir), false, String(verdict?.message));
    assert.equal(JSON.stringify(c.messages).includes(r.dir), false);
  } finally {
    c.close();
  }
});

test('a hard link planted at the final file name is left alone: the file is saved as "name (1).ext"', async () => {
  const r = await rx();
  const outside = await tempDir('ferry-outside-');
  const victim = path.join(outside, 'victim.txt');
  await fs.writeFile(victim, 'original');
  const stem = uniq('linked');
  // Same file system needed for a hard link: the victim is linked into the download folder.
  const inDir = path.join(r.dir, `${stem}.txt`);
  await fs.link(victim, inDir).catch(async () => fs.copyFile(victim, inDir));
  const src = await tempDir('ferry-src-');
  await fs.writeFile(path.join(src, `${stem}.txt`), 'received');
  const result = await sendFiles({
    host: '127.0.0.1',
    port: r.port,
    paths: [path.join(src, `${stem}.txt`)],
    identity: identity(),
    retries: 0,
  });
  assert.equal(result.ok, true, JSON.stringify(result.failed));
  assert.equal(await fs.readFile(path.join(r.dir, `${stem} (1).txt`), 'utf8'), 'received');
  assert.equal(await fs.readFile(victim, 'utf8'), 'original');
  assert.equal(await fs.readFile(inDir, 'utf8'), 'original');
});

test('NFD and case variants of an existing file never overwrite it: saved under another name', async () => {
  const r = await rx();
  const folder = uniq('variants');
  await fs.mkdir(path.join(r.dir, folder));
  const existing = path.join(r.dir, folder, 'Caf\u00e9.txt'); // NFC
  await fs.writeFile(existing, 'the original');
  const src = await tempDir('ferry-src-');
  await fs.mkdir(path.join(src, folder));
  await fs.writeFile(path.join(src, folder, 'Cafe\u0301.txt'), 'NFD twin'); // NFD
  await fs.writeFile(path.join(src, folder, 'CAF\u00c9.txt'), 'upper-case twin');
  const result = await sendFiles({ host: '127.0.0.1', port: r.port, paths: [path.join(src, folder)], identity: identity(), retries: 0 });
  assert.equal(result.ok, true, JSON.stringify(result.failed));
  assert.equal(await fs.readFile(existing, 'utf8'), 'the original');
  // The NFD name is stored in NFC, meets the existing file and is numbered.
  assert.equal(await fs.readFile(path.join(r.dir, folder, 'Caf\u00e9 (1).txt'), 'utf8'), 'NFD twin');
  // On a case-sensitive volume the upper-case name is a different file; on a case-insensitive
  // one it would collide and be numbered. Either way the original is untouched (checked above).
  const names = (await fs.readdir(path.join(r.dir, folder))).map((n) => n.normalize('NFC')).sort();
  assert.equal(names.length, 3);
  assert.ok(names.includes('CAF\u00c9.txt') || names.includes('CAF\u00c9 (1).txt'), names.join(', '));
});

test('a symlink or hard link planted at the temporary name is replaced, never written through', async () => {
  const r = await rx();
  const outside = await tempDir('ferry-outside-');
  const victim = path.join(outside, 'victim.txt');
  const linked = path.join(r.dir, `${uniq('victim')}.txt`);
  await fs.writeFile(victim, 'precious');
  await fs.writeFile(linked, 'also precious');
  const id = identity('planter');
  for (const plant of ['symlink', 'hardlink'] as const) {
    const name = `${uniq('planted')}.bin`;
    const body = Buffer.alloc(300 * 1024, 9); // large: written while streaming
    const part = path.join(r.dir, partName(id.deviceId, name, body.length, 0));
    if (plant === 'symlink') await fs.symlink(victim, part);
    else await fs.link(linked, part);
    const c = await RawClient.connect(r.port, '127.0.0.1', id);
    try {
      await c.handshake();
      sendOffer(c, [{ path: name, size: body.length, mtime: 0 }]);
      const answer = await c.next('answer');
      assert.equal(answer?.accept, true);
      assert.equal(answer?.resumeCount, 0, 'a planted link was offered as a partial to resume');
      sendData(c, 0, 0, body);
      c.send({ type: 'file-end', file: 0, md5: md5(body) });
      assert.equal((await c.next('verdict'))?.ok, true);
      c.send({ type: 'end' });
      await c.next('end');
    } finally {
      c.close();
    }
    assert.deepEqual(await fs.readFile(path.join(r.dir, name)), body);
  }
  await settled(r);
  assert.equal(await fs.readFile(victim, 'utf8'), 'precious');
  assert.equal(await fs.readFile(linked, 'utf8'), 'also precious');
});
