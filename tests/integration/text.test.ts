// Text messages (PROTOCOL.md §5.15) through the real engine on loopback: a real sender and
// receiver, raw peers that lie or break the order, and fake receivers too old to know `text`.
// Every case checks what each side reports and that nothing reaches the download folder.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as tls from 'node:tls';
import { describe, test } from 'node:test';
import type { ErrorCode } from '../../main/core/errors.js';
import type { TransferEvent } from '../../main/core/model/events.js';
import type { Decision, IncomingOffer } from '../../main/core/model/transport.js';
import { encodeFrame, FrameDecoder } from '../../main/core/protocol/frame.js';
import { MAX_TEXT_BYTES } from '../../main/core/protocol/limits.js';
import { validateMessage } from '../../main/core/protocol/messages.js';
import { serverTlsOptions } from '../../main/core/security/tls.js';
import type { LocalIdentity } from '../../main/core/security/identity.js';
import { ferryTransport } from '../../main/core/transfer/ferry-transport.js';
import { sendFiles, type SendOptions } from '../../main/core/transfer/sender.js';
import {
  helloOf,
  identity,
  listenForTest,
  RawClient,
  sleep,
  snapshot,
  startReceiver,
  TcpProxy,
  waitUntil,
  type TestReceiver,
  rejectsWith,
} from '../helpers.js';

type Json = Record<string, unknown>;

const SENDER = identity('text sender');
const SECRET = Buffer.from('a shared secret long enough to use');

function sendText(port: number, text: string, extra: Partial<SendOptions> = {}) {
  const events: TransferEvent[] = [];
  const result = sendFiles({
    host: '127.0.0.1',
    port,
    text,
    identity: SENDER,
    retries: 0,
    backoffMs: 50,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, events };
}

const kinds = (events: readonly TransferEvent[]): string[] => events.map((e) => e.event);
const texts = (r: TestReceiver): string[] => r.events.flatMap((e) => (e.event === 'text' ? [e.text] : []));

/** Every session is gone: the moment to look at the receiver's events and its folder. */
function settled(r: TestReceiver): Promise<void> {
  return waitUntil('every session has closed', () => r.receiver.activeSessions === 0 && r.receiver.openConnections === 0);
}

async function nothingOnDisk(r: TestReceiver): Promise<void> {
  await settled(r);
  assert.deepEqual(await snapshot(r.dir), {}, 'the download folder is not empty');
}

function trustOf(...ids: string[]) {
  return { isTrusted: (id: string) => ids.includes(id), changedIdentity: () => null };
}

// ---- a text delivered ----

describe('a text message', () => {
  test('arrives intact (unicode, newlines, tabs, controls), with its events in order on both sides', async () => {
    const r = await startReceiver();
    const text = 'Hello, Zoë 👋\nsecond line\ttabbed\r\nbell \u0007 escape \u001b[31m bidi \u202e NUL \u0000 end\n';
    const bytes = Buffer.byteLength(text, 'utf8');
    const { result, events } = sendText(r.port, text, { transferId: 'text-intact' });
    const res = await result;
    assert.deepEqual(
      { ok: res.ok, files: res.files, failed: res.failed, bytes: res.bytes, id: res.transferId, peer: res.peer?.deviceId },
      { ok: true, files: 0, failed: [], bytes, id: 'text-intact', peer: r.identity.deviceId },
    );
    assert.equal(res.wireBytes, bytes);
    assert.deepEqual(kinds(events), ['offer', 'connecting', 'connected', 'accepted', 'done']);
    assert.deepEqual(events[0], {
      event: 'offer',
      direction: 'send',
      transferId: 'text-intact',
      peer: null,
      fileCount: 0,
      dirCount: 0,
      totalBytes: bytes,
    });
    const sentDone = events.at(-1)!;
    assert.ok(sentDone.event === 'done' && sentDone.ok && sentDone.files === 0 && sentDone.failed === 0 && sentDone.bytes === bytes);

    await r.waitFor((e) => e.event === 'done');
    await nothingOnDisk(r);
    assert.deepEqual(kinds(r.events), ['listening', 'offer', 'accepted', 'text', 'done']);
    const [offer] = r.offers;
    assert.deepEqual(
      { ...offer!, peer: offer!.peer.deviceId },
      { transferId: 'text-intact', peer: SENDER.deviceId, text, entries: [], fileCount: 0, dirCount: 0, totalBytes: bytes },
    );
    const offered = r.events.find((e) => e.event === 'offer');
    assert.ok(offered?.event === 'offer' && offered.direction === 'receive' && offered.fileCount === 0 && offered.totalBytes === bytes);
    assert.deepEqual(
      r.events.find((e) => e.event === 'text'),
      { event: 'text', direction: 'receive', transferId: 'text-intact', text },
    );
    const done = r.events.find((e) => e.event === 'done');
    assert.ok(done?.event === 'done');
    assert.deepEqual([done.direction, done.ok, done.files, done.failed, done.bytes, done.wireBytes], ['receive', true, 0, 0, bytes, bytes]);
  });

  test('of exactly MAX_TEXT_BYTES bytes arrives intact, with multi-byte characters ending right at the limit', async () => {
    const r = await startReceiver();
    const cases = [
      'a'.repeat(MAX_TEXT_BYTES),
      `${'a'.repeat(MAX_TEXT_BYTES - 4)}😀`, // a 4-byte character as the last bytes
      `${'日'.repeat((MAX_TEXT_BYTES - 1) / 3)}a`, // 3-byte characters up to one byte before it
      'é'.repeat(MAX_TEXT_BYTES / 2),
      `\ufeff${'\n'.repeat(MAX_TEXT_BYTES - 3)}`, // a byte-order mark kept, newlines (six times as long escaped in JSON)
    ];
    for (const text of cases) {
      assert.equal(Buffer.byteLength(text, 'utf8'), MAX_TEXT_BYTES);
      const res = await sendText(r.port, text).result;
      assert.equal(res.bytes, MAX_TEXT_BYTES);
    }
    await settled(r);
    assert.deepEqual(texts(r), cases);
    await nothingOnDisk(r);
  });

  test('one byte over the limit (or empty) is refused before anything connects', async () => {
    const r = await startReceiver();
    for (const [text, code] of [
      ['a'.repeat(MAX_TEXT_BYTES + 1), 'LIMIT_EXCEEDED'],
      [`${'a'.repeat(MAX_TEXT_BYTES - 3)}😀`, 'LIMIT_EXCEEDED'], // 65537 bytes in 65535 UTF-16 units
      ['é'.repeat(MAX_TEXT_BYTES / 2 + 1), 'LIMIT_EXCEEDED'],
      ['', 'BAD_MESSAGE'],
    ] as const) {
      const { result, events } = sendText(r.port, text);
      const err = await rejectsWith(result, code);
      if (code === 'LIMIT_EXCEEDED') assert.match(err.message, /at most 65536/);
      assert.deepEqual(events, []);
    }
    assert.equal(r.receiver.openConnections, 0);
    assert.deepEqual(kinds(r.events), ['listening']);
  });

  test('declined: the sender rejects with DECLINED, not retried; the receiver shows nothing', async () => {
    const r = await startReceiver({ decide: async () => ({ accept: false, message: 'not now, thanks' }) });
    const { result, events } = sendText(r.port, 'secret plans', { retries: 3 });
    const err = await rejectsWith(result, 'DECLINED');
    assert.match(err.message, /not now, thanks/);
    assert.deepEqual(kinds(events), ['offer', 'connecting', 'connected', 'declined']);
    await settled(r);
    assert.deepEqual(kinds(r.events), ['listening', 'offer', 'declined']);
    assert.equal(r.offers.length, 1, 'asked once, not again by a retry');
    await nothingOnDisk(r);
  });

  test('a decision that fails is a decline with INTERNAL', async () => {
    const r = await startReceiver({
      decide: async () => {
        throw new Error('the prompt broke');
      },
    });
    const err = await rejectsWith(sendText(r.port, 'hi').result, 'DECLINED');
    assert.match(err.message, /could not decide: the prompt broke/);
    await settled(r);
    const declined = r.events.find((e) => e.event === 'declined');
    assert.ok(declined?.event === 'declined' && declined.code === 'INTERNAL');
  });

  test('from a trusted device is decided on with the trusted flag (accepted without asking by that policy)', async () => {
    const r = await startReceiver({
      trust: trustOf(SENDER.deviceId),
      decide: async (o) => (o.peer.trusted ? { accept: true } : { accept: false, message: 'only trusted devices' }),
    });
    await sendText(r.port, 'from a friend').result;
    assert.equal(r.offers[0]?.peer.trusted, true);
    const stranger = await startReceiver({
      trust: trustOf('f'.repeat(64)),
      decide: async (o) => (o.peer.trusted ? { accept: true } : { accept: false }),
    });
    await rejectsWith(sendText(stranger.port, 'from a stranger').result, 'DECLINED');
    assert.equal(stranger.offers[0]?.peer.trusted, false);
    await settled(r);
    assert.deepEqual(texts(r), ['from a friend']);
  });

  test('goes through in shared-secret mode; without the secret nothing is offered', async () => {
    const r = await startReceiver({ secret: SECRET });
    await sendText(r.port, 'behind the secret', { secret: SECRET }).result;
    await rejectsWith(sendText(r.port, 'no secret').result, 'AUTH_REQUIRED');
    await rejectsWith(sendText(r.port, 'wrong secret', { secret: Buffer.from('another secret, also long enough') }).result, 'AUTH_FAILED');
    await settled(r);
    assert.deepEqual(texts(r), ['behind the secret']);
    assert.equal(r.offers.length, 1);
  });

  test('goes through the Transport interface (ferryTransport.send with text and an empty source)', async () => {
    const r = await startReceiver();
    const events: TransferEvent[] = [];
    const res = await ferryTransport.send({
      host: '127.0.0.1',
      port: r.port,
      source: { entries: [], locals: [], totalBytes: 0, fileCount: 0, skipped: [] },
      text: 'via the transport',
      transferId: 'via-transport',
      identity: SENDER,
      retries: 0,
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
      secret: null,
      trust: trustOf(),
    });
    assert.deepEqual([res.ok, res.files, res.bytes], [true, 0, 17]);
    await settled(r);
    assert.deepEqual(texts(r), ['via the transport']);
  });

  test('cancelled by the receiver while it waits for a person: CANCELLED on both sides, no text shown', async () => {
    let asked: () => void = () => {};
    const askedP = new Promise<void>((res) => (asked = res));
    let aborted = false;
    const r = await startReceiver({
      decide: (_o, signal) =>
        new Promise<Decision>(() => {
          asked();
          signal.addEventListener('abort', () => (aborted = true));
        }),
    });
    const { result, events } = sendText(r.port, 'wait for it', { transferId: 'cancel-me', retries: 3 });
    await askedP;
    assert.equal(r.receiver.cancelTransfer('cancel-me'), true);
    await rejectsWith(result, 'CANCELLED');
    assert.deepEqual(kinds(events).slice(-1), ['cancelled']);
    await settled(r);
    assert.ok(aborted, 'the pending decision was not aborted');
    assert.deepEqual(texts(r), []);
  });

  test("a connection lost mid-text is retried like a file transfer's, and the text arrives once", async () => {
    const r = await startReceiver();
    // The first connection is cut once a few KiB of the 20 KiB text have passed.
    const proxy = new TcpProxy({ target: r.port, cutAfter: { bytes: 8000, once: true } });
    const port = await proxy.listen();
    const text = randomBytes(10_000).toString('hex');
    const { result, events } = sendText(port, text, { retries: 2 });
    await result;
    assert.equal(proxy.connections, 2);
    assert.deepEqual(
      kinds(events).filter((k) => k !== 'connecting' && k !== 'connected'),
      ['offer', 'retry', 'accepted', 'done'],
    );
    await settled(r);
    assert.deepEqual(texts(r), [text]);
  });

  test("releases the sender's sockets and the receiver's connection once done", async () => {
    const r = await startReceiver();
    const sockets = (): number => process.getActiveResourcesInfo().filter((x) => /TLS|TCPSocket/i.test(x)).length;
    const before = sockets();
    let during = 0;
    await sendText(r.port, 'and then nothing left', { onEvent: (e) => void (e.event === 'connected' && (during = sockets())) }).result;
    assert.ok(during > before, `no socket seen while sending (${before} before, ${during} during)`);
    await settled(r);
    await waitUntil('no socket of the send is left', () => sockets() <= before);
    assert.equal(r.receiver.activeSessions, 0);
  });
});

// ---- receivers too old to know `text` ----

/** A TLS server with a device certificate that answers a sender as `script` says (and records it). */
async function fakeReceiver(me: LocalIdentity, script: (m: Json, reply: (m: object) => void, end: () => void) => void) {
  const fake = { port: 0, received: [] as Json[], connections: 0 };
  const server = tls.createServer(serverTlsOptions(me.tls, 5000), (s) => {
    fake.connections++;
    s.on('error', () => {});
    const decoder = new FrameDecoder({
      header: (h) => {
        fake.received.push(h);
        script(
          h,
          (m) => s.write(encodeFrame(m)),
          () => s.end(),
        );
        // An old receiver knows no body but data's; its decoder has failed by then anyway.
        return h.type === 'data' && typeof h.length === 'number' ? h.length : 0;
      },
      body: () => {},
      bodyEnd: () => {},
    });
    s.on('data', (c: Buffer) => {
      try {
        decoder.push(c);
      } catch {
        s.destroy();
      }
    });
  });
  fake.port = await listenForTest(server);
  return fake;
}

describe('a receiver too old for text messages', () => {
  test('that announced 1.1 is not sent the text: UNSUPPORTED_VERSION at once, no retry, and it is told why', async () => {
    const me = identity('old receiver');
    const old = await fakeReceiver(me, (m, reply) => {
      if (m.type === 'hello') reply(helloOf(me, { protocol: '1.1' }));
    });
    const { result, events } = sendText(old.port, 'are you there?', { retries: 5 });
    const err = await rejectsWith(result, 'UNSUPPORTED_VERSION');
    assert.match(err.message, /^"old receiver" runs a Ferry too old to receive text messages \(update it there\)$/);
    assert.equal(old.connections, 1);
    assert.ok(!kinds(events).includes('retry'));
    assert.deepEqual(kinds(events).slice(-1), ['error']);
    await waitUntil('the old receiver was told why', () => old.received.some((m) => m.type === 'error'));
    assert.deepEqual(
      old.received.map((m) => m.type),
      ['hello', 'error'],
    );
    const told = old.received.find((m) => m.type === 'error')!;
    assert.equal(told.code, 'UNSUPPORTED_VERSION');
    assert.match(String(told.message), /text message.*update Ferry/);
  });

  test('that answers the text with UNKNOWN_TYPE fails the send at once with the same clear error, no retry', async () => {
    const me = identity('older receiver');
    // It says 1.2 but is a 1.1 receiver underneath: what any peer does with a type it does not know.
    const old = await fakeReceiver(me, (m, reply, end) => {
      if (m.type === 'hello') reply(helloOf(me, { protocol: '1.2' }));
      else if (m.type !== 'error') {
        reply({ type: 'error', code: 'UNKNOWN_TYPE', message: `unknown message type "${String(m.type)}"` });
        end();
      }
    });
    const { result, events } = sendText(old.port, 'hello?', { retries: 5 });
    const err = await rejectsWith(result, 'UNSUPPORTED_VERSION');
    assert.match(err.message, /too old to receive text messages/);
    assert.equal(old.connections, 1);
    assert.ok(!kinds(events).includes('retry'));
    assert.deepEqual(
      old.received.map((m) => m.type),
      ['hello', 'text'],
    );
  });

  test('what such a receiver answers to a type it does not know, as every version does: error UNKNOWN_TYPE, then close', async () => {
    // A live receiver given a type from a newer version: what a 1.1 receiver did with `text`.
    const r = await startReceiver();
    const c = await RawClient.connect(r.port);
    c.send(helloOf(c.identity, { protocol: '1.9' }));
    assert.ok(await c.next('hello'));
    c.sendRaw(Buffer.concat([encodeFrame({ type: 'text-v2', transferId: 't', bytes: 3 }), Buffer.from('abc')]));
    await refusedWith(c, 'UNKNOWN_TYPE', /unknown message type "text-v2"/);
    await nothingOnDisk(r);
  });
});

// ---- hostile senders against a real receiver ----

/** A raw client that said hello as a 1.2 sender (or the version given). */
async function greeted(r: TestReceiver, protocol = '1.2'): Promise<RawClient> {
  const c = await RawClient.connect(r.port);
  c.send(helloOf(c.identity, { protocol }));
  assert.ok(await c.next('hello'), 'no hello back');
  return c;
}

/** A text frame: its header, then `body` (the UTF-8 of the text unless given raw). */
function textFrame(transferId: string, body: Buffer | string, header: Json = {}): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([encodeFrame({ type: 'text', transferId, bytes: bytes.length, ...header }), bytes]);
}

async function refusedWith(c: RawClient, code: ErrorCode, message?: RegExp): Promise<Json> {
  const err = await c.next('error');
  assert.ok(err, `closed without an error frame (wanted ${code}); got ${JSON.stringify(c.messages)}`);
  assert.equal(err.code, code, JSON.stringify(err));
  if (message) assert.match(String(err.message), message);
  assert.doesNotThrow(() => validateMessage(err));
  await c.closed;
  return err;
}

describe('a receiver given a hostile text', () => {
  // One receiver for every case; a case may take the next decision over.
  let hook: ((o: IncomingOffer, s: AbortSignal) => Promise<Decision>) | null = null;
  let shared: Promise<TestReceiver> | null = null;
  const rx = (): Promise<TestReceiver> =>
    (shared ??= startReceiver({
      handshakeTimeoutMs: 1500,
      decide: (o, s) => {
        const h = hook;
        hook = null;
        return h ? h(o, s) : Promise.resolve({ accept: true });
      },
    }));
  /**
   * Runs a case; afterwards nothing is on disk, no text was shown (unless the case `shows` one)
   * and a real text still goes through.
   */
  async function hostile(name: string, run: (c: RawClient, r: TestReceiver) => Promise<void>, shows = 0): Promise<void> {
    const r = await rx();
    const shown = texts(r).length;
    const c = await greeted(r);
    await run(c, r);
    await nothingOnDisk(r);
    assert.equal(texts(r).length, shown + shows, `${name}: texts shown`);
    const still = `still served after: ${name}`;
    await sendText(r.port, still).result;
    await settled(r);
    assert.equal(texts(r).at(-1), still);
  }

  for (const [name, header, code] of [
    ['one byte over the limit', { bytes: MAX_TEXT_BYTES + 1 }, 'BAD_MESSAGE'],
    ['empty', { bytes: 0 }, 'BAD_MESSAGE'],
    ['a negative length', { bytes: -1 }, 'BAD_MESSAGE'],
    ['a length as a string', { bytes: '5' }, 'BAD_MESSAGE'],
    ['a fractional length', { bytes: 2.5 }, 'BAD_MESSAGE'],
    ['no length', { bytes: undefined }, 'BAD_MESSAGE'],
    ['the text as a JSON string instead of a body', { bytes: undefined, text: 'hello' }, 'BAD_MESSAGE'],
    ['a numeric transfer id', { transferId: 5 }, 'BAD_MESSAGE'],
    ['a transfer id that is a path', { transferId: '../x' }, 'BAD_MESSAGE'],
  ] as const) {
    test(`with ${name} is refused with ${code} before its body is read`, async () => {
      await hostile(name, async (c, r) => {
        const offers = r.offers.length;
        c.send({ type: 'text', transferId: 'hostile', bytes: 5, ...header });
        c.sendRaw('hello');
        await refusedWith(c, code, /text\./);
        assert.equal(r.offers.length, offers, 'it was decided on');
      });
    });
  }

  test('whose body is not UTF-8 is BAD_MESSAGE, never decided on', async () => {
    await hostile('not UTF-8', async (c, r) => {
      const offers = r.offers.length;
      c.sendRaw(textFrame('bad-utf8', Buffer.from([0x68, 0x69, 0xc3, 0x28, 0xff])));
      await refusedWith(c, 'BAD_MESSAGE', /not valid UTF-8/);
      assert.equal(r.offers.length, offers);
    });
  });

  test('with an unpaired surrogate encoded in its body (CESU) is BAD_MESSAGE', async () => {
    await hostile('a surrogate', async (c) => {
      c.sendRaw(textFrame('surrogate', Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62])));
      await refusedWith(c, 'BAD_MESSAGE', /not valid UTF-8/);
    });
  });

  test('split into many small writes still arrives whole, and the answer ends the connection', async () => {
    await hostile(
      'dripped',
      async (c, r) => {
        const text = 'piece by piece: ünïcödé and 😀';
        const frame = textFrame('dripped', text);
        for (let i = 0; i < frame.length; i += 3) {
          c.sendRaw(frame.subarray(i, i + 3));
          await sleep(1);
        }
        const answer = await c.next('answer');
        assert.deepEqual(answer, { type: 'answer', transferId: 'dripped', accept: true, resumeCount: 0 });
        await c.closed; // the receiver closes after its answer: no `end` exchange
        assert.deepEqual(c.messages, []);
        await waitUntil('the text is shown', () => texts(r).includes(text));
      },
      1,
    );
  });

  test('whose body stalls is cut off with TIMEOUT', async () => {
    await hostile('stalled body', async (c, r) => {
      const offers = r.offers.length;
      const frame = textFrame('stalled', 'x'.repeat(1000));
      c.sendRaw(frame.subarray(0, frame.length - 10));
      // A byte now and then keeps the idle timeout away, not the deadline of the text.
      const drip = setInterval(() => c.sendRaw(frame.subarray(frame.length - 10, frame.length - 9)), 400);
      try {
        await refusedWith(c, 'TIMEOUT', /text message took too long/);
      } finally {
        clearInterval(drip);
      }
      assert.equal(r.offers.length, offers);
    });
  });

  test('from a sender that announced 1.1 is UNEXPECTED_MESSAGE (only a 1.2 sender may send one)', async () => {
    const r = await rx();
    const c = await greeted(r, '1.1');
    c.sendRaw(textFrame('too-early', 'hi'));
    await refusedWith(c, 'UNEXPECTED_MESSAGE', /announced protocol 1\.1/);
    await nothingOnDisk(r);
  });

  test('before hello is UNEXPECTED_MESSAGE', async () => {
    const r = await rx();
    const c = await RawClient.connect(r.port);
    c.sendRaw(textFrame('no-hello', 'hi'));
    await refusedWith(c, 'UNEXPECTED_MESSAGE');
  });

  test('after an offer (while it is decided on, or mid file list) is UNEXPECTED_MESSAGE', async () => {
    await hostile('text after an offer', async (c) => {
      hook = () => new Promise(() => {}); // never decides: the text arrives while deciding
      c.send({ type: 'offer', transferId: 'files-first', entryCount: 1, totalBytes: 1 });
      c.send({ type: 'files', entries: [{ path: 'a.txt', size: 1, mtime: 0 }] });
      await sleep(50);
      c.sendRaw(textFrame('files-first', 'and a text'));
      await refusedWith(c, 'UNEXPECTED_MESSAGE');
    });
    await hostile('text mid file list', async (c) => {
      c.send({ type: 'offer', transferId: 'mid-list', entryCount: 2, totalBytes: 2 });
      c.send({ type: 'files', entries: [{ path: 'a.txt', size: 1, mtime: 0 }] });
      c.sendRaw(textFrame('mid-list', 'and a text'));
      await refusedWith(c, 'UNEXPECTED_MESSAGE', /got text while waiting for the offer's file list/);
    });
  });

  test('after an accepted offer, in the middle of its files, is UNEXPECTED_MESSAGE', async () => {
    await hostile('text while streaming', async (c) => {
      c.send({ type: 'offer', transferId: 'streaming', entryCount: 1, totalBytes: 4 });
      c.send({ type: 'files', entries: [{ path: 'late.txt', size: 4, mtime: 0 }] });
      assert.equal((await c.next('answer'))?.accept, true);
      c.sendRaw(textFrame('streaming', 'hi'));
      await refusedWith(c, 'UNEXPECTED_MESSAGE');
    });
  });

  for (const [name, after] of [
    ['data', Buffer.concat([encodeFrame({ type: 'data', file: 0, offset: 0, length: 5 }), Buffer.from('hello')])],
    ['an offer', encodeFrame({ type: 'offer', transferId: 'second', entryCount: 1, totalBytes: 0 })],
    ['a second text', textFrame('second', 'again')],
    ['end', encodeFrame({ type: 'end' })],
    ['file-end', encodeFrame({ type: 'file-end', file: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' })],
  ] as const) {
    test(`followed by ${name} before the answer is UNEXPECTED_MESSAGE, and the pending decision is withdrawn`, async () => {
      await hostile(`${name} after a text`, async (c) => {
        let aborted: () => void = () => {};
        const withdrawn = new Promise<void>((res) => (aborted = res));
        hook = (_o, signal) =>
          new Promise<Decision>((res) => {
            signal.addEventListener('abort', () => {
              aborted();
              res({ accept: true }); // too late: the connection is gone
            });
          });
        c.sendRaw(textFrame('then-more', 'first the text'));
        await sleep(50);
        c.sendRaw(after);
        await refusedWith(c, 'UNEXPECTED_MESSAGE', /after a text message/);
        await withdrawn;
      });
    });
  }

  test('sent again with the same transfer id after it was taken (its answer lost) is answered yes, not shown twice', async () => {
    const r = await rx();
    const text = `retried ${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 2; i++) {
      const c = await greeted(r);
      c.sendRaw(textFrame('retried-text', text));
      assert.equal((await c.next('answer'))?.accept, true);
      await c.closed;
    }
    await settled(r);
    assert.equal(texts(r).filter((t) => t === text).length, 1);
    assert.equal(r.offers.filter((o) => o.text === text).length, 1);
    // The same id with another text (or from another device) is a new text.
    const c = await greeted(r);
    c.sendRaw(textFrame('retried-text', `${text}, amended`));
    assert.equal((await c.next('answer'))?.accept, true);
    await settled(r);
    assert.ok(texts(r).includes(`${text}, amended`));
  });
});
