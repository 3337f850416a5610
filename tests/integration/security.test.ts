// TLS identities, trust and the shared-secret proof, against a real receiver and a real
// sender on loopback: who may claim which device id, what a stranger without the secret can
// reach (nothing past hello), and what a sender refuses to send to.

import assert from 'node:assert/strict';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as tls from 'node:tls';
import { FerryError, type ErrorCode } from '../../main/core/errors.js';
import { encodeFrame, FrameDecoder } from '../../main/core/protocol/frame.js';
import { AuthBackoff } from '../../main/core/security/auth-backoff.js';
import { fingerprintOfPem } from '../../main/core/security/certificate.js';
import { generateSecret, parseSecret, proofFor } from '../../main/core/security/secret.js';
import { serverTlsOptions } from '../../main/core/security/tls.js';
import { TrustStore } from '../../main/core/store/trust-store.js';
import { verificationCode } from '../../main/core/security/verification-code.js';
import { WaitingOffers } from '../../main/core/security/waiting-offers.js';
import { loadIdentity } from '../../main/core/security/identity.js';
import type { TransferEvent } from '../../main/core/model/events.js';
import type { LocalIdentity } from '../../main/core/security/identity.js';
import { probePeer } from '../../main/core/transfer/probe.js';
import { sendFiles, type SendOptions } from '../../main/core/transfer/sender.js';
import {
  helloOf,
  identity,
  listenForTest,
  RawClient,
  snapshot,
  startReceiver,
  tempDir,
  waitUntil,
  type TestReceiver,
  rejectsWith,
} from '../helpers.js';

const SECRET = Buffer.from('a shared secret long enough to use');

async function oneFile(content = 'hello over TLS'): Promise<string> {
  const dir = await tempDir('ferry-sec-src-');
  const file = path.join(dir, 'note.txt');
  await fs.writeFile(file, content);
  return file;
}

function send(r: { port: number }, paths: string[], extra: Partial<SendOptions> = {}) {
  const events: TransferEvent[] = [];
  const result = sendFiles({
    host: '127.0.0.1',
    port: r.port,
    paths,
    identity: identity('sender'),
    retries: 0,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, events };
}

async function errorFrom(c: RawClient, code: ErrorCode): Promise<Record<string, unknown>> {
  const err = await c.next('error');
  assert.ok(err, `closed without an error frame; got ${JSON.stringify(c.messages)}`);
  assert.equal(err.code, code, JSON.stringify(err));
  await c.closed;
  return err;
}

function trustOf(...pins: Array<{ id: string; name: string }>) {
  return {
    isTrusted: (id: string) => pins.some((p) => p.id === id),
    changedIdentity: (id: string, name: string) => {
      if (pins.some((p) => p.id === id)) return null;
      const p = pins.find((x) => x.name.toLowerCase() === name.toLowerCase());
      return p ? { ...p, addedAt: 0 } : null;
    },
  };
}

/** A TLS server with a real device certificate that answers a sender as `script` says. */
async function fakeReceiver(
  me: LocalIdentity,
  script: (msg: Record<string, unknown>, reply: (m: object) => void, socket: tls.TLSSocket) => void,
): Promise<{ port: number; received: Array<Record<string, unknown>>; connections: number }> {
  const received: Array<Record<string, unknown>> = [];
  const fake = { port: 0, received, connections: 0 };
  const server = tls.createServer(serverTlsOptions(me.tls, 5000), (s) => {
    fake.connections++;
    s.on('error', () => {});
    const decoder = new FrameDecoder({
      header: (h) => {
        received.push(h);
        script(h, (m) => s.write(encodeFrame(m)), s);
        return h.type === 'data' && typeof h.length === 'number' ? h.length : 0;
      },
      body: () => {},
      bodyEnd: () => {},
    });
    s.on('data', (c: Buffer) => decoder.push(c));
  });
  fake.port = await listenForTest(server);
  return fake;
}

describe('device identity', () => {
  test('is made once, kept, and its id is the SHA-256 of the certificate; the key is private to the user', async () => {
    const dir = await tempDir('ferry-config-');
    const first = await loadIdentity(dir, 'Ada');
    const again = await loadIdentity(dir);
    assert.equal(again.deviceId, first.deviceId);
    assert.equal(again.tls.cert, first.tls.cert);
    const der = new X509Certificate(await fs.readFile(path.join(dir, 'device-cert.pem'))).raw;
    assert.equal(first.deviceId, createHash('sha256').update(der).digest('hex'));
    assert.equal((await fs.stat(path.join(dir, 'device-key.pem'))).mode & 0o777, 0o600);
    assert.equal(first.deviceName, 'Ada');
  });

  test('a key that does not belong to the certificate is refused with BAD_CONFIG, nothing replaced', async () => {
    const dir = await tempDir('ferry-config-');
    await loadIdentity(dir);
    const other = identity('other');
    await fs.writeFile(path.join(dir, 'device-key.pem'), other.tls.key);
    const before = await snapshot(dir);
    await rejectsWith(loadIdentity(dir), 'BAD_CONFIG');
    await fs.writeFile(path.join(dir, 'device-key.pem'), 'garbage');
    await rejectsWith(loadIdentity(dir), 'BAD_CONFIG');
    await fs.rm(path.join(dir, 'device-key.pem'));
    await rejectsWith(loadIdentity(dir), 'BAD_CONFIG');
    assert.deepEqual(
      Object.keys(await snapshot(dir)).sort(),
      Object.keys(before)
        .filter((k) => k !== 'device-key.pem')
        .sort(),
    );
  });
});

describe('TLS and the certificate check', () => {
  test('a sender whose certificate is not the device id it claims is refused: a trusted id cannot be borrowed', async () => {
    const trusted = identity('trusted laptop');
    const r = await startReceiver({ trust: trustOf({ id: trusted.deviceId, name: 'trusted laptop' }) });
    const c = await RawClient.connect(r.port); // presents RAW_CLIENT's certificate
    c.send(helloOf(trusted));
    const err = await errorFrom(c, 'IDENTITY_MISMATCH');
    assert.match(String(err.message), /certificate does not belong/);
    assert.equal(
      c.messages.some((m) => m.type === 'hello'),
      false,
      'the receiver greeted an impostor',
    );
    assert.equal(r.offers.length, 0);
  });

  test('a client without a certificate gets IDENTITY_MISMATCH', async () => {
    const r = await startReceiver();
    const s = tls.connect({ port: r.port, host: '127.0.0.1', rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    await new Promise<void>((res, rej) => (s.once('secureConnect', res), s.once('error', rej)));
    const frames: Array<Record<string, unknown>> = [];
    const decoder = new FrameDecoder({ header: (h) => (frames.push(h), 0), body: () => {}, bodyEnd: () => {} });
    s.on('data', (c: Buffer) => decoder.push(c));
    s.write(encodeFrame(helloOf(identity('no cert'))));
    await new Promise((res) => s.on('close', res));
    assert.equal(frames[0]?.code, 'IDENTITY_MISMATCH');
    assert.match(String(frames[0]?.message), /no certificate/);
  });

  test('TLS 1.2 is refused at the handshake', async () => {
    const r = await startReceiver();
    const me = identity('old client');
    const s = tls.connect({
      port: r.port,
      host: '127.0.0.1',
      key: me.tls.key,
      cert: me.tls.cert,
      rejectUnauthorized: false,
      maxVersion: 'TLSv1.2',
    });
    const err = await new Promise<Error>((res) => {
      s.once('error', res);
      s.once('secureConnect', () => res(new Error('handshake succeeded')));
    });
    assert.match(err.message, /protocol version|unsupported|alert/i);
  });

  test('plain-text frames (no TLS) get nothing back and the receiver keeps serving', async () => {
    const r = await startReceiver();
    const c = await RawClient.connectPlain(r.port);
    c.send(helloOf(identity('plain')));
    await c.closed;
    assert.deepEqual(c.messages, []);
    const { result } = send(r, [await oneFile()]);
    assert.equal((await result).ok, true);
  });

  test('the file data itself crosses the wire encrypted', async () => {
    const r = await startReceiver();
    const marker = `PLAINTEXT-MARKER-${randomBytes(8).toString('hex')}`;
    const seen: Buffer[] = [];
    const proxy = net.createServer((client) => {
      const up = net.connect(r.port, '127.0.0.1');
      client.on('data', (d: Buffer) => (seen.push(d), up.write(d)));
      up.pipe(client);
      client.on('error', () => up.destroy());
      up.on('error', () => client.destroy());
      client.on('close', () => up.destroy());
    });
    const proxyPort = await listenForTest(proxy);
    const file = await oneFile(marker.repeat(100));
    const { result } = send({ port: proxyPort }, [file]);
    assert.equal((await result).ok, true);
    const wire = Buffer.concat(seen);
    assert.ok(wire.length > 2000);
    assert.equal(wire.includes(marker), false, 'file content visible on the wire');
    assert.equal(wire.includes('"type":"offer"'), false, 'frames visible on the wire');
  });

  test('a receiver whose certificate is not the id in its hello is refused; no offer is sent', async () => {
    const real = identity('real receiver');
    const fake = await fakeReceiver(identity('impostor'), (m, reply) => {
      if (m.type === 'hello') reply(helloOf(real));
    });
    const { result } = send(fake, [await oneFile()]);
    await rejectsWith(result, 'IDENTITY_MISMATCH');
    assert.deepEqual(
      fake.received.map((m) => m.type).filter((t) => t !== 'error'),
      ['hello'],
    );
  });

  test('a sender that expects one device and reaches another sends nothing (IDENTITY_CHANGED)', async () => {
    const r = await startReceiver();
    const { result } = send(r, [await oneFile()], { expectDeviceId: identity('someone else').deviceId });
    const err = await rejectsWith(result, 'IDENTITY_CHANGED');
    assert.match(err.message, /nothing was sent/);
    assert.equal(r.offers.length, 0);
  });

  test('both sides show the same verification code, derived from both certificates', async () => {
    const r = await startReceiver();
    const me = identity('coder');
    const { result, events } = send(r, [await oneFile()], { identity: me });
    assert.equal((await result).ok, true);
    const connected = events.find((e) => e.event === 'connected');
    assert.ok(connected?.event === 'connected');
    const offer = r.offers[0]!;
    assert.match(offer.peer.verificationCode, /^\d{3} \d{3}$/);
    assert.equal(connected.peer.verificationCode, offer.peer.verificationCode);
    assert.equal(offer.peer.verificationCode, verificationCode(me.deviceId, r.identity.deviceId));
    assert.equal(connected.peer.deviceId, r.identity.deviceId);
  });
});

describe('probe', () => {
  test("a probe learns a receiver's checked identity and leaves no transfer behind", async () => {
    const r = await startReceiver({ identity: identity('probed box') });
    const found = await probePeer('127.0.0.1', r.port, identity('prober'), AbortSignal.timeout(5000));
    assert.deepEqual(found, { deviceId: r.identity.deviceId, deviceName: 'probed box', platform: process.platform });
    assert.equal(r.offers.length, 0);
  });

  test('a probe of something that is not a Ferry receiver, or of an impostor, finds nothing', async () => {
    const plain = net.createServer((s) => s.end('HTTP/1.0 200 OK\r\n\r\n'));
    assert.equal(await probePeer('127.0.0.1', await listenForTest(plain), identity('p'), AbortSignal.timeout(5000)), null);
    const someone = identity('someone');
    const liar = await fakeReceiver(identity('liar'), (m, reply) => m.type === 'hello' && reply(helloOf(someone)));
    assert.equal(await probePeer('127.0.0.1', liar.port, identity('p'), AbortSignal.timeout(5000)), null);
  });
});

describe('trust', () => {
  test('a pinned sender is flagged trusted; another device using a trusted name is flagged as an identity change', async () => {
    const pinned = identity('Ada laptop');
    const r = await startReceiver({ trust: trustOf({ id: pinned.deviceId, name: 'Ada laptop' }) });
    assert.equal((await send(r, [await oneFile()], { identity: pinned }).result).ok, true);
    const impostor = identity('ada LAPTOP');
    assert.equal((await send(r, [await oneFile('second')], { identity: impostor }).result).ok, true);
    assert.equal(r.offers[0]!.peer.trusted, true);
    assert.equal(r.offers[0]!.peer.identityChangedFrom, null);
    assert.equal(r.offers[1]!.peer.trusted, false);
    assert.equal(r.offers[1]!.peer.identityChangedFrom, pinned.deviceId);
  });

  test('a sender refuses a receiver that has the name of a trusted device but another certificate', async () => {
    const r = await startReceiver({ identity: identity('NAS') });
    const before = identity('NAS');
    const { result } = send(r, [await oneFile()], { trust: trustOf({ id: before.deviceId, name: 'NAS' }) });
    const err = await rejectsWith(result, 'IDENTITY_CHANGED');
    assert.match(err.message, /identity of "NAS" changed/);
    assert.equal(r.offers.length, 0);
  });

  test('the trust store pins, finds and forgets devices, and survives a reload', async () => {
    const dir = await tempDir('ferry-trust-');
    const store = await TrustStore.load(dir);
    const a = identity('A');
    const b = identity('B');
    await store.add(a.deviceId, 'A');
    await store.add(b.deviceId, 'B');
    const again = await TrustStore.load(dir);
    assert.equal(again.isTrusted(a.deviceId), true);
    assert.equal(again.changedIdentity(identity('x').deviceId, 'a')?.id, a.deviceId);
    assert.equal(again.changedIdentity(a.deviceId, 'A'), null);
    assert.deepEqual(
      (await again.remove(a.deviceId.slice(0, 10))).map((d) => d.id),
      [a.deviceId],
    );
    assert.deepEqual(
      (await again.remove('B')).map((d) => d.id),
      [b.deviceId],
    );
    assert.equal((await TrustStore.load(dir)).list().length, 0);
    await rejectsWith(again.add('not-an-id', 'x'), 'BAD_CONFIG');
    await rejectsWith(again.remove('nobody'), 'BAD_CONFIG');
    await fs.writeFile(path.join(dir, 'trusted.json'), '{"devices": 5}');
    await rejectsWith(TrustStore.load(dir), 'BAD_CONFIG');
  });
});

describe('shared secret', () => {
  async function secretReceiver(): Promise<TestReceiver> {
    return startReceiver({ secret: SECRET });
  }

  test('with the same secret on both sides the transfer goes through', async () => {
    const r = await secretReceiver();
    const { result } = send(r, [await oneFile()], { secret: SECRET });
    assert.equal((await result).ok, true);
    assert.equal(r.offers.length, 1);
  });

  test('a wrong secret is AUTH_FAILED on both sides and the receiver never sees an offer', async () => {
    const r = await secretReceiver();
    const { result } = send(r, [await oneFile()], { secret: Buffer.from('another secret, also long enough') });
    await rejectsWith(result, 'AUTH_FAILED');
    await r.waitFor((e) => e.event === 'error' && e.code === 'AUTH_FAILED');
    assert.equal(r.offers.length, 0);
    assert.deepEqual(await snapshot(r.dir), {});
  });

  test('a sender without the secret gets AUTH_REQUIRED; a receiver without one refuses a sender that requires it', async () => {
    const r = await secretReceiver();
    await rejectsWith(send(r, [await oneFile()]).result, 'AUTH_REQUIRED');
    const plain = await startReceiver();
    const { result } = send(plain, [await oneFile()], { secret: SECRET });
    await rejectsWith(result, 'AUTH_REQUIRED');
    assert.equal(plain.offers.length + r.offers.length, 0);
  });

  test("a receiver that does not know the secret cannot pass the sender's check, and learns no file list", async () => {
    const me = identity('fake nas');
    const fake = await fakeReceiver(me, (m, reply) => {
      if (m.type === 'hello') reply(helloOf(me, { auth: 'secret' }));
      if (m.type === 'auth') reply({ type: 'auth', proof: randomBytes(32).toString('hex') });
    });
    await rejectsWith(send(fake, [await oneFile()], { secret: SECRET }).result, 'AUTH_FAILED');
    assert.deepEqual(
      fake.received.map((m) => m.type).filter((t) => t !== 'error'),
      ['hello', 'auth'],
    );
  });

  test('a proof made for another connection is useless: it is bound to the TLS session', async () => {
    const r = await secretReceiver();
    const c = await RawClient.connect(r.port);
    const hello = helloOf(c.identity, { auth: 'secret' });
    c.send(hello);
    const theirs = await c.next('hello');
    assert.equal(theirs?.auth, 'secret');
    // Everything right (nonces, ids, secret) except the keying material of this session.
    const replayed = proofFor(SECRET, 'sender', {
      ekm: randomBytes(32),
      senderNonce: String(hello.nonce),
      receiverNonce: String(theirs.nonce),
      senderId: c.identity.deviceId,
      receiverId: r.identity.deviceId,
    });
    c.send({ type: 'auth', proof: replayed });
    await errorFrom(c, 'AUTH_FAILED');

    // The same computation with this session's keying material is accepted.
    const d = await RawClient.connect(r.port, '127.0.0.1', identity('honest raw'));
    const h2 = helloOf(d.identity, { auth: 'secret' });
    d.send(h2);
    const theirs2 = await d.next('hello');
    const ekm = (d.socket as tls.TLSSocket).exportKeyingMaterial(32, 'EXPORTER-ferry-secret-proof', Buffer.alloc(0));
    const input = {
      ekm,
      senderNonce: String(h2.nonce),
      receiverNonce: String(theirs2!.nonce),
      senderId: d.identity.deviceId,
      receiverId: r.identity.deviceId,
    };
    d.send({ type: 'auth', proof: proofFor(SECRET, 'sender', input) });
    const auth = await d.next('auth');
    assert.equal(auth?.proof, proofFor(SECRET, 'receiver', input));
    d.close();
  });

  test('repeated wrong proofs from one address are answered with RATE_LIMITED for a while', async () => {
    const r = await secretReceiver();
    const wrong = Buffer.from('wrong wrong wrong wrong wrong');
    await rejectsWith(send(r, [await oneFile()], { secret: wrong }).result, 'AUTH_FAILED');
    await rejectsWith(send(r, [await oneFile()], { secret: wrong }).result, 'AUTH_FAILED');
    // Even the right secret has to wait now: the address is backing off.
    const err = await rejectsWith(send(r, [await oneFile()], { secret: SECRET }).result, 'RATE_LIMITED');
    assert.match(err.message, /try again in 1 s/);
    await new Promise((res) => setTimeout(res, 1100));
    assert.equal((await send(r, [await oneFile()], { secret: SECRET }).result).ok, true);
  });

  test('the back-off doubles per failure up to five minutes, forgets on success, and stays bounded', () => {
    let now = 0;
    const b = new AuthBackoff(() => now);
    b.failed('10.0.0.1');
    assert.equal(b.waitFor('10.0.0.1'), 0, 'the first mistake is free');
    const waits = [];
    for (let i = 0; i < 12; i++) {
      b.failed('10.0.0.1');
      waits.push(b.waitFor('10.0.0.1'));
    }
    assert.deepEqual(waits.slice(0, 4), [1000, 2000, 4000, 8000]);
    assert.equal(waits.at(-1), 300_000);
    now += 300_000;
    assert.equal(b.waitFor('10.0.0.1'), 0);
    b.succeeded('10.0.0.1');
    b.failed('10.0.0.1');
    assert.equal(b.waitFor('10.0.0.1'), 0, 'success reset the count');
    for (let i = 0; i < 10_000; i++) b.failed(`10.1.${i >> 8}.${i & 255}`);
    assert.ok((b as unknown as { entries: Map<string, unknown> }).entries.size <= 4096);
  });

  test('secrets: generated ones carry 256 bits; short ones are refused', () => {
    const s = generateSecret();
    assert.equal(Buffer.from(s, 'base64url').length, 32);
    assert.notEqual(generateSecret(), s);
    assert.throws(
      () => parseSecret('  short \n'),
      (e: unknown) => e instanceof FerryError && /too short/.test(e.message),
    );
    assert.deepEqual(parseSecret(`  ${'x'.repeat(16)}\n`), Buffer.from('x'.repeat(16)));
  });

  test("the proof and the verification code match PROTOCOL.md's test vectors", () => {
    const input = {
      ekm: Buffer.alloc(32, 0x11),
      senderNonce: 'aa'.repeat(32),
      receiverNonce: 'bb'.repeat(32),
      senderId: 'cc'.repeat(32),
      receiverId: 'dd'.repeat(32),
    };
    const secret = Buffer.from('correct horse battery staple');
    assert.equal(proofFor(secret, 'sender', input), '36ddd821b587ddde3f745e24d5a39d0b4f69cb57763a778e7ec6bf3a77e40c0b');
    assert.equal(proofFor(secret, 'receiver', input), 'cde66a07c489c880e6b7cb78aef3ce178c8dd4cf021aabd72c570a5620cf1dfe');
    assert.equal(verificationCode('cc'.repeat(32), 'dd'.repeat(32)), '234 071');
    assert.equal(verificationCode('dd'.repeat(32), 'cc'.repeat(32)), '234 071');
    assert.equal(fingerprintOfPem(identity('x').tls.cert).length, 64);
  });
});

describe('offers waiting for an answer', () => {
  test('are bounded per device, per address and in all; a slot given back makes room again', () => {
    const w = new WaitingOffers({ perDevice: 2, perAddress: 3, total: 4 });
    const a1 = w.admit({ deviceId: 'a', address: '10.0.0.1' });
    const a2 = w.admit({ deviceId: 'a', address: '10.0.0.1' });
    assert.ok(typeof a1 !== 'string' && typeof a2 !== 'string');
    assert.match(w.admit({ deviceId: 'a', address: '10.0.0.9' }) as string, /2 offers from this device are already waiting/);
    // A fresh identity costs nothing: the address bounds what one host can put on screen.
    const b1 = w.admit({ deviceId: 'b', address: '10.0.0.1' });
    assert.ok(typeof b1 !== 'string');
    assert.match(w.admit({ deviceId: 'c', address: '10.0.0.1' }) as string, /3 offers from this network address/);
    const d1 = w.admit({ deviceId: 'd', address: '10.0.0.2' });
    assert.ok(typeof d1 !== 'string');
    assert.match(w.admit({ deviceId: 'e', address: '10.0.0.3' }) as string, /4 offers are already waiting/);
    assert.equal(w.size, 4);
    a1.release();
    a1.release(); // twice is once
    assert.equal(w.size, 3);
    const again = w.admit({ deviceId: 'a', address: '10.0.0.1' });
    assert.ok(typeof again !== 'string', 'room again after an answer');
    for (const s of [a2, b1, d1, again]) s.release();
    assert.equal(w.size, 0);
  });
});

describe('a hostile receiver', () => {
  const TRANSFER_ID = 'fixed-transfer-id';
  /** A receiver that accepts and then hands the sender the given resume points. */
  async function resumingReceiver(points: unknown[]) {
    const me = identity('liar');
    let offered = 0;
    let expected = 0;
    return fakeReceiver(me, (m, reply) => {
      if (m.type === 'hello') reply(helloOf(me));
      if (m.type === 'offer') expected = Number(m.entryCount);
      if (m.type === 'files') {
        offered += (m.entries as unknown[]).length;
        if (offered < expected) return;
        reply({ type: 'answer', transferId: TRANSFER_ID, accept: true, resumeCount: points.length });
        reply({ type: 'resume', entries: points });
      }
    });
  }

  /** A 1.1 receiver that accepts at once and then says what `after(m)` returns for each frame. */
  async function acceptingReceiver(version: string, answer: object, after: (m: Record<string, unknown>) => object[]) {
    const me = identity('liar 1.1');
    return fakeReceiver(me, (m, reply) => {
      if (m.type === 'hello') reply(helloOf(me, { protocol: version }));
      if (m.type === 'files') reply({ type: 'answer', transferId: TRANSFER_ID, accept: true, resumeCount: 0, ...answer });
      for (const x of after(m)) reply(x);
    });
  }

  for (const [what, version, answer, after, code] of [
    [
      'reports more received data than was sent',
      '1.1',
      {},
      (m: Record<string, unknown>) => (m.type === 'data' ? [{ type: 'received', bytes: 10_000_000 }] : []),
      'BAD_MESSAGE',
    ],
    [
      'reports less received data than it reported before',
      '1.1',
      {},
      (m: Record<string, unknown>) =>
        m.type === 'data'
          ? [
              { type: 'received', bytes: 100 },
              { type: 'received', bytes: 50 },
            ]
          : [],
      'BAD_MESSAGE',
    ],
    [
      'reports received data before it answered',
      '1.1',
      {},
      (m: Record<string, unknown>) => (m.type === 'offer' ? [{ type: 'received', bytes: 0 }] : []),
      'UNEXPECTED_MESSAGE',
    ],
    [
      'sends a 1.1 received message after saying it speaks 1.0',
      '1.0',
      {},
      (m: Record<string, unknown>) => (m.type === 'data' ? [{ type: 'received', bytes: 1 }] : []),
      'UNEXPECTED_MESSAGE',
    ],
    [
      'refuses a file that is not in the offer',
      '1.1',
      { refusedCount: 1 },
      (m: Record<string, unknown>) =>
        m.type === 'files' ? [{ type: 'verdict', file: 7, ok: false, code: 'PATH_UNSAFE', message: 'no' }] : [],
      'BAD_MESSAGE',
    ],
    [
      'sends a successful verdict where a refusal belongs',
      '1.1',
      { refusedCount: 1 },
      (m: Record<string, unknown>) => (m.type === 'files' ? [{ type: 'verdict', file: 0, ok: true }] : []),
      'UNEXPECTED_MESSAGE',
    ],
  ] as const) {
    test(`a receiver that ${what} is refused with ${code}`, async () => {
      const liar = await acceptingReceiver(version, answer, after);
      const { result } = send(liar, [await oneFile('x'.repeat(300_000))], { transferId: TRANSFER_ID });
      await rejectsWith(result, code);
      await waitUntil('the sender said why', () => liar.received.some((m) => m.type === 'error'));
      assert.equal(liar.received.find((m) => m.type === 'error')?.code, code);
    });
  }

  test('a receiver that keeps nothing of what it is sent is not retried for ever', async () => {
    const me = identity('forgetful');
    // Accepts, takes some data, then resets the connection, every time: each attempt sends
    // bytes, none is ever kept (no resume point on the next connection).
    const liar = await fakeReceiver(me, (m, reply, socket) => {
      if (m.type === 'hello') reply(helloOf(me));
      if (m.type === 'files') reply({ type: 'answer', transferId: TRANSFER_ID, accept: true, resumeCount: 0 });
      if (m.type === 'data') socket.destroy();
    });
    const file = await oneFile('y'.repeat(3 * 1024 * 1024));
    const { result, events } = send(liar, [file], { transferId: TRANSFER_ID, retries: 3, backoffMs: 10 });
    const err = await rejectsWith(result, 'CONNECTION_LOST');
    assert.match(err.message, /gave up after 4 attempts over [\d.]+ s\)$/);
    assert.equal(events.filter((e) => e.event === 'retry').length, 3);
    assert.equal(liar.connections, 4);
  });

  for (const [what, point] of [
    ['an offset beyond the file size', { file: 0, offset: 10_000, md5: 'a'.repeat(32) }],
    ['a negative offset', { file: 0, offset: -5, md5: 'a'.repeat(32) }],
    ['a fractional offset', { file: 0, offset: 2.5, md5: 'a'.repeat(32) }],
    ['an offset above 2^53', { file: 0, offset: 2 ** 53 + 2, md5: 'a'.repeat(32) }],
    ['a point for a file that is not in the offer', { file: 7, offset: 1, md5: 'a'.repeat(32) }],
  ] as const) {
    test(`a resume point with ${what} is BAD_MESSAGE and no file data is sent`, async () => {
      const liar = await resumingReceiver([point]);
      const file = await oneFile('0123456789'); // 10 bytes
      const { result } = send(liar, [file], { transferId: TRANSFER_ID });
      await rejectsWith(result, 'BAD_MESSAGE');
      assert.equal(
        liar.received.some((m) => m.type === 'data' || m.type === 'file-end'),
        false,
        'the sender sent file data anyway',
      );
    });
  }
});
