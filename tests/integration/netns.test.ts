// Discovery between two real hosts: two network namespaces joined by a veth pair, with
// addresses from the benchmarking range (198.18.0.0/15) that exist only inside them. A
// receiver in one, `ferry peers` and `ferry send --to NAME` in the other. Needs root (CI and
// our machines have it); without namespaces it skips, except under CI, where it fails.
// Nothing is sent anywhere but inside those namespaces.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FERRY_BIN, md5File, onCleanup, randomFile, tempDir } from '../helpers.js';

const NS_A = `ferryA${process.pid}`;
const NS_B = `ferryB${process.pid}`;
const VETH_A = `fva${process.pid}`;
const VETH_B = `fvb${process.pid}`;
const ADDR_A = '198.18.0.1';
const ADDR_B = '198.18.0.2';

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
}

function quietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // already gone
  }
}

function tearDown(): void {
  quietly(() => ip('netns', 'del', NS_A)); // deleting a namespace deletes its end of the veth, and so the pair
  quietly(() => ip('netns', 'del', NS_B));
  quietly(() => ip('link', 'del', VETH_A)); // still in our namespace if setup failed half-way
}

/** Namespaces left by earlier runs that were killed before their cleanup. */
function sweepAbandoned(): void {
  let list = '';
  quietly(() => (list = ip('netns', 'list')));
  for (const m of list.matchAll(/^ferry[AB](\d+)\b/gm)) {
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) quietly(() => ip('netns', 'del', m[0]));
  }
}

/** Builds the two hosts; returns why it could not, or null. */
function setUp(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  try {
    sweepAbandoned();
    ip('netns', 'add', NS_A);
    ip('netns', 'add', NS_B);
    ip('link', 'add', VETH_A, 'type', 'veth', 'peer', 'name', VETH_B);
    ip('link', 'set', VETH_A, 'netns', NS_A);
    ip('link', 'set', VETH_B, 'netns', NS_B);
    for (const [ns, dev, addr] of [
      [NS_A, VETH_A, ADDR_A],
      [NS_B, VETH_B, ADDR_B],
    ] as const) {
      ip('-n', ns, 'addr', 'add', `${addr}/24`, 'brd', '198.18.0.255', 'dev', dev);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
      // Lets multicast and 255.255.255.255 leave; there is nowhere else to go.
      ip('-n', ns, 'route', 'add', 'default', 'dev', dev);
    }
    return null;
  } catch (err) {
    tearDown();
    const e = err as Error & { stderr?: string };
    return `cannot create network namespaces (${(e.stderr || e.message).trim()})`;
  }
}

const unavailable = setUp();
// Cleanup runs in the test's after hook; the exit hook covers a run that dies before it.
onCleanup(tearDown);
process.once('exit', tearDown);

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  lines: Array<Record<string, unknown>>;
  waitFor(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** The real `ferry` inside a namespace, with discovery at its defaults (port, every interface). */
function ferryIn(ns: string, args: string[]): Run {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, FERRY_BIN, ...args], {
    env: { ...process.env, FERRY_DISCOVERY_PORT: '', FERRY_DISCOVERY_INTERFACES: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    const complete = stdout.split('\n').slice(0, -1);
    lines.splice(0, lines.length, ...complete.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>));
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const waitFor = async (pred: (l: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = lines.find(pred);
      if (hit) return hit;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`not seen; stdout ${stdout} stderr ${stderr}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100);
        waiters.push(() => (clearTimeout(t), r()));
      });
    }
  };
  return { child, done, lines, waitFor };
}

describe('discovery between two hosts (network namespaces)', () => {
  if (unavailable) {
    if (process.env.CI) {
      test('network namespaces can be created', () => assert.fail(`${unavailable}; this test must run in CI`));
    } else {
      test('network namespaces can be created', { skip: unavailable }, () => {});
    }
    return;
  }

  test('a receiver in one namespace is listed in the other, reached by name, and gone after it stops', { timeout: 30_000 }, async () => {
    const name = `Netns box ${process.pid}`;
    const dir = await tempDir('ferry-netns-recv-');
    const receiver = ferryIn(NS_A, [
      'receive',
      '--port',
      '0',
      '--accept',
      'all',
      '--json',
      '--name',
      name,
      '--dir',
      dir,
      '--config',
      await tempDir(),
    ]);
    const listening = await receiver.waitFor((l) => l.event === 'listening');
    const senderConfig = await tempDir();

    // Within 3 seconds: peers listens for 2.
    const peers = await ferryIn(NS_B, ['peers', '--json', '--timeout', '2', '--config', senderConfig]).done;
    assert.equal(peers.code, 0, peers.stderr);
    const found = peers.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      found.map((p) => [p.name, p.addresses, p.port, p.source]),
      [[name, [ADDR_A], listening.port, 'discovered']],
    );

    const src = await tempDir();
    const file = await randomFile(path.join(src, 'report.pdf'), 1_500_000);
    const sent = await ferryIn(NS_B, ['send', '--to', name.toLowerCase(), '--json', '--config', senderConfig, file]).done;
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(await md5File(path.join(dir, 'report.pdf')), await md5File(file));
    const offer = await receiver.waitFor((l) => l.event === 'offer');
    assert.equal((offer.peer as { address?: string } | null)?.address?.replace(/^::ffff:/, ''), ADDR_B, 'the transfer crossed the veth');

    receiver.child.kill('SIGTERM');
    await receiver.done;
    const after = await ferryIn(NS_B, ['peers', '--json', '--timeout', '1', '--config', senderConfig]).done;
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout.trim(), '', 'nobody is listed once the receiver has stopped');
    assert.deepEqual(await fs.readdir(dir), ['report.pdf']);
  });
});
