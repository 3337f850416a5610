// The `ferry` command as users and scripts run it: real processes, real files, loopback.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  freeTcpPort,
  isEvent,
  listenForTest,
  md5File,
  randomFile,
  REPO,
  runCli,
  snapshot,
  startCli,
  startReceiverCli,
  TcpProxy,
  tempDir,
  waitUntil,
} from '../helpers.js';

/** TCP ports a process listens on, from /proc (its socket inodes among the listening ones). */
async function listeningPorts(pid: number): Promise<number[]> {
  const fds = await fs.readdir(`/proc/${pid}/fd`);
  const inodes = new Set<string>();
  for (const fd of fds) {
    const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await fs.readFile(table, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; st 0A is LISTEN; the inode is the tenth field.
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

function connectionsTo(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

function receiver(extra: string[] = [], port = '0') {
  return startReceiverCli(extra, { port });
}

describe('ferry CLI', () => {
  test('receive --once and send move a file, with JSON events and exit code 0', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'song.flac'), 2_500_000);
    const r = await receiver(['--accept', 'all', '--once']);
    const sent = await runCli(['send', '--to', `127.0.0.1:${r.port}`, '--json', '--config', await tempDir(), file]);
    assert.equal(sent.code, 0, sent.stderr);
    const kinds = sent.events.map((e) => e.event);
    for (const k of ['offer', 'connecting', 'accepted', 'progress', 'file-done', 'done'] as const)
      assert.ok(kinds.includes(k), `${k} in ${kinds}`);
    const fileDone = sent.events.find(isEvent('file-done'))!;
    assert.equal(fileDone.verified, true);
    assert.equal(fileDone.resumedFrom, 0);
    assert.equal(fileDone.md5, await md5File(file));
    const progress = sent.events.filter(isEvent('progress'));
    assert.ok(progress.every((p) => p.total === 2_500_000 && p.transferred <= p.total && p.bytesPerSecond >= 0));
    const recv = await r.done;
    assert.equal(recv.code, 0, recv.stderr);
    assert.ok(recv.events.some((e) => e.event === 'done' && e.ok));
    assert.equal(await md5File(path.join(r.dir, 'song.flac')), await md5File(file));
    // --json output is nothing but JSON lines.
    for (const line of sent.stdout.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line));
  });

  test('send to a Ferry address opens no port of its own while it sends', async () => {
    // A receiver that takes the connection and says nothing: the sender waits in its TLS
    // handshake, long enough to look at what it listens on.
    const silent = net.createServer(() => {});
    const port = await listenForTest(silent);
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'a.bin'), 1000);
    const s = startCli(['send', '--to', `127.0.0.1:${port}`, '--json', '--retries', '0', '--config', await tempDir(), file]);
    await waitUntil('the sender connects', async () => (await connectionsTo(silent)) > 0, 10_000);
    assert.deepEqual(await listeningPorts(s.child.pid!), [], 'a plain send listens on nothing');
    s.child.kill();
    await s.done;
  });

  test('send --text: the receiver prints a text event in --json and exits with --once; declined exits 1', async () => {
    const r = await receiver(['--accept', 'all', '--once']);
    const text = 'bring the \u001b[1mcharger\u001b[0m\tplease\nthanks';
    const sent = await runCli(['send', '--to', `127.0.0.1:${r.port}`, '--json', '--text', text, '--config', await tempDir()]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.events.find(isEvent('done'))?.ok, true);
    const recv = await r.done;
    assert.equal(recv.code, 0, recv.stderr);
    const got = recv.events.find(isEvent('text'));
    assert.equal(got?.text, text, 'JSON carries it whole; its escapes are JSON escapes, never raw on the terminal');
    assert.doesNotMatch(recv.stdout, /\u001b/);
    assert.deepEqual(await snapshot(r.dir), {}, 'no file for a text');

    const none = await receiver(['--accept', 'none']);
    const declined = await runCli(['send', '--to', `127.0.0.1:${none.port}`, '--text', 'hi', '--config', await tempDir()]);
    assert.equal(declined.code, 1);
    assert.match(declined.stderr, /declined/);
    none.child.kill('SIGTERM');
  });

  test('--to twice sends to both, each its own transfer; one that declines makes the exit 1 and is named', async () => {
    const file = await randomFile(path.join(await tempDir(), 'plan.pdf'), 300_000);
    const a = await receiver(['--accept', 'all', '--once']);
    const b = await receiver(['--accept', 'all', '--once']);
    const both = await runCli(['send', '--json', '--to', a.to, '--to', b.to, '--config', await tempDir(), file]);
    assert.equal(both.code, 0, both.stderr);
    const ids = new Set(both.events.filter(isEvent('done')).map((e) => e.transferId));
    assert.equal(ids.size, 2, 'two transfers');
    for (const r of [a, b]) {
      assert.equal((await r.done).code, 0);
      assert.equal(await md5File(path.join(r.dir, 'plan.pdf')), await md5File(file));
    }
    const ok = await receiver(['--accept', 'all', '--once']);
    const no = await receiver(['--accept', 'none']);
    const mixed = await runCli(['send', '--to', ok.to, '--to', no.to, '--config', await tempDir(), file]);
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, new RegExp(`ferry: ${no.to.replace(/\./g, '\\.')}: declined: `));
    assert.equal((await ok.done).code, 0, 'the other receiver got it');
    no.child.kill('SIGTERM');
    const twice = await runCli(['send', '--to', a.to, '--to', a.to, file]);
    assert.equal(twice.code, 2);
  });

  test('--accept none declines: the sender exits non-zero with a one-line reason', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'a.txt'), 10);
    const r = await receiver(['--accept', 'none']);
    const sent = await runCli(['send', '--to', `127.0.0.1:${r.port}`, '--config', await tempDir(), file]);
    assert.equal(sent.code, 1);
    assert.match(sent.stderr.trim().split('\n').at(-1)!, /^ferry: declined: \S/);
    assert.deepEqual(await snapshot(r.dir), {});
    r.child.kill('SIGTERM');
  });

  test('--accept ask without a terminal declines and says why', async () => {
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'a.txt'), 10);
    const r = await receiver(['--accept', 'ask']);
    const sent = await runCli(['send', '--to', `127.0.0.1:${r.port}`, '--json', '--config', await tempDir(), file]);
    assert.equal(sent.code, 1);
    const declined = sent.events.find(isEvent('declined'));
    assert.equal(declined?.message, 'the receiver has no terminal to ask on');
    r.child.kill('SIGTERM');

    // A person who started it so (a service, a pipe) is told at once, with what to use instead.
    const port = await freeTcpPort();
    const dir = await tempDir();
    const human = startCli([
      'receive',
      '--accept',
      'ask',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--no-announce',
      '--no-localsend',
      '--config',
      await tempDir(),
      '--dir',
      dir,
    ]);
    const listening = (): Promise<boolean> =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(true)).once('error', () => resolve(false));
        s.once('connect', () => s.destroy());
      });
    await waitUntil('the receiver listens', listening, 15_000);
    const offered = await runCli(['send', '--to', `127.0.0.1:${port}`, '--config', await tempDir(), file]);
    assert.equal(offered.code, 1, offered.stderr);
    human.child.kill('SIGTERM');
    const said = (await human.done).stderr;
    assert.match(
      said,
      /^ {2}No terminal to ask on: offers from devices not trusted will be declined \(--accept all answers every offer without asking\)$/m,
    );
    assert.match(said, /^Declined the offer from .* \(the receiver has no terminal to ask on\)$/m);
    assert.deepEqual(await snapshot(dir), {});
  });

  test('resumes after the sender is killed mid-file: the second run sends only the rest', async () => {
    const src = await tempDir();
    const size = 48 * 1024 * 1024;
    const file = await randomFile(path.join(src, 'backup.tar'), size);
    const senderConfig = await tempDir();
    const r = await receiver(['--accept', 'all']);
    const slow = new TcpProxy({ target: r.port, bytesPerSecond: 24 * 1024 * 1024 });
    const first = startCli(['send', '--to', `127.0.0.1:${await slow.listen()}`, '--json', '--config', senderConfig, file]);
    await r.waitFor((e) => e.event === 'progress' && e.transferred >= size * 0.6, 30_000);
    first.child.kill('SIGKILL');
    await first.done;
    await r.waitFor(isEvent('error'));
    const counter = new TcpProxy({ target: r.port });
    const second = await runCli(['send', '--to', `127.0.0.1:${await counter.listen()}`, '--json', '--config', senderConfig, file]);
    assert.equal(second.code, 0, second.stderr);
    const done = second.events.find(isEvent('file-done'))!;
    assert.ok(done.resumedFrom >= size * 0.5, `resumed from ${done.resumedFrom}`);
    assert.ok(
      counter.bytesUp < size - done.resumedFrom + 64 * 1024,
      `${counter.bytesUp} bytes crossed for ${size - done.resumedFrom} missing`,
    );
    assert.equal(await md5File(path.join(r.dir, 'backup.tar')), await md5File(file));
    r.child.kill('SIGTERM');
  });

  test('resumes after the receiver is killed: the sender retries until it is back', async () => {
    const src = await tempDir();
    const size = 48 * 1024 * 1024;
    const file = await randomFile(path.join(src, 'video.mp4'), size);
    const port = await freeTcpPort();
    const r1 = await receiver(['--accept', 'all'], String(port));
    const slow = new TcpProxy({ target: port, bytesPerSecond: 24 * 1024 * 1024 });
    const sender = startCli([
      'send',
      '--to',
      `127.0.0.1:${await slow.listen()}`,
      '--json',
      '--retries',
      '10',
      '--config',
      await tempDir(),
      file,
    ]);
    await r1.waitFor((e) => e.event === 'progress' && e.transferred >= size * 0.5, 30_000);
    r1.child.kill('SIGKILL');
    await r1.done;
    await sender.waitFor(isEvent('retry'));
    const r2 = startCli([
      'receive',
      '--dir',
      r1.dir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--accept',
      'all',
      '--once',
      '--json',
      '--config',
      r1.config,
    ]);
    const sent = await sender.done;
    assert.equal(sent.code, 0, sent.stderr);
    const done = sent.events.find(isEvent('file-done'))!;
    assert.ok(done.resumedFrom >= size * 0.3, `resumed from ${done.resumedFrom}`);
    assert.equal((await r2.done).code, 0);
    assert.equal(await md5File(path.join(r1.dir, 'video.mp4')), await md5File(file));
  });

  test('usage errors exit 2 with the reason and a pointer to --help; missing files and dead peers exit 1 with a reason', async () => {
    const bad = await runCli(['frobnicate']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'ferry: unknown command "frobnicate"\nRun \'ferry --help\' for the list of commands.\n');
    assert.equal((await runCli(['send', 'x'])).code, 2);
    // The files are read first (a typo fails at once), then the name is looked for.
    const real = await randomFile(path.join(await tempDir(), 'real.txt'), 10);
    assert.match((await runCli(['send', '--to', 'nocolon', real])).stderr, /HOST:PORT/);
    // One parser for --accept: receive and serve refuse the same values in the same words.
    for (const command of ['receive', 'serve']) {
      const maybe = await runCli([command, '--accept', 'maybe']);
      assert.equal(maybe.code, 2, command);
      assert.match(maybe.stderr, /--accept takes all, ask, trusted or none, not "maybe"/, command);
    }
    assert.equal((await runCli(['receive', '--bogus'])).code, 2);

    const missing = await runCli(['send', '--to', '127.0.0.1:9', '--config', await tempDir(), '/definitely/not/here']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^ferry: cannot read \/definitely\/not\/here/);

    const src = await tempDir();
    const file = await randomFile(path.join(src, 'a.txt'), 10);
    const dead = await runCli(['send', '--to', `127.0.0.1:${await freeTcpPort()}`, '--retries', '1', '--config', await tempDir(), file]);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr.trim().split('\n').at(-1)!, /^ferry: cannot connect: .*gave up after 2 attempts/);
  });

  test('a download or settings folder that cannot be made: one line naming it and why, exit 1, never a hang', async () => {
    const base = await tempDir();
    const file = await randomFile(path.join(base, 'a-file'), 10);
    const cases: Array<{ args: string[]; says: RegExp }> = [
      { args: ['receive', '--dir', file], says: /^ferry: Ferry cannot create .*a-file: a file of that name is there$/ },
      {
        args: ['receive', '--dir', path.join(file, 'x', 'y')],
        says: /^ferry: Ferry cannot create .*a-file\/x\/y: .*a-file is a file, not a folder$/,
      },
      {
        args: ['receive', '--dir', base, '--config', file],
        says: /^ferry: cannot read .*a-file\/device-key\.pem: .*a-file is not a folder$/,
      },
    ];
    // Under /proc, mkdir answers ENOENT below an existing folder: Node's recursive mkdir then
    // spins for ever at 100 % CPU (it did for --dir and --config there).
    if (process.platform === 'linux') {
      cases.push({
        args: ['receive', '--dir', '/proc/ferry-test/x'],
        says: /^ferry: Ferry cannot create \/proc\/ferry-test\/x: folders cannot be made there$/,
      });
      cases.push({
        args: ['peers', '--timeout', '1', '--config', '/proc/ferry-test'],
        says: /^ferry: Ferry cannot create \/proc\/ferry-test: folders cannot be made there$/,
      });
    }
    for (const { args, says } of cases) {
      const configless = args.includes('--config') ? [] : ['--config', await tempDir()];
      const extra = args[0] === 'receive' ? ['--port', '0', '--host', '127.0.0.1', '--no-announce', '--no-localsend'] : [];
      const cli = startCli([...args, ...configless, ...extra]);
      const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000).unref());
      const run = await Promise.race([cli.done, hung]);
      if (run === 'hung') {
        cli.child.kill('SIGKILL');
        assert.fail(`ferry ${args.join(' ')} did not exit`);
      }
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr.trim(), says, args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });

  test('a port taken or an address not of this computer: the setting at fault in one line, exit 1', async () => {
    const taken = await listenForTest(net.createServer());
    const base = ['receive', '--config', await tempDir(), '--dir', await tempDir(), '--no-announce', '--no-localsend'];
    const inUse = await runCli([...base, '--host', '127.0.0.1', '--port', String(taken)]);
    assert.equal(inUse.code, 1);
    assert.equal(inUse.stderr, `ferry: port ${taken} on 127.0.0.1 is in use by another program\n`);
    // TEST-NET-1 (RFC 5737): on no interface of any machine that runs the tests.
    const elsewhere = await runCli([...base, '--host', '192.0.2.1', '--port', '0']);
    assert.equal(elsewhere.code, 1);
    assert.equal(elsewhere.stderr, 'ferry: 192.0.2.1 is not an address of this computer\n');
  });

  test('help and version', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /receive[\s\S]*send[\s\S]*peers[\s\S]*Run 'ferry COMMAND --help'/);
    const version = await runCli(['--version']);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });
});
