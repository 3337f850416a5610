// The engine facade the UI hosts drive (FerryApp), two of them on loopback: discovery, an
// offer answered through the contract, the queue's states, retry that resumes, history,
// settings, and the checks at the edge where UI requests come in.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FerryApp } from '../../main/core/app/ferry-app.js';
import { validateCall } from '../../main/core/app/validate-call.js';
import { COMMAND_NAMES, type AppState, type UiEvent } from '../../main/core/contract/index.js';
import { FerryError } from '../../main/core/errors.js';
import type { LocalIdentity } from '../../main/core/security/identity.js';
import { sendFiles } from '../../main/core/transfer/sender.js';
import { createHash } from 'node:crypto';
import { identity, md5File, onCleanup, randomFile, sleep, snapshot, tempDir, rejectsWith, writeTree } from '../helpers.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

// Our own discovery port, so these apps hear only each other.
const DISCOVERY = { discoveryPort: 40000 + (process.pid % 20000), interfaces: { only: ['loopback'] }, intervalMs: 500 };

interface Running {
  app: FerryApp;
  events: UiEvent[];
  download: string;
  latest(): AppState | null;
  until(pred: (s: AppState) => boolean, what: string, ms?: number): Promise<AppState>;
}

// Apps stop when the file ends, so every test's apps hear every earlier test's: a name used
// twice would let a test find (and send to) another test's device.
const namesTaken = new Set<string>();

/** `dirFromSettings`: the download folder as a UI sets it, not fixed as `--dir` fixes it. */
async function start(name: string, accept: 'ask' | 'all' = 'ask', dirFromSettings = false): Promise<Running> {
  assert.ok(!namesTaken.has(name), `device name ${name} is already used in this file`);
  namesTaken.add(name);
  const config = await tempDir('ferry-app-config-');
  const download = await tempDir('ferry-app-download-');
  const app = await FerryApp.start({
    configDir: config,
    overrides: {
      ...(dirFromSettings ? {} : { downloadDir: download }),
      port: 0,
      host: '127.0.0.1',
      deviceName: name,
      acceptPolicy: accept,
    },
    discovery: DISCOVERY,
    // Its own LocalSend discovery port too: other test files' Ferrys speak LocalSend on loopback.
    localsendDiscovery: { port: DISCOVERY.discoveryPort + 1 },
    stateIntervalMs: 50,
  });
  onCleanup(() => app.stop());
  if (dirFromSettings) await app.updateSettings({ downloadDir: download });
  const events: UiEvent[] = [];
  let latest: AppState | null = null;
  app.onEvent((e) => {
    events.push(e);
    if (e.type === 'state') latest = e.state;
  });
  return {
    app,
    events,
    download,
    latest: () => latest,
    async until(pred, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const s = await app.getState();
        if (pred(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; state: ${JSON.stringify(s).slice(0, 1500)}`);
        await sleep(25);
      }
    },
  };
}

describe('FerryApp', () => {
  test('two apps find each other, and an offer answered in the UI arrives verified on both sides', async () => {
    const a = await start('Alice');
    const b = await start('Bob');
    const seen = await a.until((s) => s.peers.some((p) => p.name === 'Bob' && p.online), 'A lists Bob');
    const bob = seen.peers.find((p) => p.name === 'Bob')!;
    assert.equal(bob.id, (await b.app.getState()).device.id);
    assert.equal(bob.source, 'discovered');

    const src = await tempDir('ferry-app-src-');
    const one = await randomFile(path.join(src, 'one.bin'), 300_000);
    const two = await randomFile(path.join(src, 'two.txt'), 1234);
    const { transferId } = await a.app.sendPaths(bob.key, [one, two]);

    const asked = await b.until((s) => s.offers.length === 1, 'B is asked');
    const offer = asked.offers[0]!;
    assert.equal(offer.id, transferId);
    assert.equal(offer.from.name, 'Alice');
    assert.equal(offer.fileCount, 2);
    assert.equal(offer.totalBytes, 301_234);
    assert.deepEqual(offer.entries.map((e) => e.path).sort(), ['one.bin', 'two.txt']);
    assert.match(offer.from.verificationCode, /^\d{3} \d{3}$/);
    assert.ok(
      b.events.some((e) => e.type === 'offer' && e.offer.id === transferId),
      'hosts get an offer event to notify',
    );
    const waiting = (await a.app.getState()).transfers.find((t) => t.id === transferId)!;
    assert.equal(waiting.state, 'waiting');

    await b.app.answerOffer(offer.id, 'accept');
    const doneA = await a.until((s) => s.transfers.some((t) => t.id === transferId && t.state === 'done'), 'A done');
    const doneB = await b.until((s) => s.transfers.some((t) => t.id === transferId && t.state === 'done'), 'B done');
    for (const s of [doneA, doneB]) {
      const t = s.transfers.find((x) => x.id === transferId)!;
      assert.equal(t.transferred, t.totalBytes);
      assert.equal(t.filesDone, 2);
      assert.equal(t.error, null);
    }
    assert.equal(await md5File(path.join(b.download, 'one.bin')), await md5File(one));
    assert.equal(await md5File(path.join(b.download, 'two.txt')), await md5File(two));
    const files = await b.app.getTransferFiles(transferId);
    assert.deepEqual(files.map((f) => [f.path, f.state, f.savedAs]).sort(), [
      ['one.bin', 'done', 'one.bin'],
      ['two.txt', 'done', 'two.txt'],
    ]);
    assert.equal(b.app.resolveReceived(transferId, 'one.bin'), path.join(b.download, 'one.bin'));
    assert.equal(b.app.resolveReceived(transferId, '../../etc/passwd'), null);
    assert.equal(a.app.resolveReceived(transferId, 'one.bin'), null, 'only received files can be opened');
    const history = await b.app.getHistory();
    assert.equal(history[0]?.id, transferId);
    assert.equal(history[0]?.state, 'done');
    assert.ok(b.events.some((e) => e.type === 'finished' && e.transfer.id === transferId));
  });

  test('what a send leaves out of a picked folder (a link to a folder, a socket) is on its row, the rest goes', async () => {
    const a = await start('Lea');
    const b = await start('Lou', 'all');
    const lou = (await a.until((s) => s.peers.some((p) => p.name === 'Lou' && p.online), 'A lists Lou')).peers.find(
      (p) => p.name === 'Lou',
    )!;
    const src = await tempDir('ferry-app-src-');
    await writeTree(src, { 'trip/a.txt': 'a', 'trip/sub/b.txt': 'b' });
    await fs.symlink(path.join(src, 'trip', 'sub'), path.join(src, 'trip', 'link-to-sub'));
    const socket = net.createServer().listen(path.join(src, 'trip', 'x.sock'));
    onCleanup(() => new Promise<void>((r) => socket.close(() => r())));
    await once(socket, 'listening');
    const { transferId } = await a.app.sendPaths(lou.key, [path.join(src, 'trip')]);
    const done = await a.until((s) => s.transfers.some((t) => t.id === transferId && t.state === 'done'), 'sent');
    const row = done.transfers.find((t) => t.id === transferId)!;
    // Children go in name order: the link comes first.
    assert.deepEqual(row.leftOut, { count: 2, first: { path: 'trip/link-to-sub', why: 'folder-link' } });
    assert.equal(row.filesDone, 2);
    assert.deepEqual(Object.keys(await snapshot(path.join(b.download, 'trip'))).sort(), ['a.txt', 'sub', 'sub/b.txt']);
    // Nothing left out: no note.
    const plain = await a.app.sendPaths(lou.key, [path.join(src, 'trip', 'a.txt')]);
    const again = await a.until((s) => s.transfers.some((t) => t.id === plain.transferId && t.state === 'done'), 'sent again');
    assert.equal(again.transfers.find((t) => t.id === plain.transferId)!.leftOut, null);
  });

  test('a text message: asked about without its words, then listed with its link; a trusted sender is not asked; too long is refused', async () => {
    const a = await start('Ana');
    const b = await start('Ben');
    const ben = (await a.until((s) => s.peers.some((p) => p.name === 'Ben' && p.online), 'A lists Ben')).peers.find(
      (p) => p.name === 'Ben',
    )!;
    const text = 'Dinner at 8?\nhttps://example.org is the place';
    const { transferId } = await a.app.sendText(ben.key, text);
    const offer = (await b.until((s) => s.offers.length === 1, 'B is asked')).offers[0]!;
    assert.deepEqual(offer.text, { chars: [...text].length });
    assert.equal(offer.fileCount, 0);
    assert.equal(JSON.stringify(await b.app.getState()).includes('Dinner'), false, 'no word of it before it is accepted');
    await b.app.answerOffer(offer.id, 'always');
    const got = await b.until((s) => s.texts.length === 1, 'B lists the text');
    assert.equal(got.texts[0]!.text, text);
    assert.equal(got.texts[0]!.link, null, 'a link inside a sentence is not a link message');
    assert.equal(got.texts[0]!.protocol, 'ferry');
    assert.ok(b.events.some((e) => e.type === 'text' && e.text.id === transferId));
    const sent = (await a.until((s) => s.transfers.some((t) => t.id === transferId && t.state === 'done'), 'A done')).transfers.find(
      (t) => t.id === transferId,
    )!;
    assert.equal(sent.text, text);
    assert.equal(sent.label.first, 'Dinner at 8?');

    // Trusted now: the next one is listed without a question.
    await a.app.sendText(ben.key, 'https://example.org/menu');
    const second = await b.until((s) => s.texts.length === 2, 'second listed');
    assert.equal(second.offers.length, 0);
    assert.equal(second.texts[0]!.link, 'https://example.org/menu');
    assert.equal((await b.app.getHistory()).filter((h) => h.text !== null).length, 2);
    await rejectsWith(a.app.sendText(ben.key, 'x'.repeat(65_537)), 'LIMIT_EXCEEDED');
    assert.deepEqual(await fs.readdir(b.download), [], 'texts are not files');
    // Paths that are all skipped: nothing is offered, and the reason names the first and counts the rest.
    const nothing = await rejectsWith(a.app.sendPaths(ben.key, ['/dev/null', '/dev/zero']), 'IO_ERROR');
    assert.equal(nothing.message, 'nothing to send: null: not a regular file or folder (and 1 more)');
  });

  test('choosing what to receive: part of an offer, into another folder; the sender sees the rest skipped, not failed', async () => {
    const a = await start('Cid');
    const b = await start('Dee', 'ask', true);
    const dee = (await a.until((s) => s.peers.some((p) => p.name === 'Dee' && p.online), 'A lists Dee')).peers.find(
      (p) => p.name === 'Dee',
    )!;
    const src = await tempDir('ferry-app-src-');
    await writeTree(src, {
      'keep.txt': 'k',
      'skip.bin': Buffer.alloc(50_000, 1),
      'Album/1.jpg': 'one',
      'Album/sub/2.jpg': 'two',
      'Other/x': 'x',
    });
    const { transferId } = await a.app.sendPaths(
      dee.key,
      ['keep.txt', 'skip.bin', 'Album', 'Other'].map((n) => path.join(src, n)),
    );
    const offer = (await b.until((s) => s.offers.length === 1, 'B is asked')).offers[0]!;
    const elsewhere = path.join(await tempDir('ferry-app-else-'), 'Trip photos');
    await b.app.answerOffer(offer.id, 'accept', { paths: ['keep.txt', 'Album'], folder: elsewhere });
    const doneA = (await a.until((s) => s.transfers.some((t) => t.id === transferId && t.state === 'done'), 'A done')).transfers.find(
      (t) => t.id === transferId,
    )!;
    assert.equal(doneA.filesFailed, 0);
    assert.deepEqual(await snapshot(elsewhere), {
      'keep.txt': md5('k'),
      Album: 'dir',
      'Album/1.jpg': md5('one'),
      'Album/sub': 'dir',
      'Album/sub/2.jpg': md5('two'),
    });
    assert.deepEqual(await fs.readdir(b.download), [], 'nothing in the download folder');
    const files = await a.app.getTransferFiles(transferId);
    assert.deepEqual(
      files
        .filter((f) => f.state === 'skipped')
        .map((f) => f.path)
        .sort(),
      ['Other/x', 'skip.bin'],
    );
    const received = (await b.until((s) => s.transfers.some((t) => t.id === transferId && t.state === 'done'), 'B done')).transfers.find(
      (t) => t.id === transferId,
    )!;
    assert.equal(received.folder, elsewhere);
    await rejectsWith(b.app.answerOffer('gone', 'accept', { paths: null, folder: '/proc/nope' }), 'BAD_CONFIG');
    // `--dir` confines the files to its folder.
    await rejectsWith(a.app.answerOffer('gone', 'accept', { paths: null, folder: elsewhere }), 'INVALID_STATE');
  });

  test('decline, "always accept", cancel and a retry that resumes', async () => {
    const a = await start('Ann');
    const b = await start('Bram');
    const bram = (await a.until((s) => s.peers.some((p) => p.name === 'Bram'), 'A lists Bram')).peers.find((p) => p.name === 'Bram')!;
    const src = await tempDir('ferry-app-src-');
    const small = await randomFile(path.join(src, 'small.txt'), 100);

    const declined = await a.app.sendPaths(bram.key, [small]);
    const asked = await b.until((s) => s.offers.length === 1, 'asked');
    // While it waits, the sender's row shows the code the receiver's dialog shows, and what is sent.
    const waiting = await a.until(
      (s) => s.transfers.some((t) => t.id === declined.transferId && t.verificationCode !== null),
      'the sender sees the code',
    );
    const row = waiting.transfers.find((t) => t.id === declined.transferId)!;
    assert.equal(row.verificationCode, asked.offers[0]!.from.verificationCode);
    assert.deepEqual(row.label, { first: 'small.txt', firstIsDir: false, count: 1 });
    await b.app.answerOffer(declined.transferId, 'decline');
    const d = await a.until((s) => s.transfers.some((t) => t.id === declined.transferId && t.state === 'declined'), 'declined');
    // A person said no: Retry would only ask again what was answered.
    assert.equal(d.transfers.find((t) => t.id === declined.transferId)!.retry, null);
    assert.equal(d.transfers.find((t) => t.id === declined.transferId)!.error?.message, 'the receiver declined the offer');
    const bDeclined = (await b.app.getState()).transfers.find((t) => t.id === declined.transferId)!;
    assert.equal(bDeclined.error?.message, 'You declined the files');
    assert.deepEqual(await fs.readdir(b.download), []);

    const trusted = await a.app.sendPaths(bram.key, [small]);
    await b.until((s) => s.offers.length === 1, 'asked again');
    await b.app.answerOffer(trusted.transferId, 'always');
    await a.until((s) => s.transfers.some((t) => t.id === trusted.transferId && t.state === 'done'), 'sent after always');
    const bState = await b.app.getState();
    assert.deepEqual(
      bState.trusted.map((t) => t.name),
      ['Ann'],
    );

    // Trusted now: a big file goes without asking; cancel it midway, then retry. Progress is
    // reported every 250 ms, so the cancel follows the first report, and the file is big
    // enough to still be under way then (loopback here moves about 300 MB/s).
    const big = await randomFile(path.join(src, 'big.bin'), 128 * 1024 * 1024);
    const sent = await a.app.sendPaths(bram.key, [big]);
    await a.until((s) => s.transfers.some((t) => t.id === sent.transferId && t.transferred > 0), 'under way', 20_000);
    await a.app.cancelTransfer(sent.transferId);
    const cancelled = await a.until((s) => s.transfers.some((t) => t.id === sent.transferId && t.state === 'cancelled'), 'cancelled');
    assert.equal(cancelled.transfers.find((t) => t.id === sent.transferId)!.retry, 'ask-again');
    assert.equal(cancelled.transfers.find((t) => t.id === sent.transferId)!.error?.message, 'You cancelled the transfer');
    const bCancelled = await b.until(
      (s) => s.transfers.some((t) => t.id === sent.transferId && t.state === 'cancelled'),
      'B saw the cancel',
    );
    assert.equal(bCancelled.transfers.find((t) => t.id === sent.transferId)!.error?.message, 'Ann cancelled the transfer');

    await a.app.retryTransfer(sent.transferId);
    await a.until((s) => s.transfers.some((t) => t.id === sent.transferId && t.state === 'done'), 'retried to the end', 60_000);
    const files = await b.until((s) => s.transfers.some((t) => t.id === sent.transferId && t.state === 'done'), 'B done');
    assert.ok(files);
    const detail = await b.app.getTransferFiles(sent.transferId);
    assert.ok(detail[0]!.resumedFrom > 0, `resumed from ${detail[0]!.resumedFrom}`);
    assert.equal(await md5File(path.join(b.download, 'big.bin')), await md5File(big));
  });

  test('offers waiting for an answer are bounded: one host cannot flood the screen with prompts', async () => {
    const b = await start('Bea');
    const port = (await b.app.getState()).device.port!;
    const src = await tempDir('ferry-app-src-');
    const file = await randomFile(path.join(src, 'hello.txt'), 10);
    const offer = (from: LocalIdentity) => {
      const result = sendFiles({ host: '127.0.0.1', port, paths: [file], identity: from, answerTimeoutMs: 30_000 });
      result.catch(() => {});
      return { result };
    };
    // Two from one device wait; the third is declined at once, with the reason, never shown.
    const flooder = identity('Flood 1');
    const first = [offer(flooder), offer(flooder)];
    await b.until((s) => s.offers.length === 2, 'two offers shown');
    const third = offer(flooder);
    await assert.rejects(
      third.result,
      (e: unknown) => e instanceof FerryError && e.code === 'DECLINED' && /already waiting for an answer/.test(e.message),
    );
    // New identities from the same address: two more fit (4 per address), then no more.
    const more = [offer(identity('Flood 2')), offer(identity('Flood 3'))];
    await b.until((s) => s.offers.length === 4, 'four offers shown');
    await assert.rejects(
      offer(identity('Flood 4')).result,
      (e: unknown) => e instanceof FerryError && e.code === 'DECLINED' && /network address/.test(e.message),
    );
    assert.equal((await b.app.getState()).offers.length, 4);
    assert.equal(b.events.filter((e) => e.type === 'offer').length, 4, 'only admitted offers reach the host (and its notifications)');
    // An answer makes room again.
    const shown = (await b.app.getState()).offers;
    await b.app.answerOffer(shown[0]!.id, 'decline');
    const fifth = offer(identity('Flood 5'));
    await b.until((s) => s.offers.length === 4, 'a new offer takes the freed place');
    for (const o of (await b.app.getState()).offers) await b.app.answerOffer(o.id, 'accept');
    const results = await Promise.allSettled([...first, ...more, fifth].map((x) => x.result));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1, 'the one declined by the user');
    assert.equal(await md5File(path.join(b.download, 'hello.txt')), await md5File(file));
    // The queue shows every attempt; history keeps what the person saw, not the flood.
    const final = await b.until((s) => s.transfers.filter((t) => t.state === 'done').length === 4, 'four received');
    assert.equal(final.transfers.filter((t) => t.state === 'declined').length, 3);
    const history = await b.app.getHistory();
    assert.deepEqual(history.map((h) => h.state).sort(), ['declined', 'done', 'done', 'done', 'done']);
    assert.ok(history.every((h) => !/already waiting/.test(h.error?.message ?? '')));
  });

  test('settings: rename reaches the peer list, policy and secret apply, bad values are refused', async () => {
    const a = await start('Cleo');
    const b = await start('Dan', 'all');
    await a.until((s) => s.peers.some((p) => p.name === 'Dan'), 'A lists Dan');
    const after = await b.app.updateSettings({ deviceName: 'Daniel' });
    assert.equal(after.deviceName, 'Daniel');
    await a.until((s) => s.peers.some((p) => p.name === 'Daniel'), 'the new name is announced');
    await rejectsWith(b.app.updateSettings({ port: 70000 }), 'BAD_CONFIG');
    await rejectsWith(b.app.updateSettings({ acceptPolicy: 'whatever' } as never), 'BAD_CONFIG');
    await rejectsWith(b.app.updateSettings({ surprise: 1 } as never), 'BAD_CONFIG');
    await rejectsWith(b.app.setSecret('short'), 'BAD_CONFIG');

    // B requires a secret now; A does not know it: the send fails before any offer.
    const secret = await b.app.generateSecret();
    assert.equal((await b.app.setSecret(secret)).secretEnabled, true);
    const dan = (await a.app.getState()).peers.find((p) => p.name === 'Daniel')!;
    const src = await tempDir('ferry-app-src-');
    const file = await randomFile(path.join(src, 'x.txt'), 10);
    const t = await a.app.sendPaths(dan.key, [file]);
    const failed = await a.until((s) => s.transfers.some((x) => x.id === t.transferId && x.state === 'failed'), 'refused');
    assert.equal(failed.transfers.find((x) => x.id === t.transferId)!.error?.code, 'AUTH_REQUIRED');
    await a.app.setSecret(secret);
    await a.app.retryTransfer(t.transferId);
    await a.until((s) => s.transfers.some((x) => x.id === t.transferId && x.state === 'done'), 'with the secret');
    assert.equal(JSON.stringify(await b.app.getState()).includes(secret), false, 'the secret never reaches a UI');
  });

  test('settings the command line fixed are refused, not "saved"; a download folder must be one Ferry can write to', async () => {
    const fixed = await start('Gus');
    const s = (await fixed.app.getState()).settings;
    assert.deepEqual([...s.fixed].sort(), ['acceptPolicy', 'downloadDir', 'port']);
    assert.equal(s.downloadDir, fixed.download);
    await rejectsWith(fixed.app.updateSettings({ downloadDir: '/tmp' }), 'INVALID_STATE');
    await rejectsWith(fixed.app.updateSettings({ acceptPolicy: 'all' }), 'INVALID_STATE');
    // The value in force again is no change: a UI that sends the whole form back is not refused.
    assert.equal((await fixed.app.updateSettings({ downloadDir: fixed.download, notifications: false })).notifications, false);

    const config = await tempDir('ferry-app-config-');
    const free = await FerryApp.start({
      configDir: config,
      overrides: { port: 0, host: '127.0.0.1', deviceName: 'Hal' },
      discovery: false,
    });
    onCleanup(() => free.stop());
    assert.deepEqual((await free.getState()).settings.fixed, ['port']);
    const base = await tempDir('ferry-app-dl-');
    const aFile = await randomFile(path.join(base, 'a-file'), 10);
    await rejectsWith(free.updateSettings({ downloadDir: aFile }), 'BAD_CONFIG');
    await rejectsWith(free.updateSettings({ downloadDir: path.join(base, 'missing') }), 'NOT_FOUND');
    await rejectsWith(free.updateSettings({ downloadDir: '/proc/forbidden' }), 'NOT_FOUND');
    await rejectsWith(free.createDownloadDir('/proc/forbidden'), 'BAD_CONFIG');
    await rejectsWith(free.updateSettings({ downloadDir: '/proc' }), 'BAD_CONFIG');
    await rejectsWith(free.createDownloadDir('relative/path'), 'BAD_CONFIG');
    const before = (await free.getState()).settings.downloadDir;
    assert.ok(before !== aFile && before !== '/proc', 'nothing refused was saved');
    const wanted = path.join(base, 'new', 'inner');
    assert.equal((await free.createDownloadDir(wanted)).downloadDir, wanted);
    assert.ok((await fs.stat(wanted)).isDirectory());
    assert.deepEqual(await fs.readdir(wanted), [], 'the write test leaves nothing behind');
  });

  test('a listed device is trusted after comparing codes, and forgotten; partial files of a cancelled receive can be discarded', async () => {
    const a = await start('Ivy');
    const b = await start('Jon');
    const jon = (await a.until((s) => s.peers.some((p) => p.name === 'Jon' && p.online), 'A lists Jon')).peers.find(
      (p) => p.name === 'Jon',
    )!;
    const ivy = (await b.until((s) => s.peers.some((p) => p.name === 'Ivy' && p.online), 'B lists Ivy')).peers.find(
      (p) => p.name === 'Ivy',
    )!;
    assert.match(jon.verificationCode ?? '', /^\d{3} \d{3}$/);
    assert.equal(jon.verificationCode, ivy.verificationCode, 'both screens show the same code');
    await b.app.trustDevice(ivy.id!);
    const trusted = await b.until((s) => s.peers.some((p) => p.name === 'Ivy' && p.trusted), 'Ivy trusted');
    assert.deepEqual(
      trusted.trusted.map((t) => t.name),
      ['Ivy'],
    );
    await rejectsWith(b.app.trustDevice('0'.repeat(64)), 'NOT_FOUND');

    // Trusted: no prompt. B cancels midway; what arrived stays for a resume until B discards it.
    const src = await tempDir('ferry-app-src-');
    const big = await randomFile(path.join(src, 'big.bin'), 128 * 1024 * 1024);
    const sent = await a.app.sendPaths(jon.key, [big]);
    await b.until((s) => s.transfers.some((t) => t.id === sent.transferId && t.transferred > 0), 'under way', 20_000);
    await b.app.cancelTransfer(sent.transferId);
    const held = await b.until(
      (s) => s.transfers.some((t) => t.id === sent.transferId && t.state === 'cancelled' && t.partialBytes > 0),
      'B shows the partial file',
    );
    const row = held.transfers.find((t) => t.id === sent.transferId)!;
    assert.equal(row.error?.message, 'You cancelled the transfer');
    const all = await b.app.getPartials();
    assert.deepEqual(all, { files: 1, bytes: row.partialBytes });
    assert.deepEqual(await b.app.discardPartials(sent.transferId), { files: 0, bytes: 0 });
    assert.equal((await b.app.getState()).transfers.find((t) => t.id === sent.transferId)!.partialBytes, 0);
    assert.deepEqual(await fs.readdir(b.download), [], 'no hidden partial left behind');

    await b.app.untrustDevice(ivy.id!);
    await b.until((s) => s.peers.some((p) => p.name === 'Ivy' && !p.trusted), 'Ivy forgotten');
  });

  test('manual peers are probed over TLS and listed with their identity', async () => {
    const b = await start('Eve', 'all');
    const a = await start('Fay');
    const port = (await b.app.getState()).device.port!;
    await a.app.addManualPeer(`127.0.0.1:${port}`);
    const s = await a.until((st) => st.peers.some((p) => p.manual === `127.0.0.1:${port}` && p.id !== null), 'probed');
    const eve = s.peers.find((p) => p.manual === `127.0.0.1:${port}`)!;
    assert.equal(eve.id, (await b.app.getState()).device.id);
    await a.app.removeManualPeer(`127.0.0.1:${port}`);
    await rejectsWith(a.app.removeManualPeer(`127.0.0.1:${port}`), 'NOT_FOUND');
  });

  test('a receiver that cannot listen says why in the state, as a sentence about the setting', async () => {
    const app = await FerryApp.start({
      configDir: await tempDir('ferry-app-config-'),
      // TEST-NET-1 (RFC 5737): no interface of this machine has it.
      overrides: { downloadDir: await tempDir(), port: 0, host: '192.0.2.1', deviceName: 'Nowhere', localsend: false },
      discovery: false,
    });
    onCleanup(() => app.stop());
    const device = (await app.getState()).device;
    assert.equal(device.port, null);
    assert.equal(device.receiverError, 'cannot receive: 192.0.2.1 is not an address of this computer');
  });
});

describe('the edge where UI requests enter', () => {
  test('only contract commands with well-formed arguments pass', () => {
    assert.equal(validateCall('getState', []).name, 'getState');
    assert.deepEqual(validateCall('sendPaths', ['peer', ['/tmp/a']]).args, ['peer', ['/tmp/a']]);
    const bad: Array<[unknown, unknown, string]> = [
      ['constructor', [], 'UNKNOWN_TYPE'],
      ['__proto__', [], 'UNKNOWN_TYPE'],
      ['stop', [], 'UNKNOWN_TYPE'],
      ['resolveReceived', ['x', 'y'], 'UNKNOWN_TYPE'],
      [42, [], 'UNKNOWN_TYPE'],
      ['getState', ['extra'], 'BAD_MESSAGE'],
      ['sendPaths', ['peer', []], 'BAD_MESSAGE'],
      ['sendPaths', ['peer', [42]], 'BAD_MESSAGE'],
      ['sendPaths', ['peer', '/etc/passwd'], 'BAD_MESSAGE'],
      ['answerOffer', ['id', 'maybe'], 'BAD_MESSAGE'],
      ['updateSettings', [null], 'BAD_MESSAGE'],
      ['updateSettings', [['port']], 'BAD_MESSAGE'],
      ['setSecret', [42], 'BAD_MESSAGE'],
      ['cancelTransfer', ['x'.repeat(1000)], 'BAD_MESSAGE'],
      ['getState', 'not a list', 'BAD_MESSAGE'],
    ];
    for (const [name, args, code] of bad) {
      assert.throws(
        () => validateCall(name, args),
        (e: unknown) => e instanceof FerryError && e.code === code,
        `${String(name)} ${JSON.stringify(args)}`,
      );
    }
    for (const name of COMMAND_NAMES) assert.throws(() => validateCall(name, ['x', 'y', 'z', 'w']), /bad arguments/);
  });
});
