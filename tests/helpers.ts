// Shared test fixtures: temp folders, an in-process receiver, the real CLI as a child
// process, a raw protocol client for hostile input, and a TCP proxy that counts, cuts or
// corrupts what passes through it. Everything runs on loopback.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as tls from 'node:tls';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { FerryError, type ErrorCode } from '../main/core/errors.js';
import { encodeFrame, FrameDecoder } from '../main/core/protocol/frame.js';
import { createCredentials, fingerprintOfPem, type TlsCredentials } from '../main/core/security/certificate.js';
import { clientTlsOptions, serverTlsOptions } from '../main/core/security/tls.js';
import type { TransferEvent } from '../main/core/model/events.js';
import type { LocalIdentity } from '../main/core/security/identity.js';
import { Receiver, type ReceiverOptions } from '../main/core/transfer/receiver.js';

export { FERRY_BIN, REPO } from './repo.js';
import { FERRY_BIN } from './repo.js';
import type { Decision, IncomingOffer } from '../main/core/model/transport.js';

const cleanups: Array<{ fn: () => Promise<void> | void; where: string }> = [];
after(async () => {
  for (const c of cleanups.reverse()) {
    // A cleanup that never finishes would keep the test process alive with every test passed;
    // say which one and what it holds instead.
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((r) => (timer = setTimeout(() => r('stuck'), 15_000)));
    const outcome = await Promise.race([Promise.resolve(c.fn()).then(() => 'done' as const), stuck]);
    clearTimeout(timer);
    if (outcome === 'stuck') {
      throw new Error(
        `a test cleanup did not finish within 15 s (registered ${c.where}); active: ${process.getActiveResourcesInfo().join(', ')}`,
      );
    }
  }
});
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push({
    fn,
    where:
      new Error().stack
        ?.split('\n')
        .slice(2, 4)
        .map((l) => l.trim())
        .join(' ← ') ?? '?',
  });
}

/**
 * Listens on a loopback port for the test and, at cleanup, destroys every connection the
 * server still holds before closing it: server.close() alone waits for them, and one a test
 * forgot would keep the test process alive forever.
 */
export async function listenForTest(server: net.Server): Promise<number> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onCleanup(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

export async function tempDir(prefix = 'ferry-test-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  onCleanup(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

// Device certificates are made ahead (about 10 ms each) so that identity() can stay synchronous.
const POOL_SIZE = 24;
const pool: TlsCredentials[] = await Promise.all(Array.from({ length: POOL_SIZE }, () => createCredentials()));
let poolNext = 0;

/** A distinct device identity (certificate and key) for each call, up to POOL_SIZE, then reused. */
export function identity(name = 'test device'): LocalIdentity {
  const creds = pool[poolNext++ % POOL_SIZE]!;
  return { deviceId: fingerprintOfPem(creds.cert), deviceName: name, tls: creds };
}

/** The identity RawClient presents unless told otherwise (hostile tests' HELLO claims it). */
export const RAW_CLIENT = identity('raw client');

/** A hello as a well-behaved peer sends it. */
export function helloOf(id: LocalIdentity, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'hello',
    protocol: '1.0',
    deviceId: id.deviceId,
    deviceName: id.deviceName,
    platform: 'linux',
    appVersion: 'test',
    nonce: randomBytes(32).toString('hex'),
    auth: 'none',
    ...extra,
  };
}

/** Writes a tree: string/Buffer values are files, null is an (empty) folder. */
export async function writeTree(root: string, tree: Record<string, string | Buffer | null>): Promise<void> {
  for (const [rel, content] of Object.entries(tree)) {
    const p = path.join(root, ...rel.split('/'));
    if (content === null) {
      await fs.mkdir(p, { recursive: true });
    } else {
      await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.writeFile(p, content);
    }
  }
}

/** A file of pseudo-random bytes, written in chunks so it never sits whole in memory. */
export async function randomFile(p: string, size: number): Promise<string> {
  await fs.mkdir(path.dirname(p), { recursive: true });
  const fh = await fs.open(p, 'w');
  const chunk = randomBytes(Math.min(size, 1 << 20));
  let left = size;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    await fh.write(chunk, 0, n);
    chunk[0] = (chunk[0]! + 1) & 0xff; // successive chunks differ
    left -= n;
  }
  await fh.close();
  return p;
}

export async function md5File(p: string): Promise<string> {
  const h = createHash('md5');
  const fh = await fs.open(p, 'r');
  for await (const chunk of fh.createReadStream()) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Every file (relative POSIX path → md5) and every folder (→ 'dir') under root. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string, rel: string): Promise<void> {
    for (const d of await fs.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      const p = path.join(dir, d.name);
      if (d.isDirectory()) {
        out[r] = 'dir';
        await walk(p, r);
      } else out[r] = d.isFile() ? await md5File(p) : 'other';
    }
  }
  await walk(root, '');
  return out;
}

/** Events as they arrive, and a way to wait for one (already seen ones count). */
export class EventLog {
  readonly events: TransferEvent[] = [];
  private waiters: Array<{ pred: (e: TransferEvent) => boolean; resolve: (e: TransferEvent) => void }> = [];

  constructor(private readonly describe: () => string = () => '') {}

  push(e: TransferEvent): void {
    this.events.push(e);
    for (const w of [...this.waiters]) {
      if (w.pred(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }

  waitFor(pred: (e: TransferEvent) => boolean, timeoutMs = 20_000, gone?: Promise<unknown>): Promise<TransferEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const why = (what: string): Error => new Error(`${what}; saw ${this.events.map((e) => e.event).join(',')} ${this.describe()}`);
      const t = setTimeout(() => reject(why('timed out waiting for an event')), timeoutMs);
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
      void gone?.then(() => reject(why('gone before the event')));
    });
  }
}

export interface TestReceiver {
  receiver: Receiver;
  identity: LocalIdentity;
  port: number;
  dir: string;
  events: TransferEvent[];
  /** Resolves with the first event matching pred (already seen ones count). */
  waitFor(pred: (e: TransferEvent) => boolean, timeoutMs?: number): Promise<TransferEvent>;
  offers: IncomingOffer[];
}

export async function startReceiver(
  opts: Partial<ReceiverOptions> & { decide?: (o: IncomingOffer, s: AbortSignal) => Promise<Decision> } = {},
): Promise<TestReceiver> {
  const dir = opts.dir ?? (await tempDir('ferry-recv-'));
  const log = new EventLog();
  const offers: IncomingOffer[] = [];
  const id = opts.identity ?? identity('receiver');
  const receiver = new Receiver({
    identity: id,
    host: '127.0.0.1',
    port: 0,
    ...opts,
    dir,
    decide: async (o, s) => {
      offers.push(o);
      return opts.decide ? opts.decide(o, s) : { accept: true };
    },
    onEvent: (e) => {
      log.push(e);
      opts.onEvent?.(e);
    },
  });
  const { port } = await receiver.listen();
  onCleanup(() => receiver.close());
  return {
    receiver,
    identity: id,
    port,
    dir,
    events: log.events,
    offers,
    waitFor: (pred, timeoutMs) => log.waitFor(pred, timeoutMs),
  };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: TransferEvent[];
  stdout: string;
  stderr: string;
}

/**
 * Starts the real `ferry` CLI; `done` resolves when it exits. With `netns`, inside that
 * network namespace (`ip netns exec` runs it in place, so the child is ferry itself).
 */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { netns?: string; stdin?: string } = {},
): {
  child: ChildProcess;
  done: Promise<CliRun>;
  events: TransferEvent[];
  waitFor(pred: (e: TransferEvent) => boolean, timeoutMs?: number): Promise<TransferEvent>;
} {
  const command = [process.execPath, FERRY_BIN, ...args];
  const [file, ...argv] = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...command] : command;
  // English unless a test asks otherwise, whatever the machine's locale: tests assert its words.
  const english = { LANG: 'C.UTF-8', LANGUAGE: '', LC_ALL: '', LC_MESSAGES: '' };
  const child = spawn(file!, argv, { env: { ...process.env, ...english, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  // Standard input is what the test gives, or nothing at all (closed at once).
  child.stdin.end(opts.stdin ?? '');
  let stdout = '';
  let stderr = '';
  const log = new EventLog(() => `stderr: ${stderr}`);
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    buf += s;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.startsWith('{')) continue; // plain text (help, version)
      log.push(JSON.parse(line) as TransferEvent);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, events: log.events, stdout, stderr })),
  );
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    done,
    events: log.events,
    waitFor: (pred, timeoutMs) => log.waitFor(pred, timeoutMs, done),
  };
}

/** One kind of engine event, and a type guard for it: `events.find(isEvent('done'))`. */
export type EventOf<K extends TransferEvent['event']> = Extract<TransferEvent, { event: K }>;
export const isEvent =
  <K extends TransferEvent['event']>(k: K) =>
  (e: TransferEvent): e is EventOf<K> =>
    e.event === k;

/**
 * `ferry receive --json` on 127.0.0.1 (a free port unless told), with a temporary download
 * and config folder unless given; resolves once it listens.
 */
export async function startReceiverCli(
  args: string[] = [],
  opts: { dir?: string; config?: string; port?: string | number; env?: NodeJS.ProcessEnv } = {},
) {
  const dir = opts.dir ?? (await tempDir('ferry-recv-'));
  const config = opts.config ?? (await tempDir('ferry-rcfg-'));
  const cli = startCli(
    ['receive', '--dir', dir, '--port', String(opts.port ?? 0), '--host', '127.0.0.1', '--json', '--config', config, ...args],
    opts.env,
  );
  const listening = (await cli.waitFor(isEvent('listening'))) as EventOf<'listening'>;
  return { ...cli, dir, config, port: listening.port, to: `127.0.0.1:${listening.port}` };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** A protocol client that says exactly what a test tells it to, for hostile-input tests. */
export class RawClient {
  readonly socket: net.Socket;
  readonly messages: Array<Record<string, unknown>> = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<void>;

  private constructor(
    socket: net.Socket,
    /** The identity whose certificate this connection presented (its hello should claim it). */
    readonly identity: LocalIdentity,
  ) {
    this.socket = socket;
    const decoder = new FrameDecoder({
      header: (h) => {
        this.messages.push(h);
        this.notify();
        return h.type === 'data' && typeof h.length === 'number' ? h.length : 0;
      },
      body: () => {},
      bodyEnd: () => {},
    });
    socket.on('data', (c: Buffer) => {
      try {
        decoder.push(c);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((r) => socket.on('close', () => (this.notify(), r())));
  }

  /** Connects over TLS 1.3 with the given identity's certificate, as every Ferry sender does. */
  static connect(port: number, host = '127.0.0.1', id: LocalIdentity = RAW_CLIENT): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = tls.connect({ port, host, ...clientTlsOptions(id.tls) }, () => resolve(new RawClient(s, id)));
      s.once('error', reject);
    });
  }

  /** Plain TCP, no TLS: for what a receiver must do with bytes that are not a TLS handshake. */
  static connectPlain(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RawClient(s, identity('plain client'))));
      s.once('error', reject);
    });
  }

  send(msg: object): void {
    this.socket.write(encodeFrame(msg));
  }

  sendRaw(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Resolves with the next message of the given type (or any), or null if the connection closes. */
  async next(type?: string, timeoutMs = 15_000): Promise<Record<string, unknown> | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => !type || m.type === type);
      if (i >= 0) return this.messages.splice(i, 1)[0]!;
      if (this.socket.destroyed || this.socket.readableEnded) return null;
      if (Date.now() > deadline) throw new Error(`no ${type ?? 'message'} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** hello exchange as a well-behaved sender would do it. */
  async handshake(id = this.identity): Promise<Record<string, unknown>> {
    this.send(helloOf(id));
    const hello = await this.next('hello');
    if (!hello) throw new Error('no hello back');
    return hello;
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export interface ProxyOptions {
  target: number;
  /** Rewrites (or drops, returning null; or resets both sides, returning 'cut') what the client sends. */
  upstream?: (chunk: Buffer, offset: number) => Buffer | null | 'cut';
  /**
   * Resets every connection once this many client bytes have passed (first connection only if
   * once). A reset throws away what the server had not read yet, as much as its kernel buffers
   * hold; `gently` instead ends the server's side after those bytes, so it reads every one.
   */
  cutAfter?: { bytes: number; once?: boolean; gently?: boolean };
  /** Client→server bytes per second (roughly), so tests can act mid-transfer. */
  bytesPerSecond?: number;
  /**
   * Terminates TLS on both sides with the real devices' own keys (which only a test has), so
   * `upstream` sees and can corrupt the plaintext frames: damage TLS itself cannot notice,
   * like a bad disk or RAM would cause. Without it the proxy passes TLS records untouched.
   */
  mitm?: { receiver: TlsCredentials; sender: TlsCredentials };
}

/** A TCP proxy on loopback that counts client→server bytes and can cut or corrupt them. */
export class TcpProxy {
  bytesUp = 0;
  connections = 0;
  private server: net.Server;
  private cuts = 0;

  constructor(private readonly opts: ProxyOptions) {
    this.server = opts.mitm
      ? tls.createServer(serverTlsOptions(opts.mitm.receiver, 10_000), (client) => this.handle(client))
      : net.createServer((client) => this.handle(client));
  }

  listen(): Promise<number> {
    return listenForTest(this.server);
  }

  private handle(client: net.Socket): void {
    this.connections++;
    let seen = 0;
    // A TLS socket cannot send a TCP reset; closing it abruptly is the nearest thing.
    const kill = (s: net.Socket): void => void (this.opts.mitm ? s.destroy() : s.resetAndDestroy());
    const upstream = this.opts.mitm
      ? tls.connect({ port: this.opts.target, host: '127.0.0.1', ...clientTlsOptions(this.opts.mitm.sender) })
      : net.connect(this.opts.target, '127.0.0.1');
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    const cut = this.opts.cutAfter && (!this.opts.cutAfter.once || this.cuts === 0) ? this.opts.cutAfter.bytes : Infinity;
    if (cut !== Infinity) this.cuts++;
    client.on('data', (chunk: Buffer) => {
      let data: Buffer | null = chunk;
      if (seen + chunk.length > cut) data = chunk.subarray(0, Math.max(0, cut - seen));
      const at = seen;
      seen += chunk.length;
      if (this.opts.upstream && data) {
        const out = this.opts.upstream(data, at);
        if (out === 'cut') {
          kill(client);
          kill(upstream);
          return;
        }
        data = out;
      }
      if (data && data.length) {
        this.bytesUp += data.length;
        const full = !upstream.write(data);
        if (this.opts.bytesPerSecond) {
          client.pause();
          setTimeout(() => client.resume(), (data.length / this.opts.bytesPerSecond) * 1000);
        } else if (full) {
          client.pause();
          upstream.once('drain', () => client.resume());
        }
      }
      if (seen >= cut) {
        kill(client);
        if (this.opts.cutAfter?.gently) upstream.end();
        else kill(upstream);
      }
    });
    upstream.pipe(client);
    // A gentle cut leaves the server's side to drain and end by itself.
    client.on('close', () => (seen >= cut && this.opts.cutAfter?.gently ? undefined : upstream.destroy()));
    upstream.on('close', () => client.destroy());
  }
}

/** A TCP port nobody on this machine listens on right now (for "nothing there", or a fixed port to restart on). */
export async function freeTcpPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A UDP port nobody on this machine uses right now, so concurrent test runs never hear each other. */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(r));
  return port;
}

/** Resolves once cond() holds (checked every 10 ms); fails naming what it waited for. */
export function waitUntil(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = async (): Promise<void> => {
      if (await cond()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}`));
      setTimeout(() => void check(), 10);
    };
    void check();
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---- wire paths a receiver must refuse (messages and hostile-input tests share them) ----

/** A valid path of exactly 4096 bytes (the limit): 17 components, none over 255 bytes. */
export const LONG_PATH_4096 = [...Array.from({ length: 15 }, () => 'x'.repeat(255)), 'y'.repeat(128), 'z'.repeat(127)].join('/');
const LONG_PATH_4097 = `${LONG_PATH_4096}z`;

/** Paths a receiver must refuse, each with why. */
export const UNSAFE_PATHS: Array<[string, string]> = [
  ['../x', 'parent'],
  ['a/../b', 'parent in the middle'],
  ['a/..', 'trailing parent'],
  ['..', 'bare parent'],
  ['..\\x', 'Windows parent'],
  ['a\\b', 'backslash separator'],
  ['/etc/x', 'absolute'],
  ['/', 'root'],
  ['C:\\x', 'drive and backslash'],
  ['C:x', 'drive-relative'],
  ['c:/x', 'drive with slash'],
  ['\\\\?\\x', 'Win32 device namespace'],
  ['\\\\server\\share\\x', 'UNC'],
  ['a\u0000b', 'NUL'],
  ['a\u0001b', 'control'],
  ['a\nb', 'newline'],
  ['a\tb', 'tab'],
  ['a\u007fb', 'DEL'],
  ['\u001b[31mred', 'ANSI escape'],
  ['a\u009bb', 'C1 CSI'],
  ['a\u0085b', 'C1 NEL'],
  ['evil\u202egpj.exe', 'bidi override'],
  ['x\u2066y', 'bidi isolate'],
  ['CON', 'reserved'],
  ['con', 'reserved, lower case'],
  ['nul.txt', 'reserved with extension'],
  ['aux.tar.gz', 'reserved with double extension'],
  ['CON .txt', 'reserved with space before the dot'],
  ['COM1', 'reserved COM'],
  ['com\u00b9', 'reserved COM with superscript'],
  ['LPT9.log', 'reserved LPT'],
  ['dir/PRN', 'reserved deeper down'],
  ['a.', 'trailing dot'],
  ['...', 'only dots'],
  ['dir./x', 'folder with trailing dot'],
  ['a ', 'trailing space'],
  ['a:b', 'colon (NTFS stream)'],
  ['a*b', 'star'],
  ['a?b', 'question mark'],
  ['a"b', 'quote'],
  ['a<b', 'less than'],
  ['a>b', 'greater than'],
  ['a|b', 'pipe'],
  ['x'.repeat(256), '256-byte component'],
  ['é'.repeat(128), '256 bytes of two-byte characters'],
  ['日'.repeat(86), '258 bytes of three-byte characters'],
  [`ok/${'😀'.repeat(64)}`, '256 bytes of four-byte characters'],
  [LONG_PATH_4097, 'path of 4097 bytes'],
  [Array.from({ length: 17 }, () => '日'.repeat(85)).join('/'), 'path over 4096 bytes in few characters'],
  ['a/'.repeat(64) + 'a', '65 levels'],
  ['a//b', 'empty component'],
  ['a/', 'trailing slash'],
  ['', 'empty path'],
  ['.', 'dot'],
  ['./a', 'leading dot component'],
  ['a/./b', 'dot component'],
];

/** Awaits a promise that must reject with a FerryError of this code; returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode): Promise<FerryError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FerryError, `not a FerryError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}
