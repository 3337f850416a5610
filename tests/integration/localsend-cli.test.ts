// LocalSend from the command line, with the real `ferry` binary against the tests' own
// LocalSend peer on loopback: `ferry receive` takes a LocalSend app's files and says where it
// listens for them, `ferry send --to localsend://…` delivers (with --pin when asked), `ferry
// peers` lists a LocalSend device with what LocalSend calls it, and the flags' bad input.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { LocalSendPeer } from '../fixtures/localsend-peer.ts';
import {
  isEvent,
  md5File,
  onCleanup,
  randomFile,
  runCli,
  startCli,
  startReceiverCli,
  tempDir,
  waitUntil,
  type EventOf,
} from '../helpers.ts';

async function phone(): Promise<LocalSendPeer> {
  const p = await LocalSendPeer.start({ alias: 'Pixel 8', deviceType: 'mobile' });
  onCleanup(() => p.close());
  return p;
}

describe('ferry receive and LocalSend apps', () => {
  test('the listening event names the LocalSend port; a LocalSend app sends and the files land, printed as LocalSend', async () => {
    const r = await startReceiverCli(['--accept', 'all', '--localsend-port', '0', '--no-announce']);
    const listening = r.events.find(isEvent('listening')) as EventOf<'listening'>;
    assert.ok(listening.localsendPort && listening.localsendPort > 0, JSON.stringify(listening));
    const p = await phone();
    const src = await tempDir('ls-cli-src-');
    const file = await randomFile(path.join(src, 'IMG_0001.jpg'), 250_000);
    const sent = await p.sendTo({ host: '127.0.0.1', port: listening.localsendPort, protocol: 'https' }, { files: [file] }).done;
    assert.equal(sent.outcome, 'sent');
    const offer = (await r.waitFor((e) => e.event === 'offer' && e.direction === 'receive')) as EventOf<'offer'>;
    assert.equal(offer.peer?.protocol, 'localsend');
    assert.equal(offer.peer?.verified, true);
    await r.waitFor((e) => e.event === 'done' && e.direction === 'receive');
    assert.equal(await md5File(path.join(r.dir, 'IMG_0001.jpg')), await md5File(file));
  });

  test('--no-localsend: no LocalSend server; a PIN file too short is a clear error', async () => {
    const r = await startReceiverCli(['--accept', 'all', '--no-localsend', '--no-announce']);
    const listening = r.events.find(isEvent('listening')) as EventOf<'listening'>;
    assert.equal(listening.localsendPort, null);
    r.child.kill('SIGINT');
    await r.done;

    const pinFile = path.join(await tempDir('ls-cli-pin-'), 'pin');
    await fs.writeFile(pinFile, '12\n');
    const bad = await runCli([
      'receive',
      '--port',
      '0',
      '--localsend-pin-file',
      pinFile,
      '--json',
      '--config',
      await tempDir('ls-cli-cfg-'),
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /PIN in .* must have 4 to 64 characters/);
    const both = await runCli(['receive', '--no-localsend', '--localsend-port', '5']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--no-localsend turns LocalSend off/);
  });

  test('--localsend-pin-file: a LocalSend app without the PIN gets 401, with it the files come', async () => {
    const pinFile = path.join(await tempDir('ls-cli-pin-'), 'pin');
    await fs.writeFile(pinFile, '8642\n');
    const r = await startReceiverCli(['--accept', 'all', '--localsend-port', '0', '--localsend-pin-file', pinFile, '--no-announce']);
    const port = (r.events.find(isEvent('listening')) as EventOf<'listening'>).localsendPort!;
    const p = await phone();
    const file = await randomFile(path.join(await tempDir('ls-cli-src-'), 'a.bin'), 100);
    assert.equal((await p.sendTo({ host: '127.0.0.1', port, protocol: 'https' }, { files: [file] }).done).outcome, 'pin');
    assert.equal((await p.sendTo({ host: '127.0.0.1', port, protocol: 'https' }, { files: [file] }, { pin: '8642' }).done).outcome, 'sent');
  });
});

describe('ferry send and ferry peers to LocalSend apps', () => {
  test('--to localsend://HOST:PORT delivers; the text says it cannot resume; --json events carry the peer as LocalSend', async () => {
    const p = await phone();
    const src = await tempDir('ls-cli-src-');
    const file = await randomFile(path.join(src, 'clip.mp4'), 600_000);
    const run = await runCli(['send', '--to', `localsend://127.0.0.1:${p.port}`, '--config', await tempDir('ls-cli-cfg-'), file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /cannot resume/);
    assert.match(run.stderr, /a LocalSend app/);
    assert.equal(p.received.length, 1);
    assert.equal(p.received[0]!.fileName, 'clip.mp4');
    assert.equal(p.received[0]!.sha256, p.offers[0]!.files[0]!.sha256, 'the offer carried the sha256 of what came');

    const json = await runCli([
      'send',
      '--json',
      '--to',
      `localsend://127.0.0.1:${p.port}`,
      '--config',
      await tempDir('ls-cli-cfg-'),
      file,
    ]);
    assert.equal(json.code, 0, json.stderr);
    const connected = json.events.find(isEvent('connected'))!;
    assert.equal(connected.peer.protocol, 'localsend');
    assert.equal(connected.peer.deviceId, p.fingerprint.toLowerCase());
    assert.equal(json.events.find(isEvent('done'))?.ok, true);
  });

  test('a receiver that asks for a PIN: none → exit 1 naming --pin; the wrong one → exit 1; the right one → 0', async () => {
    const p = await phone();
    p.pin = '1357';
    const file = await randomFile(path.join(await tempDir('ls-cli-src-'), 'a.txt'), 50);
    const to = `localsend://127.0.0.1:${p.port}`;
    const none = await runCli(['send', '--to', to, '--config', await tempDir('ls-cli-cfg-'), file]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /PIN.*--pin PIN/);
    const wrong = await runCli(['send', '--to', to, '--pin', '0000', '--config', await tempDir('ls-cli-cfg-'), file]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /PIN/);
    const right = await runCli(['send', '--to', to, '--pin', '1357', '--config', await tempDir('ls-cli-cfg-'), file]);
    assert.equal(right.code, 0, right.stderr);
    assert.equal(p.received.length, 1);
  });

  test('a declining receiver: exit 1 with its answer; a bad localsend:// address: exit 2', async () => {
    const p = await phone();
    p.policy = 'decline';
    const file = await randomFile(path.join(await tempDir('ls-cli-src-'), 'a.txt'), 50);
    const run = await runCli(['send', '--to', `localsend://127.0.0.1:${p.port}`, '--config', await tempDir('ls-cli-cfg-'), file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /declined/);
    const bad = await runCli(['send', '--to', 'localsend://no such host:1', file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--to wants localsend:\/\/HOST/);
  });

  test('--text sends a message (and - reads it from standard input); the receiver prints it with escapes neutralised', async () => {
    const p = await phone();
    const to = `localsend://127.0.0.1:${p.port}`;
    const run = await runCli(['send', '--to', to, '--text', 'see you at 8', '--config', await tempDir('ls-cli-cfg-')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /has the message/);
    const piped = startCli(
      ['send', '--to', to, '--text', '-', '--config', await tempDir('ls-cli-cfg-')],
      {},
      { stdin: 'from a pipe\nline 2\n' },
    );
    assert.equal((await piped.done).code, 0);
    assert.deepEqual(
      p.texts.map((t) => t.text),
      ['see you at 8', 'from a pipe\nline 2'],
    );
    const both = await runCli(['send', '--to', to, '--text', 'x', 'file.txt']);
    assert.equal(both.code, 2);

    // Human output, as a person reads it in a terminal.
    const r = startCli([
      'receive',
      '--accept',
      'all',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--localsend-port',
      '0',
      '--no-announce',
      '--dir',
      await tempDir('ls-cli-dl-'),
      '--config',
      await tempDir('ls-cli-cfg-'),
    ]);
    // Human lines go to stderr (stdout is for --json).
    let stdout = '';
    r.child.stderr!.on('data', (b: Buffer) => (stdout += b.toString()));
    await waitUntil('listening', () => /for LocalSend apps on port \d+/.test(stdout), 10_000);
    const port = Number(/for LocalSend apps on port (\d+)/.exec(stdout)![1]);
    const evil = 'hi\u001b[31mRED\rover\nsecond';
    assert.equal((await p.sendTo({ host: '127.0.0.1', port, protocol: 'https' }, { text: evil }).done).outcome, 'text-delivered');
    await waitUntil('printed', () => /second/.test(stdout), 10_000);
    const out = stdout;
    assert.match(out, /Message from "Pixel 8":\n {2}hi\\x1b\[31mRED\\x0dover\n {2}second/);
    assert.doesNotMatch(out, /\u001b/);
  });

  test('ferry peers --add localsend://… lists it with protocol, device type and fingerprint', async () => {
    const p = await phone();
    const config = await tempDir('ls-cli-cfg-');
    const run = await runCli(['peers', '--json', '--timeout', '0.5', '--add', `localsend://127.0.0.1:${p.port}`, '--config', config]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = lines.find((l) => l.protocol === 'localsend');
    assert.ok(entry, run.stdout);
    assert.equal(entry.name, 'Pixel 8');
    assert.equal(entry.fingerprint, p.fingerprint.toLowerCase());
    assert.equal(entry.reachable, true);
    const table = await runCli(['peers', '--timeout', '0.5', '--config', config]);
    assert.match(table.stdout, new RegExp(`localsend://127\\.0\\.0\\.1:${p.port}`));
  });
});
