// LocalSend discovery (main/core/localsend/discovery*.ts) and its HTTPS client, with real sockets
// on loopback: the client's pinning, mutual TLS and limits against small HTTPS servers of the
// test's own; two LocalSendDiscovery instances finding each other; answers (register, UDP
// fallback, none to `announce: false`); floods; expiry. Every datagram stays on loopback, on a
// multicast group and UDP port of these tests' own.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as https from 'node:https';
import type * as net from 'node:net';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { describe, test } from 'node:test';
import { FerryError } from '../../main/core/errors.js';
import { ownInfo, ownRegisterRequest, validateRegisterRequest } from '../../main/core/localsend/announce.js';
import { LocalSendDiscovery, type LocalSendDiscoveryEvent, type LocalSendDiscoveryOptions } from '../../main/core/localsend/discovery.js';
import { LocalSendPeerTable, type Sighting } from '../../main/core/localsend/discovery-peers.js';
import { registerWith } from '../../main/core/localsend/discovery-register.js';
import { FIRST_CONTACT, localSendRequest, type LocalSendRequest } from '../../main/core/localsend/https-client.js';
import { fingerprintOf } from '../../main/core/security/certificate.js';
import type { LocalIdentity } from '../../main/core/security/identity.js';
import { freeTcpPort, freeUdpPort, identity, listenForTest, onCleanup, sleep, waitUntil } from '../helpers.js';

/** Not LocalSend's 224.0.0.167, so that a LocalSend app on this machine never hears these tests. */
const GROUP = '239.255.53.17';
const REGISTER = '/api/localsend/v2/register';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FerryError, `a FerryError, not ${String(err)}`);
    return `${err.code}: ${err.message}`;
  }
  assert.fail('expected a failure');
}

// ---- HTTPS servers of the tests' own ----

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Fingerprint of the client certificate, null without one. */
  client: string | null;
  alpn: string | false | null;
}

type Handler = (req: Seen, res: { status: number; json?: unknown; text?: string; headers?: Record<string, string> }) => void | 'hang';

/**
 * An HTTPS server with `id`'s certificate. clientCert: 'required' as LocalSend 1.18 (a
 * connection without one is closed), 'requested' (asked, not required), 'none' as 1.17.
 */
async function httpsServer(id: LocalIdentity, clientCert: 'required' | 'requested' | 'none', handle: Handler) {
  const seen: Seen[] = [];
  const server = https.createServer({
    key: id.tls.key,
    cert: id.tls.cert,
    requestCert: clientCert !== 'none',
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  });
  server.on('secureConnection', (s: tls.TLSSocket) => {
    if (clientCert === 'required' && !s.getPeerX509Certificate()) s.destroy();
  });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sock = req.socket as tls.TLSSocket;
      const cert = sock.getPeerX509Certificate();
      const s: Seen = {
        method: req.method!,
        path: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks),
        client: cert ? fingerprintOf(cert.raw) : null,
        alpn: sock.alpnProtocol,
      };
      seen.push(s);
      const out: { status: number; json?: unknown; text?: string; headers?: Record<string, string> } = { status: 200 };
      if (handle(s, out) === 'hang') return;
      const body = out.json !== undefined ? JSON.stringify(out.json) : (out.text ?? '');
      res.writeHead(out.status, { 'content-type': out.json !== undefined ? 'application/json' : 'text/plain', ...out.headers });
      res.end(body);
    });
  });
  const port = await listenForTest(server);
  return { port, seen, server };
}

/** A LocalSend device's register route: records who registered and answers with `id`'s info. */
function answersRegister(id: LocalIdentity, port: () => number, onRegister?: (s: Seen) => void): Handler {
  return (s, out) => {
    if (s.method !== 'POST' || s.path !== REGISTER) return void (out.status = 404);
    onRegister?.(s);
    out.json = ownInfo({ alias: id.deviceName, fingerprint: id.deviceId.toUpperCase(), port: port() });
  };
}

/**
 * A TLS server with `id`'s certificate that speaks no HTTP: it counts TCP connections (open at
 * once, too) and every byte received after a handshake.
 */
async function tlsCounter(id: LocalIdentity) {
  const stats = { connections: 0, open: 0, maxOpen: 0, bytes: 0 };
  const server = tls.createServer({ key: id.tls.key, cert: id.tls.cert, requestCert: true, rejectUnauthorized: false }, (s) => {
    s.on('data', (d: Buffer) => (stats.bytes += d.length));
  });
  server.on('connection', (s: net.Socket) => {
    stats.connections++;
    stats.open++;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    s.on('close', () => stats.open--);
  });
  server.on('tlsClientError', () => {});
  const port = await listenForTest(server);
  return { port, stats };
}

const me = identity('Ferry under test');

function request(
  over: Partial<LocalSendRequest> & { port: number; fingerprint: LocalSendRequest['fingerprint'] },
): Promise<ReturnType<typeof localSendRequest> extends Promise<infer R> ? R : never> {
  return localSendRequest({ host: '127.0.0.1', method: 'POST', path: REGISTER, credentials: me.tls, timeoutMs: 5_000, ...over });
}

describe('LocalSend HTTPS client', () => {
  test('sends JSON with mutual TLS over HTTP/1.1 to a 1.18-style server that requires a client certificate, and reads the JSON answer', async () => {
    const device = identity('phone');
    const srv = await httpsServer(device, 'required', (s, out) => void (out.json = { echo: JSON.parse(s.body.toString()) }));
    const res = await request({ port: srv.port, fingerprint: device.deviceId.toUpperCase(), body: { json: { hello: 'world' } } });
    assert.deepEqual(res, {
      status: 200,
      ok: true,
      json: { echo: { hello: 'world' } },
      text: '{"echo":{"hello":"world"}}',
      serverFingerprint: device.deviceId,
    });
    const [seen] = srv.seen;
    assert.equal(seen!.client, me.deviceId, 'Ferry presented its own certificate');
    assert.equal(seen!.alpn, 'http/1.1');
    assert.equal(seen!.headers['content-type'], 'application/json');
    assert.equal(seen!.headers['content-length'], String('{"hello":"world"}'.length));
  });

  test('refuses a server whose certificate is not the pinned one, before sending a byte', async () => {
    const announced = identity('announced');
    const impostor = await tlsCounter(identity('impostor'));
    const failure = await code(request({ port: impostor.port, fingerprint: announced.deviceId, body: { json: { secret: 1 } } }));
    assert.match(failure, /^IDENTITY_MISMATCH: the device at 127\.0\.0\.1:\d+ is not the one expected/);
    await waitUntil('the impostor saw the connection', () => impostor.stats.connections === 1 && impostor.stats.open === 0);
    assert.equal(impostor.stats.bytes, 0, 'not a byte of the request reached it');
  });

  test('answers a status other than 2xx with the status and body, and follows no redirect', async () => {
    const device = identity('phone');
    const srv = await httpsServer(device, 'none', (s, out) => {
      if (s.path === '/moved') {
        out.status = 302;
        out.headers = { location: '/elsewhere' };
      } else {
        out.status = 403;
        out.json = { message: 'Rejected' };
      }
    });
    const denied = await request({ port: srv.port, fingerprint: device.deviceId });
    assert.deepEqual([denied.status, denied.ok, denied.json], [403, false, { message: 'Rejected' }]);
    const moved = await request({ port: srv.port, fingerprint: device.deviceId, method: 'GET', path: '/moved' });
    assert.equal(moved.status, 302);
    assert.deepEqual(
      srv.seen.map((s) => s.path),
      [REGISTER, '/moved'],
    );
  });

  test('streams a body chunked, without Content-Length, as LocalSend 1.18 uploads', async () => {
    const device = identity('phone');
    const srv = await httpsServer(device, 'required', () => {});
    const data = randomBytes(300_000);
    const res = await request({
      port: srv.port,
      fingerprint: device.deviceId,
      path: '/api/localsend/v2/upload?x=1',
      body: { stream: Readable.from([data.subarray(0, 1000), data.subarray(1000)]) },
    });
    assert.equal(res.status, 200);
    const [seen] = srv.seen;
    assert.equal(seen!.headers['transfer-encoding'], 'chunked');
    assert.equal(seen!.headers['content-length'], undefined);
    assert.ok(seen!.body.equals(data));
  });

  test('caps the answer, and ends on the deadline, on idleness and on abort', async () => {
    const device = identity('phone');
    const srv = await httpsServer(device, 'none', (s, out) => {
      if (s.path === '/big') out.text = 'x'.repeat(200_000);
      else return 'hang';
    });
    assert.match(
      await code(request({ port: srv.port, fingerprint: device.deviceId, path: '/big', maxResponseBytes: 100_000 })),
      /^LIMIT_EXCEEDED: .* more than 100000 bytes/,
    );
    let started = Date.now();
    assert.match(
      await code(request({ port: srv.port, fingerprint: device.deviceId, timeoutMs: 300 })),
      /^TIMEOUT: .* did not answer within 0\.3 s/,
    );
    assert.ok(Date.now() - started < 2_000);
    assert.match(
      await code(request({ port: srv.port, fingerprint: device.deviceId, timeoutMs: undefined, idleTimeoutMs: 300 })),
      /^TIMEOUT: .* sent nothing for 0\.3 s/,
    );
    started = Date.now();
    assert.match(
      await code(request({ port: srv.port, fingerprint: device.deviceId, timeoutMs: undefined, signal: AbortSignal.timeout(200) })),
      /^CANCELLED: /,
    );
    assert.ok(Date.now() - started < 2_000);
    assert.match(await code(request({ port: srv.port, fingerprint: device.deviceId, signal: AbortSignal.abort() })), /^CANCELLED: /);
  });

  test('says when nothing listens, and connects nowhere without a fingerprint to pin', async () => {
    assert.match(
      await code(request({ port: await freeTcpPort(), fingerprint: me.deviceId })),
      /^CONNECT_FAILED: cannot connect: 127\.0\.0\.1:\d+ refused the connection/,
    );
    assert.match(await code(request({ port: 1, fingerprint: 'random-http-token' })), /^BAD_MESSAGE: .*no certificate fingerprint to pin/);
  });

  test('a first contact by address learns the fingerprint, and register checks the answer claims that same one', async () => {
    const device = identity('phone');
    let port = 0;
    const honest = await httpsServer(
      device,
      'required',
      answersRegister(device, () => port),
    );
    port = honest.port;
    const self = ownRegisterRequest({ alias: me.deviceName, fingerprint: me.deviceId, port: 53317 });
    const info = await registerWith({ address: '127.0.0.1', port, fingerprint: FIRST_CONTACT }, self, { credentials: me.tls });
    assert.equal(info.fingerprint, device.deviceId);
    assert.equal(info.alias, 'phone');
    // A server answering with someone else's fingerprint than its certificate's.
    const other = identity('other');
    const liar = await httpsServer(
      device,
      'none',
      answersRegister(other, () => 1),
    );
    assert.match(
      await code(registerWith({ address: '127.0.0.1', port: liar.port, fingerprint: FIRST_CONTACT }, self, { credentials: me.tls })),
      new RegExp(`^IDENTITY_MISMATCH: .* claims the fingerprint ${other.deviceId}, but its certificate's is ${device.deviceId}`),
    );
    const refusing = await httpsServer(device, 'none', (_s, out) => {
      out.status = 404;
      out.text = 'Not found';
    });
    assert.match(
      await code(registerWith({ address: '127.0.0.1', port: refusing.port, fingerprint: device.deviceId }, self, { credentials: me.tls })),
      /^CONNECT_FAILED: .*HTTP 404 \(Not found\)/,
    );
    const garbled = await httpsServer(device, 'none', (_s, out) => void (out.json = { alias: 'x' }));
    assert.match(
      await code(registerWith({ address: '127.0.0.1', port: garbled.port, fingerprint: device.deviceId }, self, { credentials: me.tls })),
      /^BAD_MESSAGE: LocalSend device info: version is missing/,
    );
  });
});

// ---- discovery on loopback ----

async function loopbackMulticast(): Promise<boolean> {
  const port = await freeUdpPort();
  const rx = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const tx = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      rx.once('error', reject);
      rx.bind(port, '0.0.0.0', () => resolve());
    });
    rx.addMembership(GROUP, '127.0.0.1');
    await new Promise<void>((resolve) => tx.bind(0, '127.0.0.1', () => resolve()));
    tx.setMulticastInterface('127.0.0.1');
    const heard = new Promise<boolean>((resolve) => {
      rx.once('message', () => resolve(true));
      setTimeout(() => resolve(false), 1_000).unref();
    });
    tx.send('probe', port, GROUP);
    return await heard;
  } catch {
    return false;
  } finally {
    rx.close();
    tx.close();
  }
}

// In CI a machine without loopback multicast must fail loudly, not pass as skipped.
const multicastSkip =
  (await loopbackMulticast()) || process.env.CI !== undefined ? false : 'multicast over loopback is not available on this machine';

/** The group as a LocalSend device on this machine sees it: sends from ephemeral ports, hears everything sent to the port. */
async function groupPeer(port: number) {
  const heard: Array<{ at: number; json: Record<string, unknown> }> = [];
  const rx = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  rx.on('message', (m) => {
    try {
      heard.push({ at: Date.now(), json: JSON.parse(m.toString()) });
    } catch {
      // a flood's garbage
    }
  });
  await new Promise<void>((r) => rx.bind(port, '0.0.0.0', () => r()));
  rx.addMembership(GROUP, '127.0.0.1');
  const tx = dgram.createSocket('udp4');
  await new Promise<void>((r) => tx.bind(0, '127.0.0.1', () => r()));
  tx.setMulticastInterface('127.0.0.1');
  onCleanup(() => new Promise<void>((r) => rx.close(() => tx.close(() => r()))));
  return {
    heard,
    send: (b: Buffer | string): Promise<void> => new Promise((r) => tx.send(b, port, GROUP, () => r())),
    /** What `fingerprint` sent on the group. */
    from: (fingerprint: string) => heard.filter((h) => h.json.fingerprint === fingerprint).map((h) => h.json),
  };
}

function announcement(id: LocalIdentity, port: number, over: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      ...ownRegisterRequest({ alias: id.deviceName, fingerprint: id.deviceId.toUpperCase(), port }),
      version: '2.2',
      announce: true,
      ...over,
    }),
  );
}

async function instance(udpPort: number, id: LocalIdentity, over: Partial<LocalSendDiscoveryOptions> = {}) {
  const d = new LocalSendDiscovery({ identity: id, port: udpPort, group: GROUP, interfaces: { only: ['loopback'] }, ...over });
  const events: LocalSendDiscoveryEvent[] = [];
  d.onChange((e) => events.push(e));
  await d.start();
  onCleanup(() => d.stop());
  return { d, events };
}

/** A Ferry with its discovery and a register route of the test's own standing in for the LocalSend server. */
async function ferry(udpPort: number, id: LocalIdentity, clientCert: 'required' | 'requested' | 'none') {
  // The server exists before the discovery it reports registrations to.
  const ref: { d?: LocalSendDiscovery } = {};
  let port = 0;
  const srv = await httpsServer(
    id,
    clientCert,
    answersRegister(
      id,
      () => port,
      (s) => {
        const reg = validateRegisterRequest(JSON.parse(s.body.toString()));
        ref.d?.addRegistration(reg, { address: '127.0.0.1', verified: s.client !== null && s.client === reg.fingerprint });
      },
    ),
  );
  port = srv.port;
  const inst = await instance(udpPort, id, { serverPort: port });
  ref.d = inst.d;
  return { ...inst, srv, id };
}

describe('LocalSend discovery on loopback', { skip: multicastSkip, concurrency: true }, () => {
  for (const clientCert of ['required', 'none'] as const) {
    test(`two instances find each other, each proven by a pinned register (server ${clientCert === 'required' ? 'requiring a client certificate, as 1.18' : 'asking none, as 1.17'})`, async () => {
      const udp = await freeUdpPort();
      const a = await ferry(udp, identity('Alice'), clientCert);
      const b = await ferry(udp, identity('Bob'), clientCert);
      await waitUntil(
        // Each registers with the other on hearing its announcement (a later one of the burst, maybe).
        'both list the other as verified, each having registered with the other',
        () => [a, b].every((x) => x.d.peers().length === 1 && x.d.peers()[0]!.verified && x.srv.seen.length > 0),
        5_000,
      );
      const bob = a.d.peers()[0]!;
      assert.deepEqual(
        { ...bob, firstSeen: 0, lastSeen: 0 },
        {
          fingerprint: b.id.deviceId,
          alias: 'Bob',
          deviceType: 'desktop',
          deviceModel: 'Ferry',
          version: '2.1',
          address: '127.0.0.1',
          port: b.srv.port,
          protocol: 'https',
          download: false,
          verified: true,
          firstSeen: 0,
          lastSeen: 0,
        },
      );
      assert.equal(b.d.peers()[0]!.fingerprint, a.id.deviceId);
      assert.ok(a.events.some((e) => e.event === 'peer-added' && e.peer.alias === 'Bob'));
      assert.ok(a.d.snapshot().received.own > 0, 'hears its own announcements, and ignores them');
      // Every register carried Ferry's certificate, whose fingerprint is the body's.
      for (const [x, server] of [
        [a, b.srv],
        [b, a.srv],
      ] as const) {
        const registers = server.seen.filter((s) => s.path === REGISTER);
        assert.ok(registers.length > 0);
        for (const r of registers) {
          assert.equal(r.client, clientCert === 'none' ? null : x.id.deviceId);
          assert.deepEqual(
            JSON.parse(r.body.toString()),
            ownRegisterRequest({ alias: x.id.deviceName, fingerprint: x.id.deviceId, port: x.srv.port }),
          );
        }
      }
    });
  }

  test('announces in a burst at +0.1, +0.6 and +2.6 s, again when made visible and when restarted; hidden, it neither announces nor answers', async () => {
    const udp = await freeUdpPort();
    const group = await groupPeer(udp);
    const id = identity('Burst');
    const started = Date.now();
    const { d } = await instance(udp, id, { serverPort: 40000 });
    await waitUntil('three announcements', () => group.from(id.deviceId).length === 3, 4_000);
    const times = group.heard.filter((h) => h.json.fingerprint === id.deviceId).map((h) => h.at - started);
    // Never early; a busy machine may be late with any of them (the gaps between them then shrink).
    assert.ok(times[0]! >= 80 && times[1]! >= 580 && times[2]! >= 2_580, `sent at ${times.join(', ')} ms`);
    assert.deepEqual(group.from(id.deviceId)[0], {
      ...ownRegisterRequest({ alias: 'Burst', fingerprint: id.deviceId, port: 40000 }),
      announcement: true,
      announce: true,
    });

    d.setVisible(false);
    const device = identity('phone');
    const counter = await tlsCounter(device);
    await group.send(announcement(device, counter.port));
    await waitUntil('the announcement is listed', () => d.peers().length === 1);
    await sleep(300);
    assert.equal(counter.stats.connections, 0, 'no register while hidden');
    assert.equal(group.from(id.deviceId).length, 3, 'no UDP answer while hidden');
    d.setVisible(true);
    await waitUntil('a new burst', () => group.from(id.deviceId).length >= 4, 2_000);

    // Stopped, it forgets everyone; started again, it announces again.
    await d.stop();
    assert.equal(d.peers().length, 0);
    assert.equal(d.snapshot().running, false);
    const before = group.from(id.deviceId).length;
    await d.start();
    await waitUntil('a burst after the restart', () => group.from(id.deviceId).length > before, 2_000);
  });

  test('registers back pinned to the announced fingerprint; an impostor gets no byte, the entry goes and a UDP answer follows', async () => {
    const udp = await freeUdpPort();
    const group = await groupPeer(udp);
    const { d, events } = await instance(udp, me, { serverPort: 40001 });
    const claimed = identity('claimed');
    const impostor = await tlsCounter(identity('impostor'));
    await group.send(announcement(claimed, impostor.port));
    await waitUntil('the UDP answer', () => group.from(me.deviceId).some((j) => j.announce === false), 3_000);
    assert.equal(impostor.stats.connections, 1);
    assert.equal(impostor.stats.bytes, 0, 'the request never left');
    const removed = events.find((e) => e.event === 'peer-removed');
    assert.ok(removed?.event === 'peer-removed' && removed.reason === 'identity-mismatch' && removed.peer.fingerprint === claimed.deviceId);
    assert.equal(d.peers().length, 0);
    assert.match(d.snapshot().registers.lastError?.message ?? '', /is not the one expected/);
  });

  test('falls back to a UDP `announce: false` when the register fails (a 1.17 app), and sends it at once to a plain-HTTP device', async () => {
    const udp = await freeUdpPort();
    const group = await groupPeer(udp);
    const { d } = await instance(udp, me, { serverPort: 40002 });
    const gone = identity('no server');
    await group.send(announcement(gone, await freeTcpPort()));
    await waitUntil('the UDP answer', () => group.from(me.deviceId).some((j) => j.announce === false), 3_000);
    const answer = group.from(me.deviceId).find((j) => j.announce === false)!;
    assert.deepEqual(answer, {
      ...ownRegisterRequest({ alias: me.deviceName, fingerprint: me.deviceId, port: 40002 }),
      announcement: false,
      announce: false,
    });
    assert.equal(d.snapshot().registers.failed, 1);

    const counter = await tlsCounter(identity('http device'));
    await group.send(announcement(identity('http device'), counter.port, { protocol: 'http', fingerprint: 'plain-http-token' }));
    await waitUntil('a second UDP answer', () => group.from(me.deviceId).filter((j) => j.announce === false).length === 2, 3_000);
    assert.equal(counter.stats.connections, 0, 'no connection to a device that cannot be pinned');
    assert.equal(d.peers().find((p) => p.protocol === 'http')?.verified, false);
  });

  test('never answers `announce: false`, but lists its sender, unverified', async () => {
    const udp = await freeUdpPort();
    const group = await groupPeer(udp);
    const { d } = await instance(udp, me, { serverPort: 40003 });
    const device = identity('answerer');
    const counter = await tlsCounter(device);
    await group.send(announcement(device, counter.port, { announce: false, announcement: false }));
    await waitUntil('listed', () => d.peers().length === 1);
    await sleep(500);
    assert.equal(counter.stats.connections, 0);
    assert.equal(group.from(me.deviceId).filter((j) => j.announce === false).length, 0);
    assert.equal(d.peers()[0]!.verified, false);
    assert.equal(d.snapshot().received.answers, 1);
  });

  test('a flood costs little: oversized and excess datagrams are counted and dropped, registers and UDP answers stay bounded', async () => {
    const udp = await freeUdpPort();
    const group = await groupPeer(udp);
    const { d } = await instance(udp, me, { serverPort: 40004, maxPeers: 16 });
    const target = await tlsCounter(identity('flood target'));
    for (let i = 0; i < 5; i++) await group.send(Buffer.alloc(9_000, 0x7b));
    const started = Date.now();
    for (let i = 0; i < 1_000; i++) {
      const fp = randomBytes(32).toString('hex');
      await group.send(i % 10 === 0 ? 'garbage' : announcement({ ...me, deviceId: fp, deviceName: `flood ${i}` }, target.port));
      // Paced so that the socket's buffer does not overflow: the datagrams must arrive to be dropped.
      if (i % 20 === 0) await sleep(1);
    }
    const seconds = (Date.now() - started) / 1000 + 3;
    await sleep(2_500);
    const s = d.snapshot();
    assert.equal(s.dropped.oversized, 5);
    assert.ok(s.received.datagrams > 500, `only ${s.received.datagrams} datagrams arrived`);
    const parsed = s.received.announcements + s.dropped.malformed + s.received.own;
    assert.ok(parsed <= 40 + 20 * seconds, `${parsed} datagrams parsed in ${seconds.toFixed(1)} s`);
    assert.equal(s.dropped['rate-limited'], s.received.datagrams - s.dropped.oversized - parsed);
    assert.ok(d.peers().length <= 16 && s.dropped['table-full'] > 0, `${d.peers().length} listed, ${s.dropped['table-full']} refused`);
    assert.ok(target.stats.maxOpen <= 8, `${target.stats.maxOpen} registers at once`);
    assert.equal(target.stats.bytes, 0);
    assert.ok(s.udpAnswers <= 10 + 2 * seconds, `${s.udpAnswers} UDP answers`);
    assert.match(s.lastRefused?.message ?? '', /not JSON/);
  });

  test('keeps a silent device while it answers a check, and lets it expire once it does not', async () => {
    const udp = await freeUdpPort();
    const group = await groupPeer(udp);
    const { d, events } = await instance(udp, me, { serverPort: 40005, confirmAfterMs: 300, expiryMs: 900 });
    const device = identity('phone');
    let port = 0;
    const srv = await httpsServer(
      device,
      'required',
      answersRegister(device, () => port),
    );
    port = srv.port;
    await group.send(announcement(device, port));
    await waitUntil('verified', () => d.peers()[0]?.verified === true);
    await sleep(1_500);
    assert.equal(d.peers().length, 1, 'still listed after the expiry time: its checks refreshed it');
    assert.ok(srv.seen.length >= 3, `${srv.seen.length} registers (the answer, then checks)`);
    srv.server.closeAllConnections();
    await new Promise<void>((r) => srv.server.close(() => r()));
    await waitUntil('expired', () => d.peers().length === 0, 3_000);
    const removed = events.find((e) => e.event === 'peer-removed');
    assert.ok(removed?.event === 'peer-removed' && removed.reason === 'expired');

    // A plain-HTTP device cannot be checked: it expires on silence alone.
    await group.send(announcement(identity('http'), 1, { protocol: 'http', fingerprint: 'token' }));
    await waitUntil('listed', () => d.peers().length === 1);
    await waitUntil('expired', () => d.peers().length === 0, 3_000);
  });
});

describe('LocalSend peer table', () => {
  const clock = { t: 1_000_000, now: () => clock.t };
  function table(over: { maxPeers?: number } = {}) {
    const events: LocalSendDiscoveryEvent[] = [];
    const t = new LocalSendPeerTable({
      maxPeers: over.maxPeers ?? 4,
      expiryMs: 1_000,
      evictAfterMs: 500,
      now: clock.now,
      emit: (e) => events.push(e),
    });
    return { t, events };
  }
  const sighting = (over: Partial<Sighting> = {}): Sighting => ({
    fingerprint: 'a'.repeat(64),
    alias: 'Pixel',
    deviceType: 'mobile',
    deviceModel: null,
    version: '2.2',
    address: '10.0.0.2',
    port: 53317,
    protocol: 'https',
    download: false,
    verified: false,
    ...over,
  });

  test('a datagram alone cannot move a device proven elsewhere; a proof can', () => {
    const { t } = table();
    assert.equal(t.see(sighting({ verified: true })), 'added');
    assert.equal(t.see(sighting({ address: '10.0.0.66' })), 'ignored');
    assert.equal(t.get('a'.repeat(64))!.address, '10.0.0.2');
    assert.equal(t.see(sighting({ alias: 'Renamed' })), 'updated', 'news from where it was proven is taken');
    assert.equal(t.get('a'.repeat(64))!.verified, true);
    assert.equal(t.see(sighting({ address: '10.0.0.3', verified: true })), 'updated');
    assert.equal(t.get('a'.repeat(64))!.address, '10.0.0.3');
  });

  test('expires the silent, and evicts the stalest only when it has been silent a while', () => {
    const { t, events } = table({ maxPeers: 2 });
    t.see(sighting({ fingerprint: '1'.repeat(64) }));
    clock.t += 100;
    t.see(sighting({ fingerprint: '2'.repeat(64) }));
    assert.equal(t.see(sighting({ fingerprint: '3'.repeat(64) })), 'full');
    clock.t += 500;
    assert.equal(t.see(sighting({ fingerprint: '3'.repeat(64) })), 'added');
    assert.deepEqual(
      t.list().map((p) => p.fingerprint[0]),
      ['3', '2'],
    );
    clock.t += 1_001;
    t.sweep();
    assert.equal(t.size, 0);
    assert.deepEqual(
      events.filter((e) => e.event === 'peer-removed').map((e) => (e.event === 'peer-removed' ? e.reason : '')),
      ['evicted', 'expired', 'expired'],
    );
  });
});
