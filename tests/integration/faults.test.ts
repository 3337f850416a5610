// Fault injection between real `ferry` processes: garbage and corrupted TLS records, killed
// processes, cut and slow links, a full disk, files changed between attempts, crowds and
// floods. Every test ends with the same invariants (checkInvariants): nothing wrong or
// duplicated under a final name, nothing written outside the download folder, a receiver
// that still serves, senders that exited with a meaningful code and a one-line reason, and
// no connection left open.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { describe, test } from 'node:test';
import { clientTlsOptions } from '../../main/core/security/tls.js';
import type { TransferEvent } from '../../main/core/model/events.js';
import {
  type CliRun,
  type EventOf,
  freeTcpPort,
  identity,
  isEvent,
  md5File,
  onCleanup,
  randomFile,
  snapshot,
  startCli,
  TcpProxy,
  tempDir,
  writeTree,
} from '../helpers.js';
import {
  fillDisk,
  heldConnections,
  isRoot,
  mountTmpfs,
  slowLink,
  stamp,
  startCliIn,
  type SlowLink,
  type StampedCli,
} from '../fixtures/fault-env.js';
import { cancellingReceiver } from '../fixtures/fault-peer.js';
import { FaultProxy } from '../fixtures/fault-proxy.js';

const MB = 1024 * 1024;
/** Bounds every test; each waits on its own, shorter deadlines and says what did not happen. */
const TEST_TIMEOUT = 90_000;
/**
 * "Within about 2 s" for dropping a connection whose TLS failed: a side may linger briefly so
 * that the peer can read its alert, but must not hold the slot until some 10 or 30 s timeout.
 * The extra second is slack for timers on a busy 2-core machine.
 */
const TLS_FAILURE_CLOSE_MS = 3000;

// ---- waiting, with deadlines and a reason ----

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} (waited ${ms} ms)`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls pred every 50 ms; fails after ms with what, and detail() of the last look. */
async function until(pred: () => boolean | Promise<boolean>, what: string, ms: number, detail: () => unknown = () => ''): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (performance.now() > deadline) {
      const d = await detail();
      throw new Error(`${what} (waited ${ms} ms)${d === '' ? '' : `: ${typeof d === 'string' ? d : JSON.stringify(d)}`}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const kinds = (events: TransferEvent[]): string => events.map((e) => e.event).join(',');

// ---- the real CLI on both ends ----

interface Rx {
  cli: StampedCli;
  pid: number;
  /** The download folder: alone in a folder of its own, so that writes beside it show. */
  dir: string;
  config: string;
  host: string;
  port: number;
  /** The network namespace senders to this receiver run in (slow-link test), if any. */
  senderNs?: string;
}

/** `ferry receive --accept all` on loopback (or in a namespace of a slow link). */
async function startRx(opts: { dir?: string; config?: string; port?: number; link?: SlowLink } = {}): Promise<Rx> {
  const dir = opts.dir ?? path.join(await tempDir('ferry-fault-rx-'), 'downloads');
  const config = opts.config ?? (await tempDir('ferry-fault-rcfg-'));
  const host = opts.link?.receiverIp ?? '127.0.0.1';
  const args = [
    'receive',
    '--host',
    host,
    '--port',
    String(opts.port ?? 0),
    '--accept',
    'all',
    '--no-announce',
    '--json',
    '--dir',
    dir,
    '--config',
    config,
  ];
  const cli = opts.link ? startCliIn(opts.link.receiverNs, args) : stamp(startCli(args));
  const listening = (await cli.waitFor(isEvent('listening'), 15_000)) as EventOf<'listening'>;
  return { cli, pid: cli.child.pid!, dir, config, host, port: listening.port, ...(opts.link ? { senderNs: opts.link.senderNs } : {}) };
}

/** `ferry send --json` to rx (or to `via`, a proxy's port in front of it). */
function send(
  rx: Pick<Rx, 'host' | 'port' | 'senderNs'>,
  config: string,
  paths: string[],
  opts: { via?: number; retries?: number } = {},
): StampedCli {
  const to = opts.via !== undefined ? `127.0.0.1:${opts.via}` : `${rx.host}:${rx.port}`;
  const args = [
    'send',
    '--json',
    '--to',
    to,
    '--config',
    config,
    ...(opts.retries !== undefined ? ['--retries', String(opts.retries)] : []),
    ...paths,
  ];
  return rx.senderNs ? startCliIn(rx.senderNs, args) : stamp(startCli(args));
}

/** The run once the process has exited; a process still running after ms fails the test (and is killed). */
async function exited(cli: StampedCli, ms: number, what = 'ferry send'): Promise<CliRun> {
  try {
    return await within(cli.done, ms, `${what} did not exit`);
  } catch (err) {
    cli.child.kill('SIGKILL');
    const run = await cli.done;
    throw new Error(`${(err as Error).message}; it printed events ${kinds(run.events)}; stderr: ${JSON.stringify(run.stderr)}`, {
      cause: err,
    });
  }
}

/** How long after its `done` event the process exited (ms). */
function exitDelayAfterDone(cli: StampedCli): number {
  const done = cli.stamped.find((s) => s.e.event === 'done');
  assert.ok(done, `no done event: ${kinds(cli.events)}`);
  assert.ok(cli.exitedAt !== null, 'the process has not exited');
  return cli.exitedAt - done.at;
}

function receiverProgress(rx: Rx, transferId: string, atLeast: number): Promise<TransferEvent> {
  return rx.cli.waitFor(
    (e) => e.event === 'progress' && e.direction === 'receive' && e.transferId === transferId && e.transferred >= atLeast,
    30_000,
  );
}

async function transferIdOf(cli: StampedCli): Promise<string> {
  return ((await cli.waitFor(isEvent('offer'), 15_000)) as EventOf<'offer'>).transferId;
}

/** Every file under root, as `prefix/relative path` → its absolute path (what a receiver should end up with). */
async function filesUnder(root: string, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [rel, kind] of Object.entries(await snapshot(root))) {
    if (kind !== 'dir') out[`${prefix}/${rel}`] = path.join(root, ...rel.split('/'));
  }
  return out;
}

/** A TLS client with a device certificate of its own that sends nothing itself (a FaultProxy speaks for it). */
function quietTlsClient(port: number): { socket: tls.TLSSocket; closed: Promise<number>; isClosed(): boolean } {
  const socket = tls.connect({ port, host: '127.0.0.1', ...clientTlsOptions(identity('garbage client').tls) });
  socket.on('error', () => {});
  let closed = false;
  onCleanup(() => void socket.destroy());
  return {
    socket,
    closed: new Promise((r) => socket.once('close', () => ((closed = true), r(performance.now())))),
    isClosed: () => closed,
  };
}

// ---- the invariants every test ends with ----

const PART = /^\.[0-9a-f]{24}\.ferry-part$/;
/** What must never reach a person's terminal: OpenSSL's and Node's internals. */
const LIBRARY_TEXT = /SSL routines|openssl|\.\.\/deps\/|error:0A/i;

/** The code a failed run gives as its reason: its final error, decline, cancel or failed file. */
function failureCode(run: CliRun): string | undefined {
  for (const e of [...run.events].reverse()) {
    if (e.event === 'error' || e.event === 'declined') return e.code;
    if (e.event === 'cancelled') return 'CANCELLED';
    if (e.event === 'done' && !e.ok) return [...run.events].reverse().find(isEvent('file-failed'))?.code;
  }
  return undefined;
}

interface SenderCheck {
  run: CliRun;
  /** The exit code it must have had (several when the fault allows either). */
  code: number | number[];
  /** The code its failure must be reported with. */
  failure?: string;
}

interface Invariants {
  /** The receiver (omitted when the test's receiver is a fake). */
  rx?: Rx;
  /** Files that must be in the download folder, each exactly once: relative path → source file. */
  expect?: Record<string, string>;
  /** Files that failed on purpose: absent under their final names. */
  absent?: string[];
  senders: SenderCheck[];
  /** Other ports of this process (fake receivers) that must end with no connection. */
  ports?: number[];
}

async function checkInvariants(c: Invariants): Promise<void> {
  for (const [i, s] of c.senders.entries()) {
    const { run } = s;
    const codes = Array.isArray(s.code) ? s.code : [s.code];
    const what = `sender #${i + 1} (events ${kinds(run.events)}; stderr ${JSON.stringify(run.stderr)})`;
    assert.equal(run.signal, null, `${what} was killed by ${run.signal}`);
    assert.ok(codes.includes(run.code!), `${what} exited ${run.code}, expected ${codes.join(' or ')}`);
    assert.doesNotMatch(run.stderr, LIBRARY_TEXT, `${what}: library text on stderr`);
    if (run.code === 0) {
      assert.equal(run.stderr, '', `${what}: stderr after a success`);
      assert.ok(
        run.events.some((e) => e.event === 'done' && e.ok),
        `${what}: no successful done`,
      );
    } else {
      const lines = run.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, `${what}: want exactly one line on stderr`);
      assert.match(lines[0]!, /^ferry: \S/, `${what}: the line must start with "ferry: "`);
      const lastError = run.events.filter(isEvent('error')).at(-1);
      if (lastError) assert.match(String(lastError.code), /^[A-Z_]+$/, `${what}: its final error event has no code`);
      const code = failureCode(run);
      assert.ok(code, `${what}: no event says why it failed`);
      if (s.failure) assert.equal(code, s.failure, `${what}: failure code`);
    }
  }

  if (c.rx) {
    const rx = c.rx;
    const expect = c.expect ?? {};
    // Exactly the expected files under final names, each intact; partials may stay; nothing else.
    const snap = await snapshot(rx.dir);
    const folders = new Set<string>();
    for (const rel of [...Object.keys(expect), ...(c.absent ?? [])]) {
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    const extra: string[] = [];
    for (const [rel, md5] of Object.entries(snap)) {
      if (md5 === 'dir' ? folders.has(rel) : PART.test(path.posix.basename(rel))) continue;
      if (!(rel in expect)) extra.push(rel);
      else assert.equal(md5, await md5File(expect[rel]!), `${rel} differs from its source`);
    }
    assert.deepEqual(extra, [], 'files under final names that no source accounts for (duplicates?)');
    for (const rel of Object.keys(expect)) assert.ok(rel in snap, `${rel} is missing`);
    for (const rel of c.absent ?? []) assert.ok(!(rel in snap), `${rel} is there although it failed`);
    // Nothing next to the download folder (its parent holds nothing else of ours).
    assert.deepEqual(await fs.readdir(path.dirname(rx.dir)), [path.basename(rx.dir)], 'written beside the download folder');

    // It still serves.
    const name = `followup-${randomBytes(4).toString('hex')}.txt`;
    const src = await tempDir('ferry-fault-followup-');
    const body = randomBytes(2000);
    await fs.writeFile(path.join(src, name), body);
    const followUp = await exited(send(rx, await tempDir('ferry-fault-fcfg-'), [path.join(src, name)]), 20_000, 'the follow-up send');
    assert.equal(followUp.code, 0, `the receiver no longer serves: follow-up exited ${followUp.code}: ${followUp.stderr}`);
    assert.deepEqual(await fs.readFile(path.join(rx.dir, name)), body);

    // And holds no connection: every close has settled.
    let held: string[] = [];
    await until(
      async () => (held = await heldConnections(rx.port, rx.pid)).length === 0,
      `the receiver still holds connections on port ${rx.port}`,
      4000,
      () => held,
    );
  }
  // These are the test's own fake peers' sockets (this process): the sender's side closed at
  // once (its exit was timed above), but this process shares two cores with the rest of the
  // suite and may take seconds to see the close. Ferry's own processes keep the 4 s above.
  // A CLOSE_WAIT there is the fake's own end after the sender's FIN arrived: the sender has
  // let go, which is what this checks; how soon Node closes the fake's end is not Ferry's.
  for (const port of c.ports ?? []) {
    let held: string[] = [];
    await until(
      async () => (held = (await heldConnections(port, process.pid)).filter((h) => !h.endsWith('CLOSE_WAIT'))).length === 0,
      `connections left on port ${port}`,
      10_000,
      () => held,
    );
  }
}

// ---- the faults ----

describe('faults between real ferry processes', { timeout: 10 * 60_000 }, () => {
  test(
    '1a. a garbage TLS record after the handshake: the receiver closes that connection within ~2 s',
    { timeout: TEST_TIMEOUT },
    async (t) => {
      const rx = await startRx();
      const proxy = new FaultProxy({ target: rx.port, fault: { kind: 'garbage-up' } });
      const client = quietTlsClient(await proxy.listen());
      await until(() => proxy.taps[0]?.faultAt != null, 'the garbage record went in after the handshake', 5000);
      const tap = proxy.taps[0]!;
      await until(() => tap.receiverClosedAt !== null, 'the receiver kept the connection open after a garbage record', 4000);
      const ms = Math.round(tap.receiverClosedAt! - tap.faultAt!);
      t.diagnostic(`the receiver closed ${ms} ms after the garbage record`);
      assert.ok(ms <= TLS_FAILURE_CLOSE_MS, `closed ${ms} ms after the garbage`);
      await within(client.closed, 2000, 'the client did not see the close');

      const src = await tempDir();
      const file = await randomFile(path.join(src, 'after-garbage.bin'), 300_000);
      const run = await exited(send(rx, await tempDir(), [file]), 20_000);
      await checkInvariants({ rx, expect: { 'after-garbage.bin': file }, senders: [{ run, code: 0 }] });
    },
  );

  test(
    '1b. 32 garbage-record connections from 8 addresses are all closed promptly, and a normal send gets through at once',
    { timeout: TEST_TIMEOUT },
    async (t) => {
      const rx = await startRx();
      const proxy = new FaultProxy({ target: rx.port, fault: { kind: 'garbage-up' }, localAddress: (n) => `127.0.0.${2 + (n % 8)}` });
      const port = await proxy.listen();
      const clients = Array.from({ length: 32 }, () => quietTlsClient(port));
      await until(
        () => proxy.taps.length === 32 && proxy.taps.every((x) => x.faultAt !== null),
        'all 32 garbage records went in',
        10_000,
        () => `${proxy.taps.filter((x) => x.faultAt !== null).length} of ${proxy.taps.length}`,
      );
      await until(
        () => proxy.taps.every((x) => x.receiverClosedAt !== null),
        'the receiver closed every garbage connection',
        4000,
        () => `${proxy.taps.filter((x) => x.receiverClosedAt !== null).length} of 32 closed by the receiver`,
      );
      const slowest = Math.round(Math.max(...proxy.taps.map((x) => x.receiverClosedAt! - x.faultAt!)));
      t.diagnostic(`the slowest close came ${slowest} ms after its garbage record`);
      assert.ok(slowest <= TLS_FAILURE_CLOSE_MS, `the slowest close came ${slowest} ms after its garbage`);
      await within(Promise.all(clients.map((c) => c.closed)), 2000, 'a client did not see its close');

      const src = await tempDir();
      const file = await randomFile(path.join(src, 'at-once.bin'), 500_000);
      const started = performance.now();
      const run = await exited(send(rx, await tempDir(), [file]), 20_000);
      assert.deepEqual(run.events.filter(isEvent('retry')), [], 'the first attempt should have got through');
      assert.ok(performance.now() - started < 5000, `took ${Math.round(performance.now() - started)} ms`);
      await checkInvariants({ rx, expect: { 'at-once.bin': file }, senders: [{ run, code: 0 }] });
    },
  );

  test(
    '2a. a receiver that answers the handshake with a garbage record: send --retries 0 exits 1 with TLS_ERROR within 10 s',
    { timeout: TEST_TIMEOUT },
    async () => {
      const rx = await startRx();
      const proxy = new FaultProxy({ target: rx.port, fault: { kind: 'garbage-down' } });
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'never.bin'), 200_000);
      const s = send(rx, await tempDir(), [file], { via: await proxy.listen(), retries: 0 });
      const run = await exited(s, 12_000); // "about 10 s", process start-up included
      assert.ok(proxy.taps[0]?.faultAt != null, 'the garbage record never went out');
      assert.equal(run.code, 1, `exit code; stderr ${run.stderr}`);
      await checkInvariants({ rx, absent: ['never.bin'], senders: [{ run, code: 1, failure: 'TLS_ERROR' }] });
    },
  );

  test(
    '2b. a garbage record on the first connection only: the default retries deliver, and the process exits promptly after done',
    { timeout: TEST_TIMEOUT },
    async () => {
      const rx = await startRx();
      const proxy = new FaultProxy({ target: rx.port, fault: { kind: 'garbage-down' }, count: 1 });
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'second-time.bin'), 1 * MB);
      const s = send(rx, await tempDir(), [file], { via: await proxy.listen() });
      const run = await exited(s, 20_000);
      assert.ok(proxy.taps[0]?.faultAt != null, 'the garbage record never went out');
      assert.equal(run.code, 0, `exit code; stderr ${run.stderr}`);
      assert.ok(run.events.some(isEvent('retry')), 'the broken first connection was retried');
      const delay = exitDelayAfterDone(s);
      assert.ok(delay <= 2000, `exited ${Math.round(delay)} ms after done`);
      await checkInvariants({ rx, expect: { 'second-time.bin': file }, senders: [{ run, code: 0 }] });
    },
  );

  test(
    '3. one encrypted byte flipped mid-transfer: both sides drop that connection, the retry delivers the file verified',
    { timeout: TEST_TIMEOUT },
    async (t) => {
      const rx = await startRx();
      const proxy = new FaultProxy({ target: rx.port, fault: { kind: 'flip-up', afterBytes: 1 * MB }, count: 1 });
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'flipped.bin'), 4 * MB);
      const s = send(rx, await tempDir(), [file], { via: await proxy.listen() });
      await until(() => proxy.taps[0]?.faultAt != null, 'a byte was flipped', 15_000);
      const tap = proxy.taps[0]!;
      const after = (at: number | null): string => (at === null ? 'not yet' : `${Math.round(at - tap.faultAt!)} ms after the flip`);
      // The receiver notices (bad record mac) and drops the connection; the sender then lets go of it too.
      await until(
        () => tap.receiverClosedAt !== null && tap.senderClosedAt !== null,
        'both sides closed the damaged connection',
        TLS_FAILURE_CLOSE_MS + 1000,
        () => `receiver closed ${after(tap.receiverClosedAt)}, sender ${after(tap.senderClosedAt)}`,
      );
      t.diagnostic(`the receiver closed ${after(tap.receiverClosedAt)}, the sender ${after(tap.senderClosedAt)}`);
      assert.ok(
        tap.receiverClosedAt! - tap.faultAt! <= TLS_FAILURE_CLOSE_MS,
        `the receiver closed the damaged connection ${after(tap.receiverClosedAt)}`,
      );
      const run = await exited(s, 20_000);
      assert.equal(run.code, 0, `exit code; stderr ${run.stderr}`);
      assert.ok(run.events.some(isEvent('retry')), 'retried');
      assert.equal(run.events.find(isEvent('file-done'))?.verified, true);
      const delay = exitDelayAfterDone(s);
      assert.ok(delay <= 2000, `exited ${Math.round(delay)} ms after done`);
      await checkInvariants({ rx, expect: { 'flipped.bin': file }, senders: [{ run, code: 0 }] });
    },
  );

  test('4. a sender killed mid-file resumes when run again with the same config', { timeout: TEST_TIMEOUT }, async () => {
    const rx = await startRx();
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'backup.tar'), 8 * MB);
    const config = await tempDir();
    const slow = new TcpProxy({ target: rx.port, bytesPerSecond: 2 * MB });
    const first = send(rx, config, [file], { via: await slow.listen() });
    await receiverProgress(rx, await transferIdOf(first), 2 * MB);
    first.child.kill('SIGKILL');
    await first.done;

    const run = await exited(send(rx, config, [file]), 30_000);
    assert.equal(run.code, 0, run.stderr);
    const resumed = Math.max(
      run.events.find(isEvent('accepted'))?.resumedBytes ?? 0,
      run.events.find(isEvent('file-done'))?.resumedFrom ?? 0,
    );
    assert.ok(
      resumed > 0,
      `did not resume: ${JSON.stringify(run.events.filter((e) => e.event === 'accepted' || e.event === 'file-done'))}`,
    );
    await checkInvariants({ rx, expect: { 'backup.tar': file }, senders: [{ run, code: 0 }] });
  });

  test(
    '5. a receiver killed mid-transfer and restarted on the same folder, config and port: the transfer finishes, once',
    { timeout: TEST_TIMEOUT },
    async () => {
      const port = await freeTcpPort();
      const rx1 = await startRx({ port });
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'video.mp4'), 8 * MB);
      const config = await tempDir();
      const slow = new TcpProxy({ target: port, bytesPerSecond: 2 * MB });
      const s = send(rx1, config, [file], { via: await slow.listen() });
      await receiverProgress(rx1, await transferIdOf(s), 2 * MB);
      rx1.cli.child.kill('SIGKILL');
      await rx1.cli.done;
      const rx2 = await startRx({ port, dir: rx1.dir, config: rx1.config });

      const runs: SenderCheck[] = [];
      let run = await exited(s, 40_000);
      runs.push({ run, code: [0, 1] });
      if (run.code !== 0) {
        // Its retries may run out before the receiver is back: a second run must finish the job.
        run = await exited(send(rx2, config, [file]), 30_000);
        runs.push({ run, code: 0 });
      }
      const resumed = run.events.find(isEvent('file-done'))?.resumedFrom ?? 0;
      assert.ok(resumed > 0, `did not resume: ${JSON.stringify(run.events.find(isEvent('file-done')))}`);
      await checkInvariants({ rx: rx2, expect: { 'video.mp4': file }, senders: runs });
    },
  );

  test('6. a link cut mid-file: retried, resumed, verified', { timeout: TEST_TIMEOUT }, async () => {
    const rx = await startRx();
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'cut.bin'), 6 * MB);
    const cut = new TcpProxy({ target: rx.port, cutAfter: { bytes: 2.5 * MB, once: true } });
    const run = await exited(send(rx, await tempDir(), [file], { via: await cut.listen() }), 30_000);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.events.some(isEvent('retry')), 'retried');
    const done = run.events.find(isEvent('file-done'));
    assert.ok(done && done.resumedFrom > 0, `did not resume: ${JSON.stringify(done)}`);
    await checkInvariants({ rx, expect: { 'cut.bin': file }, senders: [{ run, code: 0 }] });
  });

  test(
    '7a. an offer larger than the free space is declined up front with NO_SPACE, nothing written',
    { timeout: TEST_TIMEOUT, skip: isRoot || process.env.CI ? false : 'needs root to mount a tmpfs' },
    async () => {
      const disk = path.join(await tempDir('ferry-fault-disk-'), 'disk');
      await mountTmpfs(disk, '64m');
      const rx = await startRx({ dir: path.join(disk, 'downloads') });
      const src = await tempDir();
      // 56 MiB + the receiver's 16 MiB reserve > 64 MiB. Sparse: a decline never reads it.
      const big = path.join(src, 'huge.iso');
      await fs.writeFile(big, '');
      await fs.truncate(big, 56 * MB);
      const run = await exited(send(rx, await tempDir(), [big]), 15_000);
      assert.equal(run.code, 1, run.stderr);
      const declined = run.events.find(isEvent('declined'));
      assert.equal(declined?.code, 'NO_SPACE', `events ${kinds(run.events)}`);
      assert.match(run.stderr, /space/i);
      assert.deepEqual(await snapshot(rx.dir), {}, 'nothing is written for a declined offer');
      await checkInvariants({ rx, absent: ['huge.iso'], senders: [{ run, code: 1, failure: 'NO_SPACE' }] });
    },
  );

  test(
    '7b. the disk fills mid-transfer: files fail with NO_SPACE, none half-written under its name; after space is freed a re-send completes once',
    { timeout: TEST_TIMEOUT, skip: isRoot || process.env.CI ? false : 'needs root to mount a tmpfs' },
    async () => {
      const disk = path.join(await tempDir('ferry-fault-disk-'), 'disk');
      await mountTmpfs(disk, '64m');
      const rx = await startRx({ dir: path.join(disk, 'downloads') });
      const src = await tempDir();
      for (let i = 1; i <= 4; i++) await randomFile(path.join(src, 'batch', `${i}.bin`), 6 * MB);
      const expect = await filesUnder(path.join(src, 'batch'), 'batch');
      const config = await tempDir();
      const slow = new TcpProxy({ target: rx.port, bytesPerSecond: 4 * MB });
      const first = send(rx, config, [path.join(src, 'batch')], { via: await slow.listen() });
      await rx.cli.waitFor((e) => e.event === 'file-done' && e.direction === 'receive', 20_000);
      // The filler sits beside the download folder, on the same small disk.
      const filler = path.join(disk, 'filler');
      await fillDisk(filler);
      const run1 = await exited(first, 30_000);
      assert.equal(run1.code, 1, `exit code; events ${kinds(run1.events)}`);
      assert.ok(
        run1.events.some((e) => e.event === 'file-failed' && e.code === 'NO_SPACE'),
        `no file failed with NO_SPACE: ${kinds(run1.events)}`,
      );
      assert.match(run1.stderr, /space/i);
      // Whatever has a final name now is whole.
      const now = await snapshot(rx.dir);
      for (const [rel, md5] of Object.entries(now))
        if (rel in expect) assert.equal(md5, await md5File(expect[rel]!), `${rel} under its final name is not whole`);
      assert.ok(
        Object.keys(expect).some((rel) => !(rel in now)),
        'every file arrived although the disk was full',
      );

      await fs.rm(filler);
      const run2 = await exited(send(rx, config, [path.join(src, 'batch')]), 30_000);
      assert.equal(run2.code, 0, run2.stderr);
      await checkInvariants({
        rx,
        expect,
        senders: [
          { run: run1, code: 1, failure: 'NO_SPACE' },
          { run: run2, code: 0 },
        ],
      });
    },
  );

  test('8. a source file changed between attempts: old or mixed content never gets the final name', { timeout: TEST_TIMEOUT }, async () => {
    const rx = await startRx();
    const src = await tempDir();
    const file = path.join(src, 'data.bin');
    const size = 8 * MB;
    const config = await tempDir();
    const slow = new TcpProxy({ target: rx.port, bytesPerSecond: 2 * MB });
    const via = await slow.listen();
    const killMidFile = async (): Promise<void> => {
      const s = send(rx, config, [file], { via });
      await receiverProgress(rx, await transferIdOf(s), 2 * MB);
      s.child.kill('SIGKILL');
      await s.done;
    };
    // A, interrupted; then B (new content, new mtime), interrupted too.
    await randomFile(file, size);
    await killMidFile();
    await randomFile(file, size);
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(file, later, later);
    await killMidFile();
    // C: new content with B's size and mtime put back, so only the bytes tell it from B.
    await randomFile(file, size);
    await fs.utimes(file, later, later);
    const run = await exited(send(rx, config, [file]), 30_000);
    assert.equal(run.code, 0, run.stderr);
    const done = run.events.find(isEvent('file-done'));
    assert.equal(done?.resumedFrom, 0, 'resumed on a prefix of other content');
    await checkInvariants({ rx, expect: { 'data.bin': file }, senders: [{ run, code: 0 }] });
  });

  test('9. ten senders at once, each with its own identity: all exit 0, every file arrives once', { timeout: TEST_TIMEOUT }, async () => {
    const rx = await startRx();
    const src = await tempDir();
    const expect: Record<string, string> = {};
    const jobs = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        await writeTree(src, {
          [`from${i}/big.bin`]: randomBytes(MB + i),
          [`from${i}/notes.txt`]: `notes of sender ${i}\n`,
          [`from${i}/docs/a.txt`]: randomBytes(3000),
          [`from${i}/docs/b.txt`]: randomBytes(70_000),
        });
        return { folder: path.join(src, `from${i}`), config: await tempDir() };
      }),
    );
    for (let i = 0; i < 10; i++) Object.assign(expect, await filesUnder(path.join(src, `from${i}`), `from${i}`));
    const runs = await Promise.all(jobs.map((j) => exited(send(rx, j.config, [j.folder]), 60_000)));
    await checkInvariants({ rx, expect, senders: runs.map((run) => ({ run, code: 0 })) });
  });

  test(
    '10. a flood of idle, dripping and garbage connections fills every slot; a real send with default retries still completes',
    { timeout: TEST_TIMEOUT },
    async (t) => {
      const rx = await startRx();
      const addresses = Array.from({ length: 8 }, (_, i) => `127.0.0.${2 + i}`);
      const floodStarted = performance.now();
      // Per address: 13 idle + 2 dripping + 1 garbage = 16 (the per-address cap); 128 in all (the total cap).
      const idle = addresses.flatMap((a) =>
        Array.from({ length: 13 }, () => {
          const s = net.connect({ port: rx.port, host: '127.0.0.1', localAddress: a });
          s.on('error', () => {});
          onCleanup(() => void s.destroy());
          return s;
        }),
      );
      const drips = addresses.flatMap((a) =>
        Array.from({ length: 2 }, () => {
          const raw = net.connect({ port: rx.port, host: '127.0.0.1', localAddress: a });
          raw.on('error', () => {});
          const s = tls.connect({ socket: raw, ...clientTlsOptions(identity('drip').tls) });
          s.on('error', () => {});
          // A hello frame, one byte a second.
          const hello = Buffer.from(JSON.stringify({ type: 'hello', protocol: '1.0' }));
          const frame = Buffer.concat([Buffer.from([0, 0, 0, hello.length]), hello]);
          let at = 0;
          let timer: NodeJS.Timeout | undefined;
          const drip = (): void => {
            if (at < frame.length) s.write(frame.subarray(at, ++at));
          };
          s.once('secureConnect', () => (timer = setInterval(drip, 1000)));
          s.once('close', () => clearInterval(timer));
          onCleanup(() => (clearInterval(timer), void s.destroy()));
          return s;
        }),
      );
      const proxy = new FaultProxy({ target: rx.port, fault: { kind: 'garbage-up' }, localAddress: (n) => addresses[n % 8]! });
      const proxyPort = await proxy.listen();
      const garbage = addresses.map(() => quietTlsClient(proxyPort));
      let held: string[] = [];
      await until(
        async () => (held = await heldConnections(rx.port, rx.pid)).length >= 128,
        'the flood fills all 128 slots',
        10_000,
        () => `${held.length} held`,
      );

      const src = await tempDir();
      const file = await randomFile(path.join(src, 'through-the-flood.bin'), 1 * MB);
      const sendStarted = performance.now();
      const s = send(rx, await tempDir(), [file]); // the default retries
      const run = await exited(s, 60_000);
      t.diagnostic(
        `the real send was refused ${run.events.filter(isEvent('retry')).length} time(s) and exited after ${Math.round(performance.now() - sendStarted)} ms`,
      );
      assert.equal(run.code, 0, `the real send did not get through: events ${kinds(run.events)}; stderr ${run.stderr}`);

      // The flood ends: the receiver itself closes every flood connection (handshake and hello timeouts, TLS errors).
      const open = (): number =>
        idle.filter((x) => !x.destroyed).length + drips.filter((x) => !x.destroyed).length + garbage.filter((g) => !g.isClosed()).length;
      await until(
        () => open() === 0,
        'the receiver closed every flood connection',
        Math.max(2000, floodStarted + 20_000 - performance.now()),
        () => ({
          idle: idle.filter((x) => !x.destroyed).length,
          dripping: drips.filter((x) => !x.destroyed).length,
          garbage: garbage.filter((g) => !g.isClosed()).length,
        }),
      );
      await checkInvariants({ rx, expect: { 'through-the-flood.bin': file }, senders: [{ run, code: 0 }] });
    },
  );

  test(
    '11. a slow link: the sender reports what the receiver got (≤ 1 MiB ahead) and keeps reporting to the end',
    { timeout: TEST_TIMEOUT },
    async (t) => {
      // About 2 MB/s: tbf on a veth between two namespaces when this machine allows it, else a pacing proxy.
      const link = await slowLink(16);
      const rx = await startRx(link ? { link } : {});
      const proxy = link ? null : new TcpProxy({ target: rx.port, bytesPerSecond: 2 * MB });
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'slow.bin'), 8 * MB);
      const s = send(rx, await tempDir(), [file], proxy ? { via: await proxy.listen() } : {});
      const run = await exited(s, 60_000);
      assert.equal(run.code, 0, run.stderr);

      const transferId = run.events.find(isEvent('offer'))!.transferId;
      const progress = (cli: StampedCli, direction: string) =>
        cli.stamped.flatMap((x) =>
          x.e.event === 'progress' && x.e.direction === direction && x.e.transferId === transferId
            ? [{ at: x.at, transferred: x.e.transferred }]
            : [],
        );
      const sent = progress(s, 'send');
      const got = progress(rx.cli, 'receive');
      const problems: string[] = [];
      // Ahead: the sender's count against the receiver's latest report at that moment.
      let worst = { ahead: -Infinity, at: 0, sender: 0, receiver: 0 };
      for (const p of sent) {
        const receiver = got.filter((g) => g.at <= p.at).at(-1)?.transferred ?? 0;
        if (p.transferred - receiver > worst.ahead) worst = { ahead: p.transferred - receiver, at: p.at, sender: p.transferred, receiver };
      }
      const t0 = sent[0]?.at ?? 0;
      if (worst.ahead > MB) {
        problems.push(
          `the sender ran ${worst.ahead} bytes ahead of the receiver's report (${worst.sender} vs ${worst.receiver}, ${Math.round(worst.at - t0)} ms in)`,
        );
      }
      // Gaps: from the first progress report to done, never a second without one.
      const doneAt = s.stamped.find((x) => x.e.event === 'done')!.at;
      const times = [...sent.map((p) => p.at), doneAt];
      let gap = { ms: 0, from: 0 };
      for (let i = 1; i < times.length; i++)
        if (times[i]! - times[i - 1]! > gap.ms) gap = { ms: times[i]! - times[i - 1]!, from: times[i - 1]! - t0 };
      if (gap.ms > 1000)
        problems.push(
          `the sender went ${Math.round(gap.ms)} ms without a progress report (from ${Math.round(gap.from)} ms in; done at ${Math.round(doneAt - t0)} ms)`,
        );
      t.diagnostic(
        `${link ? 'tbf link' : 'pacing proxy'}: at most ${worst.ahead} bytes ahead; longest silence ${Math.round(gap.ms)} ms; ${sent.length} sender and ${got.length} receiver reports`,
      );
      if (sent.length < 4 || got.length < 4) problems.push(`too few reports to judge (${sent.length} sender, ${got.length} receiver)`);
      assert.deepEqual(
        problems,
        [],
        `${link ? 'tbf link' : 'pacing proxy'}; sender reports ${sent.length}, receiver reports ${got.length}`,
      );
      await checkInvariants({ rx, expect: { 'slow.bin': file }, senders: [{ run, code: 0 }] });
    },
  );

  test(
    '12a. a receiver that cancels and closes as the protocol says: always reported as cancelled by the peer, never retried',
    { timeout: TEST_TIMEOUT },
    async () => {
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'unwanted.bin'), 8 * MB);
      // Several rounds: the cancel must win every time, not just usually.
      for (let round = 0; round < 4; round++) {
        const fake = await cancellingReceiver(512 * 1024 * (round + 1), 'drain');
        const s = send({ host: '127.0.0.1', port: fake.port }, await tempDir(), [file]);
        await within(fake.cancelled, 15_000, 'the fake receiver never got to cancel');
        const cancelledAt = performance.now();
        const run = await exited(s, 10_000);
        const cancelled = run.events.find(isEvent('cancelled'));
        assert.ok(cancelled, `round ${round}: no cancelled event: ${kinds(run.events)}; stderr ${run.stderr}`);
        assert.equal(cancelled.by, 'peer');
        assert.equal(cancelled.message, 'no thanks');
        assert.deepEqual(run.events.filter(isEvent('retry')), [], 'a cancel is not retried');
        assert.equal(fake.connections, 1, 'reconnected after a cancel');
        assert.ok(s.exitedAt! - cancelledAt <= 3000, `exited ${Math.round(s.exitedAt! - cancelledAt)} ms after the cancel`);
        await checkInvariants({ senders: [{ run, code: 1, failure: 'CANCELLED' }], ports: [fake.port] });
      }
    },
  );

  test(
    '12b. a receiver that cancels and resets at once (breaking §2): one attempt, a prompt exit, a one-line reason',
    { timeout: TEST_TIMEOUT },
    async () => {
      // The reset can reach the sender before it has read the cancel: Node.js destroys a socket
      // whose write fails, unread data and all (PROTOCOL.md Appendix B). Whichever wins, the
      // sender must neither hang nor loop, and must say why in one line.
      const fake = await cancellingReceiver(512 * 1024, 'reset');
      const src = await tempDir();
      const file = await randomFile(path.join(src, 'unwanted.bin'), 8 * MB);
      const s = send({ host: '127.0.0.1', port: fake.port }, await tempDir(), [file], { retries: 0 });
      await within(fake.cancelled, 15_000, 'the fake receiver never got to cancel');
      const cancelledAt = performance.now();
      const run = await exited(s, 10_000);
      const cancelled = run.events.find(isEvent('cancelled'));
      if (cancelled) assert.equal(cancelled.by, 'peer');
      assert.equal(fake.connections, 1);
      assert.ok(s.exitedAt! - cancelledAt <= 3000, `exited ${Math.round(s.exitedAt! - cancelledAt)} ms after the cancel`);
      await checkInvariants({ senders: [{ run, code: 1, failure: cancelled ? 'CANCELLED' : 'CONNECTION_LOST' }], ports: [fake.port] });
    },
  );

  test(
    '13a. the same folder (with an empty file) sent twice: one copy of everything, the second time already present',
    { timeout: TEST_TIMEOUT },
    async () => {
      const rx = await startRx();
      const src = await tempDir();
      await writeTree(src, { 'album/empty.txt': '', 'album/notes.txt': 'the notes\n', 'album/photos/pic.bin': randomBytes(MB) });
      const expect = await filesUnder(path.join(src, 'album'), 'album');
      const config = await tempDir();
      const first = await exited(send(rx, config, [path.join(src, 'album')]), 30_000);
      assert.equal(first.code, 0, first.stderr);
      const second = await exited(send(rx, config, [path.join(src, 'album')]), 30_000);
      assert.equal(second.code, 0, second.stderr);
      const notPresent = second.events.filter(isEvent('file-done')).filter((e) => e.size > 0 && !e.alreadyPresent);
      assert.deepEqual(
        notPresent.map((e) => e.path),
        [],
        'sent again although the receiver had them',
      );
      await checkInvariants({
        rx,
        expect,
        senders: [
          { run: first, code: 0 },
          { run: second, code: 0 },
        ],
      });
    },
  );

  test(
    '13b. a connection cut after an empty file was verified: the automatic retry leaves one copy of it',
    { timeout: TEST_TIMEOUT },
    async () => {
      const rx = await startRx();
      const src = await tempDir();
      await writeTree(src, { 'album/a-empty.txt': '', 'album/b-big.bin': randomBytes(4 * MB), 'album/sub/c.txt': 'c\n' });
      const expect = await filesUnder(path.join(src, 'album'), 'album');
      // Paced, so that the empty file's verdict is surely back before the cut.
      const cut = new TcpProxy({ target: rx.port, cutAfter: { bytes: 2 * MB, once: true }, bytesPerSecond: 8 * MB });
      const run = await exited(send(rx, await tempDir(), [path.join(src, 'album')], { via: await cut.listen() }), 30_000);
      assert.equal(run.code, 0, run.stderr);
      const emptyDone = run.events.findIndex((e) => e.event === 'file-done' && e.path === 'album/a-empty.txt');
      const retry = run.events.findIndex((e) => e.event === 'retry');
      assert.ok(retry > 0 && emptyDone >= 0 && emptyDone < retry, `the empty file should be verified before the cut: ${kinds(run.events)}`);
      await checkInvariants({ rx, expect, senders: [{ run, code: 0 }] });
    },
  );
});
