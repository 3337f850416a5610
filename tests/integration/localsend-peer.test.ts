// The tests' own LocalSend peer (tests/fixtures/localsend-peer.ts) against itself, on real
// sockets on loopback: two peers find each other over multicast and register, then send files,
// folders and text to each other through every answer a receiver can give. If these pass, the
// peer is fit to judge Ferry's LocalSend support.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { freeUdpPort, md5File, randomFile, sleep, tempDir, waitUntil, writeTree } from '../helpers.js';
import { API, drip, LocalSendPeer, loopbackMulticastWorks, type LocalSendPeerOptions } from '../fixtures/localsend-peer.js';

async function pair(
  a: LocalSendPeerOptions = {},
  b: LocalSendPeerOptions = {},
): Promise<{ sender: LocalSendPeer; receiver: LocalSendPeer }> {
  const [sender, receiver] = await Promise.all([
    LocalSendPeer.start({ alias: 'Sender', ...a }),
    LocalSendPeer.start({ alias: 'Receiver', ...b }),
  ]);
  return { sender, receiver };
}

async function files(...sizes: number[]): Promise<string[]> {
  const dir = await tempDir('ls-src-');
  return Promise.all(sizes.map((n, i) => randomFile(path.join(dir, `file-${i}.bin`), n)));
}

const uploads = (p: LocalSendPeer) => p.requests.filter((r) => r.path === `${API}/upload`);

describe('LocalSendPeer: identity and registration', () => {
  test('answers /v1/info and /v2/info with its fingerprint (upper-case SHA-256 of its certificate) and version 2.2', async () => {
    const { sender, receiver } = await pair();
    for (const v1 of [false, true]) {
      const r = await sender.getInfo(receiver.target(), { v1 });
      assert.equal(r.status, 200, r.error ?? r.text);
      assert.deepEqual(r.json, receiver.info());
      assert.equal((r.json as { fingerprint: string }).fingerprint, receiver.credentials.fingerprint);
      assert.match(receiver.fingerprint, /^[0-9A-F]{64}$/);
    }
    assert.equal(receiver.info().version, '2.2');
    assert.equal(receiver.requests[0]!.clientFingerprint, sender.credentials.fingerprint);
  });

  test('1.17 switches: version 2.1, lower-case fingerprint, no client certificate asked for, 412 to a self probe', async () => {
    const { sender, receiver } = await pair({}, { version: '1.17' });
    assert.equal(receiver.info().version, '2.1');
    assert.equal(receiver.fingerprint, receiver.credentials.fingerprint.toLowerCase());
    const r = await sender.getInfo(receiver.target());
    assert.equal(r.status, 200);
    assert.equal(receiver.requests[0]!.clientFingerprint, null, 'a 1.17 server requests no client certificate');
    assert.equal((await sender.getInfo(receiver.target(), { v1: true, fingerprint: receiver.fingerprint })).status, 412);
  });

  test('records a register, and ignores (1.18) or refuses one whose body fingerprint is not the client certificate', async () => {
    const { sender, receiver } = await pair();
    const ok = await sender.register(receiver.target());
    assert.equal(ok.status, 200);
    assert.equal((ok.json as { fingerprint: string }).fingerprint, receiver.fingerprint);
    assert.equal(receiver.registrations.at(-1)!.accepted, true);
    assert.ok(receiver.devices.get(sender.credentials.fingerprint)?.via.has('register-in'));

    const spoofed = { ...sender.registerDto(), fingerprint: 'A'.repeat(64) };
    const ignored = await sender.register(receiver.target(), spoofed);
    assert.equal(ignored.status, 200, '1.18 answers, but does not record the device');
    assert.equal(receiver.registrations.at(-1)!.accepted, false);
    assert.equal(receiver.devices.has('A'.repeat(64)), false);

    receiver.settings.registerMismatch = 'reject';
    assert.equal((await sender.register(receiver.target(), spoofed)).status, 403);
    assert.equal((await sender.register(receiver.target(), { alias: 'x' })).status, 400);
  });

  test('with mutual TLS required, a client without a certificate gets no answer; "request" lets it in', async () => {
    const { sender, receiver } = await pair();
    assert.equal((await sender.getInfo(receiver.target())).status, 200);
    const bare = await sender.request(receiver.target(), { method: 'GET', path: `${API}/info`, presentCert: false });
    assert.equal(bare.status, 0, 'the connection is dropped');
    await waitUntil('the refusal is recorded', () => receiver.receiver.tlsRefusals.some((t) => t.reason === 'no client certificate'));
    receiver.settings.clientCert = 'request';
    const letIn = await sender.request(receiver.target(), { method: 'GET', path: `${API}/info`, presentCert: false });
    assert.equal(letIn.status, 200);
    assert.equal(receiver.requests.at(-1)!.clientFingerprint, null);
  });

  test('pinning refuses a server with another certificate before sending it anything', async () => {
    const { sender, receiver } = await pair();
    const other = await LocalSendPeer.start();
    const [file] = await files(1000);
    const send = sender.sendTo({ ...receiver.target(), fingerprint: other.fingerprint }, { files: [file!] });
    const r = await send.done;
    assert.equal(r.outcome, 'refused-tls');
    assert.match(r.error ?? '', /fingerprint mismatch/);
    assert.equal(receiver.requests.length, 0, 'not one request reached the impostor');
    // Fingerprints compare without regard to case; 1.17 does not pin at all.
    const lower = await sender.getInfo({ ...receiver.target(), fingerprint: receiver.fingerprint.toLowerCase() });
    assert.equal(lower.status, 200);
    const unpinned = await sender.request(
      { ...receiver.target(), fingerprint: other.fingerprint },
      { method: 'GET', path: `${API}/info`, pinServer: false },
    );
    assert.equal(unpinned.status, 200);
  });
});

describe('LocalSendPeer: sending and receiving', () => {
  test('sends files and a nested folder with mutual TLS, two at a time, chunked, verified by sha256, with their modified times', async () => {
    const { sender, receiver } = await pair();
    const single = await files(0, 1, 300_000);
    const folder = await tempDir('ls-folder-');
    await writeTree(path.join(folder, 'Photos'), { 'a.txt': 'top', '2024/b.bin': Buffer.alloc(70_000, 7), '2024/deep/c.txt': 'deep' });
    const when = new Date('2020-02-02T02:02:02.000Z');
    await fs.utimes(single[2]!, when, when);

    const r = await sender.sendTo(receiver.target(), { files: single, folder: path.join(folder, 'Photos') }).done;
    assert.equal(r.outcome, 'sent', JSON.stringify(r));
    assert.equal(r.accepted.length, 6);
    assert.ok(r.files.every((f) => f.status === 'sent' && f.attempts.length === 1));
    const names = receiver.received.map((f) => f.fileName).sort();
    assert.deepEqual(names, ['Photos/2024/b.bin', 'Photos/2024/deep/c.txt', 'Photos/a.txt', 'file-0.bin', 'file-1.bin', 'file-2.bin']);
    for (const [i, p] of single.entries()) assert.equal(await md5File(path.join(receiver.dir, `file-${i}.bin`)), await md5File(p));
    assert.equal(await fs.readFile(path.join(receiver.dir, 'Photos/2024/deep/c.txt'), 'utf8'), 'deep');
    assert.equal((await fs.stat(path.join(receiver.dir, 'file-2.bin'))).mtime.toISOString(), when.toISOString());
    assert.ok(uploads(receiver).every((u) => u.status === 200 && u.chunked && u.contentLength === null));
    assert.ok(uploads(receiver).every((u) => u.clientFingerprint === sender.credentials.fingerprint));
    const offer = receiver.offers[0]!;
    assert.ok(offer.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256 ?? '') && typeof f.metadata?.modified === 'string'));
    assert.equal(offer.clientFingerprint, sender.credentials.fingerprint);
    assert.deepEqual(receiver.sessionEnds, [{ sessionId: r.sessionId, reason: 'finished' }]);
    assert.equal(receiver.session, null, 'the session slot is free again');

    // Sent again: nothing is overwritten.
    assert.equal((await sender.sendTo(receiver.target(), { files: [single[1]!] }).done).outcome, 'sent');
    assert.ok(receiver.received.some((f) => f.path.endsWith('file-1 (1).bin')));
  });

  test('sized uploads (Content-Length) when not chunked, and a 1.17 receiver that asks for no certificate', async () => {
    const { sender, receiver } = await pair({ chunked: false }, { version: '1.17' });
    const r = await sender.sendTo(receiver.target(), { files: await files(5000, 6000) }).done;
    assert.equal(r.outcome, 'sent');
    assert.deepEqual(
      uploads(receiver)
        .map((u) => [u.chunked, u.contentLength])
        .sort(),
      [
        [false, 5000],
        [false, 6000],
      ],
    );
    assert.ok(receiver.requests.every((q) => q.clientFingerprint === null));
  });

  test('a partial accept gets tokens for the chosen files only, and only those are uploaded', async () => {
    const { sender, receiver } = await pair();
    const [a, b, c] = await files(100, 200, 300);
    receiver.policy = (offer) => ({ accept: offer.files.filter((f) => f.fileName !== 'file-1.bin').map((f) => f.id) });
    const r = await sender.sendTo(receiver.target(), { files: [a!, b!, c!] }).done;
    assert.equal(r.outcome, 'sent');
    assert.equal(r.accepted.length, 2);
    assert.equal(r.files.find((f) => f.fileName === 'file-1.bin')!.status, 'not-accepted');
    assert.deepEqual(receiver.received.map((f) => f.fileName).sort(), ['file-0.bin', 'file-2.bin']);
  });

  test('declined is 403 "Rejected", busy is 409, and a second session while one waits is 409 too', async () => {
    const { sender, receiver } = await pair();
    const [f] = await files(10);
    receiver.policy = 'decline';
    const declined = await sender.sendTo(receiver.target(), { files: [f!] }).done;
    assert.equal(declined.outcome, 'declined');
    assert.deepEqual(declined.prepare, [{ status: 403, message: 'Rejected', error: null, pin: null }]);
    receiver.policy = 'busy';
    assert.equal((await sender.sendTo(receiver.target(), { files: [f!] }).done).outcome, 'busy');

    receiver.policy = 'hold';
    const first = sender.sendTo(receiver.target(), { files: [f!] });
    const offer = await receiver.waitForOffer();
    const third = await LocalSendPeer.start();
    assert.equal((await third.sendTo(receiver.target(), { files: [f!] }).done).prepare[0]!.status, 409);
    offer.answer('accept');
    assert.equal((await first.done).outcome, 'sent');
  });

  test('delays its answer when told, and holds it until the test answers', async () => {
    const { sender, receiver } = await pair();
    const [f] = await files(10);
    receiver.delayMs = 300;
    const t0 = Date.now();
    assert.equal((await sender.sendTo(receiver.target(), { files: [f!] }).done).outcome, 'sent');
    assert.ok(Date.now() - t0 >= 290);
    receiver.delayMs = 0;
    receiver.policy = 'hold';
    const send = sender.sendTo(receiver.target(), { files: [f!] });
    await sleep(200);
    assert.equal(send.phase, 'preparing');
    await receiver.answer('decline');
    assert.equal((await send.done).outcome, 'declined');
  });

  test('a 422 is retried with the same token, at most 3 attempts', async () => {
    const { sender, receiver } = await pair();
    const [a, b] = await files(1000, 2000);
    receiver.failFirstUpload = true;
    const r = await sender.sendTo(receiver.target(), { files: [a!, b!] }).done;
    assert.equal(r.outcome, 'sent');
    for (const f of r.files)
      assert.deepEqual(
        f.attempts.map((x) => x.status),
        [422, 200],
      );
    assert.ok(receiver.received.every((f) => f.attempts === 2));

    receiver.failFirstUpload = false;
    const lying = await sender.sendTo(receiver.target(), { entries: [{ fileName: 'bad.bin', data: 'abc', sha256: '0'.repeat(64) }] }).done;
    assert.equal(lying.outcome, 'failed');
    assert.deepEqual(
      lying.files[0]!.attempts.map((x) => [x.status, x.message]),
      Array(3).fill([422, 'Checksum mismatch']),
    );
    assert.equal(receiver.sessionEnds.at(-1)!.reason, 'finished', 'the file failed for good, so the session ended');
    await assert.rejects(fs.access(path.join(receiver.dir, 'bad.bin')));
  });

  test('PIN: 401 "PIN required", 401 "Invalid PIN", the right one on retry, and 429 after three failures', async () => {
    const { sender, receiver } = await pair();
    const [f] = await files(10);
    receiver.pin = '1234';
    const none = await sender.sendTo(receiver.target(), { files: [f!] }).done;
    assert.equal(none.outcome, 'pin');
    assert.equal(none.prepare[0]!.message, 'PIN required');
    const retried = await sender.sendTo(receiver.target(), { files: [f!] }, { pins: ['0000', '1234'] }).done;
    assert.equal(retried.outcome, 'sent');
    assert.deepEqual(
      retried.prepare.map((p) => [p.status, p.message, p.pin]),
      [
        [401, 'PIN required', null],
        [401, 'Invalid PIN', '0000'],
        [200, null, '1234'],
      ],
    );
    const wrong = await sender.sendTo(receiver.target(), { files: [f!] }, { pins: ['1', '2', '3', '1234'] }).done;
    assert.deepEqual(
      wrong.prepare.map((p) => p.status),
      [401, 401, 401, 401, 429],
    );
    assert.equal(wrong.outcome, 'too-many-attempts');
  });

  test('a text message is answered 204 and recorded', async () => {
    const { sender, receiver } = await pair();
    const r = await sender.sendTo(receiver.target(), { text: 'hello https://example.org' }).done;
    assert.equal(r.outcome, 'text-delivered');
    assert.deepEqual(
      receiver.texts.map((t) => t.text),
      ['hello https://example.org'],
    );
    assert.equal(uploads(receiver).length, 0);
    assert.equal(receiver.offers[0]!.files[0]!.fileType, 'text/plain');
  });

  test('cancelled by the sender while the receiver decides: a session-less /cancel, and the prompt goes', async () => {
    const { sender, receiver } = await pair();
    receiver.policy = 'hold';
    const send = sender.sendTo(receiver.target(), { files: await files(10) });
    const offer = await receiver.waitForOffer();
    await send.cancel();
    const r = await send.done;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(r.cancelledBy, 'sender');
    assert.equal(r.cancelReply?.status, 200);
    await waitUntil('the offer is withdrawn', () => offer.state === 'cancelled-by-sender' || offer.state === 'aborted');
    assert.ok(receiver.requests.some((q) => q.path === `${API}/cancel` && q.query.sessionId === undefined));
    assert.equal(receiver.session, null);
  });

  test('a sender that only drops its pending prepare-upload frees the slot too', async () => {
    const { sender, receiver } = await pair({ cancelPending: 'drop' });
    receiver.policy = 'hold';
    const send = sender.sendTo(receiver.target(), { files: await files(10) });
    const offer = await receiver.waitForOffer();
    await send.cancel();
    assert.equal((await send.done).cancelReply, null, 'no /cancel was posted');
    await waitUntil('the receiver notices the sender is gone', () => offer.state === 'aborted');
    assert.equal(receiver.session, null);
    assert.ok(!receiver.requests.some((q) => q.path === `${API}/cancel`));
  });

  test('a 1.17 sender: sized uploads, no sha256, any server certificate', async () => {
    const { sender, receiver } = await pair({ version: '1.17' });
    const other = await LocalSendPeer.start();
    const r = await sender.sendTo({ ...receiver.target(), fingerprint: other.fingerprint }, { files: await files(3000) }).done;
    assert.equal(r.outcome, 'sent', 'a 1.17 client does not pin');
    const f = receiver.offers[0]!.files[0]!;
    assert.equal(f.sha256, undefined);
    assert.equal(receiver.offers[0]!.info.version, '2.1');
    assert.equal(receiver.offers[0]!.clientFingerprint, sender.credentials.fingerprint, '1.17 still presents its certificate');
    assert.deepEqual(
      uploads(receiver).map((u) => [u.chunked, u.contentLength]),
      [[false, 3000]],
    );
  });

  test('cancelled by the sender mid-upload: /cancel?sessionId ends the session there', async () => {
    const { sender, receiver } = await pair();
    const send = sender.sendTo(receiver.target(), { files: await files(400_000) }, { bytesPerSecond: 400_000 });
    await waitUntil('some bytes are on their way', () => send.bytesSent > 50_000);
    await send.cancel();
    const r = await send.done;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(r.files[0]!.status, 'cancelled');
    assert.deepEqual(receiver.sessionEnds, [{ sessionId: r.sessionId, reason: 'cancelled-by-sender' }]);
    assert.equal(receiver.received.length, 0);
  });

  test('cancelled by the receiver mid-upload: it posts /cancel to the sender, which stops', async () => {
    const { sender, receiver } = await pair();
    const send = sender.sendTo(receiver.target(), { files: await files(400_000, 400_000, 400_000) }, { bytesPerSecond: 400_000 });
    await waitUntil('some bytes are on their way', () => send.bytesSent > 50_000);
    const posted = await receiver.cancelIncoming();
    assert.equal(posted?.status, 200);
    const r = await send.done;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(r.cancelledBy, 'receiver');
    const cancel = sender.requests.find((q) => q.path === `${API}/cancel`)!;
    assert.equal(cancel.query.sessionId, r.sessionId);
    assert.equal(cancel.clientFingerprint, receiver.credentials.fingerprint);
    assert.equal(receiver.received.length, 0);
  });
});

describe('LocalSendPeer: raw requests for hostile tests', () => {
  test('a receiver checks parameters, token, source address, sizes and JSON', async () => {
    const { sender, receiver } = await pair();
    const t = receiver.target();
    assert.equal((await sender.prepareUpload(t, '{not json')).message, 'Invalid JSON body');
    assert.equal((await sender.prepareUpload(t, { info: sender.registerDto(), files: {} })).message, 'No files provided');
    assert.equal((await sender.prepareUpload(t, { info: { ...sender.registerDto(), port: 70000 }, files: {} })).status, 400);

    const file = { id: 'f1', fileName: '../evil.txt', size: 5, fileType: 'text/plain' };
    const ok = await sender.prepareUpload(t, {
      info: sender.registerDto(),
      files: { f1: file, f2: { ...file, id: 'f2', fileName: 'b.txt' } },
    });
    assert.equal(ok.status, 200);
    const { sessionId, files: tokens } = ok.json as { sessionId: string; files: Record<string, string> };
    const q = { sessionId, fileId: 'f2', token: tokens.f2! };
    assert.equal((await sender.upload(t, { ...q, token: null }, 'hello')).status, 400);
    assert.equal((await sender.upload(t, { ...q, token: 'wrong' }, 'hello')).message, 'Invalid token or IP address');
    assert.equal((await sender.upload(t, q, 'hello', { localAddress: '127.0.0.2' })).status, 403, 'another source address');
    assert.equal((await sender.upload(t, { ...q, fileId: 'f1', token: tokens.f1! }, 'hello')).message, 'Unsafe file name');
    const short = await sender.upload(t, q, 'hel', { contentLength: 5, bodyEnd: 'close' });
    assert.equal(short.status, 0, 'a body cut short gets no answer');
    await waitUntil('the session ends', () => receiver.session === null);
    assert.equal(receiver.received.length, 0);
  });

  test('more bytes than declared fail the file; a slow drip still arrives', async () => {
    const { sender, receiver } = await pair();
    const t = receiver.target();
    const ok = await sender.prepareUpload(t, {
      info: sender.registerDto(),
      files: {
        a: { id: 'a', fileName: 'a.txt', size: 3, fileType: 'text/plain' },
        b: { id: 'b', fileName: 'b.txt', size: 6, fileType: 'text/plain' },
      },
    });
    const { sessionId, files: tok } = ok.json as { sessionId: string; files: Record<string, string> };
    const extra = await sender.upload(t, { sessionId, fileId: 'a', token: tok.a! }, 'abcdef');
    assert.equal(extra.status, 500);
    assert.match(extra.message ?? '', /Expected 3 bytes, received 6/);
    const slow = await sender.upload(t, { sessionId, fileId: 'b', token: tok.b! }, drip(Buffer.from('slowly'), 2, 50));
    assert.equal(slow.status, 200);
    assert.equal(await fs.readFile(path.join(receiver.dir, 'b.txt'), 'utf8'), 'slowly');
  });
});

describe('LocalSendPeer: discovery over loopback multicast', () => {
  test('two peers find each other: the announcer is registered with, over HTTPS, pinned; 1.17 answers over UDP', async (t) => {
    const port = await freeUdpPort();
    const why = await loopbackMulticastWorks(port);
    // In CI a machine without loopback multicast must fail loudly, not pass as skipped.
    if (why && process.env.CI === undefined) return t.skip(why);
    const multicast = { port };
    const a = await LocalSendPeer.start({ alias: 'Announcer', multicast });
    const b = await LocalSendPeer.start({ alias: 'Listener 1.18', multicast });
    const c = await LocalSendPeer.start({ alias: 'Listener 1.17', version: '1.17', answer: 'udp', multicast });
    const t0 = Date.now();
    await a.announce();
    assert.ok(Date.now() - t0 >= 2500, 'the burst lasts +100, +500, +2000 ms');
    assert.equal(a.discovery!.sent.length, 3);
    assert.ok(a.discovery!.sent.every((m) => m.announce === true && m.fingerprint === a.fingerprint && m.port === a.port));

    const seen = await b.waitForDevice(a.fingerprint, 'register-out');
    assert.equal(seen.info.alias, 'Announcer');
    await waitUntil('the 1.18 listener registered with the announcer', () =>
      a.registrations.some((r) => r.accepted && r.clientFingerprint === b.credentials.fingerprint),
    );
    const toA = b.discovery!.registerAttempts.filter((x) => x.target.port === a.port);
    assert.ok(toA.length >= 1 && toA.every((x) => x.status === 200 && x.target.fingerprint === a.fingerprint));
    assert.ok(toA.every((x) => x.serverFingerprint === a.credentials.fingerprint));
    // 1.18 has no `announce` flag of its own: it registers with the 1.17 peer's UDP answer too.
    await waitUntil('the 1.18 listener registered with the 1.17 one', () => c.registrations.some((r) => r.clientFingerprint === null));
    await a.waitForDevice(b.fingerprint, 'register-in');

    // The 1.17 listener answered with a datagram, which the announcer heard (and does not answer: 1.18 would).
    await waitUntil('the UDP answer is heard', () => a.discovery!.heard.some((h) => h.message?.fingerprint === c.fingerprint));
    const answer = a.discovery!.heard.find((h) => h.message?.fingerprint === c.fingerprint)!.message!;
    assert.equal(answer.announce, false);
    assert.equal(answer.announcement, false);
    await waitUntil('the 1.17 peer answered the whole burst', () => c.discovery!.sent.length >= 3);
    assert.deepEqual(
      c.discovery!.sent.map((m) => m.announce),
      [false, false, false],
      'the 1.17 peer answered each announcement once, and no announce: false',
    );
  });
});

describe('LocalSendPeer: shutdown', () => {
  test('close() ends sends, sockets and timers, even mid-burst and mid-offer', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const port = await freeUdpPort();
    const { sender, receiver } = await pair({ multicast: { port } }, {});
    receiver.policy = 'hold';
    const send = sender.sendTo(receiver.target(), { files: await files(10) });
    void sender.announce();
    await receiver.waitForOffer();
    await Promise.all([sender.close(), receiver.close()]);
    assert.equal((await send.done).outcome, 'error');
    await sleep(10);
    // Earlier tests' timers may have ended meanwhile; none of these two peers' may remain.
    assert.ok(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length <= before);
    assert.equal(sender.discovery!.sent.length < 3, true, 'the burst stopped with close()');
    await sleep(2700);
    assert.equal(sender.discovery!.sent.length < 3, true);
  });
});
