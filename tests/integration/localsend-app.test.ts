// LocalSend through the whole app (FerryApp, as the desktop app and `ferry serve` run it)
// against the tests' own LocalSend peer, both directions, on real sockets and files on
// loopback: offers in the same queue and dialog as Ferry's, trust only for proven devices,
// manual add by localsend://, the PIN asked on the transfer's row, Retry that restarts, the
// settings that move or stop the server, the port-taken fallback, and discovery.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FerryApp } from '../../main/core/app/ferry-app.ts';
import type { AppState, TransferView } from '../../main/core/contract/index.ts';
import { LocalSendPeer, loopbackMulticastWorks, type LocalSendPeerOptions } from '../fixtures/localsend-peer.ts';
import { freeUdpPort, md5File, onCleanup, randomFile, sleep, tempDir, waitUntil, writeTree, rejectsWith } from '../helpers.ts';

interface Running {
  app: FerryApp;
  download: string;
  until(pred: (s: AppState) => boolean, what: string, ms?: number): Promise<AppState>;
}

async function startApp(
  name: string,
  o: { accept?: 'ask' | 'all'; localsendPort?: number; discovery?: { ferry: number; localsend: number } } = {},
): Promise<Running> {
  const download = await tempDir('ls-app-dl-');
  const app = await FerryApp.start({
    configDir: await tempDir('ls-app-cfg-'),
    overrides: {
      downloadDir: download,
      port: 0,
      host: '127.0.0.1',
      deviceName: name,
      acceptPolicy: o.accept ?? 'ask',
      localsendPort: o.localsendPort ?? 0,
    },
    discovery: o.discovery ? { discoveryPort: o.discovery.ferry, interfaces: { only: ['loopback'] }, intervalMs: 300 } : false,
    ...(o.discovery ? { localsendDiscovery: { port: o.discovery.localsend } } : {}),
    probeManualPeers: true,
    probeIntervalMs: 500,
    stateIntervalMs: 50,
  });
  onCleanup(() => app.stop());
  return {
    app,
    download,
    async until(pred, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const s = await app.getState();
        if (pred(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; state: ${JSON.stringify(s).slice(0, 2000)}`);
        await sleep(25);
      }
    },
  };
}

const peerOf = async (o: LocalSendPeerOptions = {}): Promise<LocalSendPeer> => {
  const p = await LocalSendPeer.start({ alias: 'Pixel', ...o });
  onCleanup(() => p.close());
  return p;
};

/** Where the app's LocalSend server is, for the peer to send to. */
async function serverOf(r: Running): Promise<{ host: string; port: number; fingerprint: string; protocol: 'https' }> {
  const s = await r.app.getState();
  assert.ok(s.device.localsend?.port, 'the LocalSend server listens');
  return { host: '127.0.0.1', port: s.device.localsend.port, fingerprint: s.device.id, protocol: 'https' };
}

async function files(...sizes: number[]): Promise<string[]> {
  const dir = await tempDir('ls-app-src-');
  return Promise.all(sizes.map((n, i) => randomFile(path.join(dir, `photo-${i}.jpg`), n)));
}

const final = (t: TransferView | undefined): boolean => !!t && ['done', 'failed', 'declined', 'cancelled'].includes(t.state);

describe('a LocalSend app sends to Ferry', () => {
  for (const [version, presentCert] of [
    ['1.18', true],
    ['1.17', true],
    ['1.17', false],
  ] as const) {
    test(`${version}${presentCert ? '' : ' without a client certificate'}: an offer like Ferry's, accepted in the dialog; the files land and the queue says LocalSend`, async () => {
      const me = await startApp('Desk');
      const phone = await peerOf({ version });
      const [a, b] = await files(300_000, 5);
      const send = phone.sendTo(await serverOf(me), { files: [a!, b!] }, { presentCert });
      const s = await me.until((x) => x.offers.length === 1, 'the offer is shown');
      const offer = s.offers[0]!;
      assert.equal(offer.from.protocol, 'localsend');
      assert.equal(offer.from.name, 'Pixel');
      // A client certificate proves the id (the apps send one); without one it can never be trusted.
      assert.equal(offer.from.verified, presentCert);
      assert.equal(offer.fileCount, 2);
      if (!presentCert) await rejectsWith(me.app.answerOffer(offer.id, 'always'), 'INVALID_STATE');
      await me.app.answerOffer(offer.id, 'accept');
      const result = await send.done;
      assert.equal(result.outcome, 'sent');
      const t = (await me.until((x) => final(x.transfers.find((y) => y.id === offer.id)), 'the transfer ends')).transfers.find(
        (y) => y.id === offer.id,
      )!;
      assert.equal(t.state, 'done');
      assert.equal(t.protocol, 'localsend');
      assert.equal(t.direction, 'receive');
      assert.equal(t.filesDone, 2);
      assert.equal(t.partialBytes, 0, 'LocalSend keeps no partial files for a resume');
      for (const f of [a!, b!]) assert.equal(await md5File(path.join(me.download, path.basename(f))), await md5File(f));
      assert.equal((await me.app.getHistory())[0]?.id, offer.id, 'in history like any transfer');
    });
  }

  test('"always" trusts a 1.18 app by its certificate: its next offer is accepted without asking', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    const [a] = await files(10);
    const first = phone.sendTo(await serverOf(me), { files: [a!] });
    const offer = (await me.until((x) => x.offers.length === 1, 'the offer')).offers[0]!;
    await me.app.answerOffer(offer.id, 'always');
    assert.equal((await first.done).outcome, 'sent');
    const s = await me.app.getState();
    assert.deepEqual(
      s.trusted.map((d) => d.id),
      [phone.fingerprint.toLowerCase()],
    );
    const again = await phone.sendTo(await serverOf(me), { files: [a!] }).done;
    assert.equal(again.outcome, 'sent', 'no question the second time');
  });

  test('declining answers 403; cancelling a running receive from the queue tells the app, which reports a cancel', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    const [a] = await files(4_000_000);
    const declined = phone.sendTo(await serverOf(me), { files: [a!] });
    const o1 = (await me.until((x) => x.offers.length === 1, 'an offer')).offers[0]!;
    await me.app.answerOffer(o1.id, 'decline');
    assert.equal((await declined.done).outcome, 'declined');

    const slow = phone.sendTo(await serverOf(me), { files: [a!] }, { bytesPerSecond: 500_000 });
    const o2 = (await me.until((x) => x.offers.length === 1, 'a second offer')).offers[0]!;
    await me.app.answerOffer(o2.id, 'accept');
    await me.until((x) => (x.transfers.find((t) => t.id === o2.id)?.transferred ?? 0) > 0, 'bytes flow');
    await me.app.cancelTransfer(o2.id);
    const r = await slow.done;
    assert.equal(r.outcome, 'cancelled', JSON.stringify(r));
    const t = (await me.until((x) => final(x.transfers.find((y) => y.id === o2.id)), 'cancelled')).transfers.find((y) => y.id === o2.id)!;
    assert.equal(t.state, 'cancelled');
    // The partial file goes once the cut upload's connection does (after a grace for the cancel notice).
    await waitUntil('nothing half-written stays behind', async () => (await fs.readdir(me.download)).length === 0, 10_000);
  });

  test('a receive PIN set in the settings: without it 401, with it the files come', async () => {
    const me = await startApp('Desk', { accept: 'all' });
    assert.equal((await me.app.setLocalSendPin('4711')).localsendPinEnabled, true);
    await rejectsWith(me.app.setLocalSendPin('12'), 'BAD_CONFIG');
    const phone = await peerOf();
    const [a] = await files(10);
    assert.equal((await phone.sendTo(await serverOf(me), { files: [a!] }).done).outcome, 'pin');
    assert.equal((await phone.sendTo(await serverOf(me), { files: [a!] }, { pin: '4711' }).done).outcome, 'sent');
    assert.equal((await me.app.setLocalSendPin(null)).localsendPinEnabled, false);
    assert.equal((await phone.sendTo(await serverOf(me), { files: [a!] }).done).outcome, 'sent');
  });
});

describe('Ferry sends to a LocalSend app', () => {
  test('added as localsend://HOST:PORT, probed for its certificate, listed as LocalSend; a folder arrives whole', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    await me.app.addManualPeer(`localsend://127.0.0.1:${phone.port}`);
    const s = await me.until((x) => x.peers.some((p) => p.protocol === 'localsend' && p.online && p.id !== null), 'probed');
    const listed = s.peers.find((p) => p.protocol === 'localsend')!;
    assert.equal(listed.id, phone.fingerprint.toLowerCase());
    assert.equal(listed.name, 'Pixel');
    assert.equal(listed.manual, `localsend://127.0.0.1:${phone.port}`);
    assert.equal(listed.verificationCode, null, 'LocalSend apps show no code to compare');

    const root = await tempDir('ls-app-tree-');
    await writeTree(path.join(root, 'Trip'), { 'a.txt': 'alpha', 'day 2/b.bin': Buffer.alloc(70_000, 7) });
    const { transferId } = await me.app.sendPaths(listed.key, [path.join(root, 'Trip')]);
    const t = (await me.until((x) => final(x.transfers.find((y) => y.id === transferId)), 'sent')).transfers.find(
      (y) => y.id === transferId,
    )!;
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.protocol, 'localsend');
    assert.deepEqual(phone.received.map((f) => f.fileName).sort(), ['Trip/a.txt', 'Trip/day 2/b.bin']);
  });

  test('a receiver that asks for a PIN: the transfer asks on its row, a wrong PIN asks again, the right one sends', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    phone.pin = '2468';
    await me.app.addManualPeer(`localsend://127.0.0.1:${phone.port}`);
    const key = (await me.until((x) => x.peers.some((p) => p.protocol === 'localsend' && p.id !== null), 'probed')).peers.find(
      (p) => p.protocol === 'localsend',
    )!.key;
    const [a] = await files(1000);
    const { transferId } = await me.app.sendPaths(key, [a!]);
    await me.until((x) => x.transfers.find((t) => t.id === transferId)?.pin === 'required', 'the PIN is asked');
    await me.app.answerPin(transferId, '1111');
    await me.until((x) => x.transfers.find((t) => t.id === transferId)?.pin === 'wrong', 'asked again');
    await me.app.answerPin(transferId, '2468');
    const t = (await me.until((x) => final(x.transfers.find((y) => y.id === transferId)), 'sent')).transfers.find(
      (y) => y.id === transferId,
    )!;
    assert.equal(t.state, 'done');
    assert.equal(t.pin, null);
    await rejectsWith(me.app.answerPin(transferId, '2468'), 'NOT_FOUND');
  });

  test('a failed send offers Retry that restarts (no resume), and the retry sends it', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    phone.mismatchAttempts = 99; // every upload answered 422: the sender gives up after its retries
    await me.app.addManualPeer(`localsend://127.0.0.1:${phone.port}`);
    const key = (await me.until((x) => x.peers.some((p) => p.protocol === 'localsend' && p.id !== null), 'probed')).peers.find(
      (p) => p.protocol === 'localsend',
    )!.key;
    const [a] = await files(2000);
    const { transferId } = await me.app.sendPaths(key, [a!]);
    const failed = (await me.until((x) => final(x.transfers.find((y) => y.id === transferId)), 'failed')).transfers.find(
      (y) => y.id === transferId,
    )!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.retry, 'restart');
    phone.mismatchAttempts = 0;
    await me.app.retryTransfer(transferId);
    const done = (await me.until((x) => x.transfers.find((y) => y.id === transferId)?.state === 'done', 'retried')).transfers.find(
      (y) => y.id === transferId,
    )!;
    assert.equal(done.filesDone, 1);
  });

  test('busy (409) is shown as such, and can be asked again', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    phone.policy = 'busy';
    await me.app.addManualPeer(`localsend://127.0.0.1:${phone.port}`);
    const key = (await me.until((x) => x.peers.some((p) => p.protocol === 'localsend' && p.id !== null), 'probed')).peers.find(
      (p) => p.protocol === 'localsend',
    )!.key;
    const [a] = await files(10);
    const { transferId } = await me.app.sendPaths(key, [a!]);
    const t = (await me.until((x) => final(x.transfers.find((y) => y.id === transferId)), 'answered')).transfers.find(
      (y) => y.id === transferId,
    )!;
    assert.equal(t.state, 'declined');
    assert.equal(t.error?.code, 'BUSY');
    assert.equal(t.retry, 'ask-again');
  });
});

describe('text messages with LocalSend apps', () => {
  test('a text from a LocalSend app is asked about like files, then listed with its link; dismissed, it stays in history', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    const sent = phone.sendTo(await serverOf(me), { text: '  https://example.org/recipe?x=1  ' });
    const offer = (await me.until((x) => x.offers.length === 1, 'asked')).offers[0]!;
    assert.deepEqual(offer.text, { chars: 34 });
    assert.equal(offer.fileCount, 0);
    const events: string[] = [];
    me.app.onEvent((e) => e.type === 'text' && events.push(e.text.text));
    await me.app.answerOffer(offer.id, 'accept');
    assert.equal((await sent.done).outcome, 'text-delivered');
    const s = await me.until((x) => x.texts.length === 1, 'listed');
    const t = s.texts[0]!;
    assert.equal(t.text, '  https://example.org/recipe?x=1  ');
    assert.equal(t.link, 'https://example.org/recipe?x=1');
    assert.equal(t.peer.name, 'Pixel');
    assert.equal(t.protocol, 'localsend');
    assert.deepEqual(events, [t.text]);
    const row = s.transfers.find((x) => x.id === t.id)!;
    assert.equal(row.state, 'done');
    assert.equal(row.text, t.text);
    await me.app.dismissText(t.id);
    assert.equal((await me.app.getState()).texts.length, 0);
    await rejectsWith(me.app.dismissText(t.id), 'NOT_FOUND');
    const h = (await me.app.getHistory()).find((x) => x.id === t.id);
    assert.equal(h?.text, t.text);
    assert.equal(h?.protocol, 'localsend');
    assert.deepEqual(await fs.readdir(me.download), [], 'a text is not a file');
  });

  test('Ferry sends a text to a LocalSend app (its text/plain with a preview); too long is refused before anything goes', async () => {
    const me = await startApp('Desk');
    const phone = await peerOf();
    await me.app.addManualPeer(`localsend://127.0.0.1:${phone.port}`);
    const key = (await me.until((x) => x.peers.some((p) => p.protocol === 'localsend' && p.id !== null), 'probed')).peers.find(
      (p) => p.protocol === 'localsend',
    )!.key;
    const text = 'Grüße 👋\nline two';
    const { transferId } = await me.app.sendText(key, text);
    const t = (await me.until((x) => final(x.transfers.find((y) => y.id === transferId)), 'sent')).transfers.find(
      (y) => y.id === transferId,
    )!;
    assert.equal(t.state, 'done', JSON.stringify(t.error));
    assert.equal(t.text, text);
    assert.deepEqual(
      phone.texts.map((x) => x.text),
      [text],
    );
    assert.equal(phone.received.length, 0, 'shown, not uploaded');
    await rejectsWith(me.app.sendText(key, 'é'.repeat(40_000)), 'LIMIT_EXCEEDED');
    await rejectsWith(me.app.sendText(key, '   '), 'BAD_MESSAGE');
  });
});

describe('the LocalSend server as settings and the network have it', () => {
  test('53317 taken: a free port, said in the troubleshooting view; the setting off stops it; on again starts it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as net.AddressInfo).port;
    const me = await startApp('Desk', { localsendPort: taken, accept: 'all' });
    const s = await me.app.getState();
    assert.ok(s.device.localsend && s.device.localsend.port !== null && s.device.localsend.port !== taken);
    assert.match(s.device.localsend.problem ?? '', new RegExp(`port ${taken} is in use.*port ${s.device.localsend.port}`));
    const phone = await peerOf();
    const [a] = await files(10);
    assert.equal((await phone.sendTo(await serverOf(me), { files: [a!] }).done).outcome, 'sent', 'reachable on the other port');

    const fixedPort = (await me.app.getState()).settings.fixed.includes('localsendPort');
    assert.ok(fixedPort, 'a port given by the host is shown as fixed');
    const off = await startApp('Other', { accept: 'all' });
    await off.app.updateSettings({ localsend: false });
    const stopped = await off.app.getState();
    assert.equal(stopped.device.localsend, null);
    assert.equal(stopped.settings.localsend, false);
    await off.app.updateSettings({ localsend: true });
    assert.ok((await off.app.getState()).device.localsend?.port);
  });
});

describe('LocalSend discovery in the app', () => {
  test('a LocalSend app that announces is listed as LocalSend with its device type; another Ferry is listed once, as Ferry', async (t) => {
    const why = await loopbackMulticastWorks(await freeUdpPort());
    if (why) {
      if (process.env.CI) assert.fail(why);
      return t.skip(why);
    }
    const ports = { ferry: await freeUdpPort(), localsend: await freeUdpPort() };
    const me = await startApp('Desk', { discovery: ports });
    const other = await startApp('Laptop', { discovery: ports });
    const phone = await peerOf({ multicast: { port: ports.localsend }, deviceType: 'mobile' });
    await phone.announce();
    const s = await me.until(
      (x) => x.peers.some((p) => p.protocol === 'localsend') && x.peers.some((p) => p.name === 'Laptop'),
      'the phone and the laptop are listed',
    );
    const listed = s.peers.find((p) => p.protocol === 'localsend')!;
    assert.equal(listed.name, 'Pixel');
    assert.equal(listed.deviceType, 'mobile');
    assert.equal(listed.id, phone.fingerprint.toLowerCase());
    await sleep(1_000); // the laptop's LocalSend announcements have come by now
    const laptops = (await me.app.getState()).peers.filter((p) => p.name === 'Laptop');
    assert.deepEqual(
      laptops.map((p) => p.protocol),
      ['ferry'],
      'another Ferry speaks LocalSend too, but is listed once',
    );
    void other;
  });
});
