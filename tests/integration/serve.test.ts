// `ferry serve` as a browser and other local programs meet it: real processes and sockets on
// loopback. The UI's HTTP server must answer only this computer's user (token, Host, Origin),
// serve the renderer without ever leaving its folder, carry the contract over a WebSocket,
// and stream uploads to staging and on to a peer without holding a file in memory.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { Staging, UNSENT_BATCH_TTL_MS } from '../../main/hosts/web/serve-staging.js';
import type { AppState, UiEvent } from '../../main/core/contract/index.js';
import { freeUdpPort, md5File, onCleanup, randomFile, REPO, runCli, sleep, startCli, tempDir } from '../helpers.js';

interface Serving {
  event: 'serving';
  url: string;
  port: number;
  receiverPort: number;
  deviceId: string;
  deviceName: string;
}

interface Served extends Serving {
  cli: ReturnType<typeof startCli>;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  token: string;
  config: string;
  dir: string;
  pid: number;
}

let env: NodeJS.ProcessEnv;

/** A `ferry serve` on loopback with its own config and download folders. */
async function serve(name: string, extra: string[] = [], moreEnv: NodeJS.ProcessEnv = {}): Promise<Served> {
  const config = await tempDir('ferry-serve-cfg-');
  const dir = await tempDir('ferry-serve-dl-');
  const cli = startCli(
    ['serve', '--json', '--name', name, '--port', '0', '--host', '127.0.0.1', '--config', config, '--dir', dir, ...extra],
    { ...env, ...moreEnv },
  );
  let out = '';
  cli.child.stdout!.on('data', (s: string) => (out += s));
  const serving = (await cli.waitFor((e) => (e.event as string) === 'serving', 20_000)) as unknown as Serving;
  const token = new URL(serving.url).searchParams.get('token')!;
  return { ...serving, cli, stdout: () => out, token, config, dir, pid: cli.child.pid! };
}

/** A test's view of the UI's WebSocket: replies by id, events as they come. */
class UiClient {
  readonly events: UiEvent[] = [];
  private nextId = 1;
  private readonly replies = new Map<number | string | null, (m: Reply) => void>();
  readonly unmatched: Reply[] = [];
  readonly closed: Promise<{ code: number }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Reply & { event?: UiEvent };
      if (m.event) this.events.push(m.event);
      else {
        const waiter = this.replies.get(m.id ?? null);
        if (waiter) {
          this.replies.delete(m.id ?? null);
          waiter(m);
        } else this.unmatched.push(m);
      }
    });
    this.closed = new Promise((r) => ws.on('close', (code) => r({ code })));
    onCleanup(() => ws.terminate());
  }

  static open(s: { port: number; token: string }): Promise<UiClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/ws?token=${s.token}`, { origin: `http://127.0.0.1:${s.port}` });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new UiClient(ws)));
      ws.once('error', reject);
    });
  }

  call(call: string, args: unknown[] = []): Promise<Reply> {
    const id = this.nextId++;
    return this.sendRaw(JSON.stringify({ id, call, args }), id);
  }

  sendRaw(text: string | Buffer, id: number | null = null): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no reply to ${String(text).slice(0, 80)}`)), 15_000);
      this.replies.set(id, (m) => (clearTimeout(t), resolve(m)));
      this.ws.send(text);
    });
  }

  async ok<T>(call: string, args: unknown[] = []): Promise<T> {
    const r = await this.call(call, args);
    assert.equal(r.ok, true, `${call}: ${JSON.stringify(r.error)}`);
    return r.result as T;
  }

  async waitEvent<T extends UiEvent>(pred: (e: UiEvent) => e is T, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such event within ${timeoutMs} ms; saw ${this.events.map((e) => e.type).join(',')}`);
      await sleep(25);
    }
  }
}

interface Reply {
  id: number | string | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/** Polls the state until `pred` holds. */
async function until(c: UiClient, what: string, pred: (s: AppState) => boolean, timeoutMs = 15_000): Promise<AppState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await c.ok<AppState>('getState');
    if (pred(s)) return s;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s.transfers.map((t) => [t.state, t.error]))}`);
    await sleep(100);
  }
}

/** A raw HTTP request: the path goes out exactly as written (no client-side normalisation). */
function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer | string | NodeJS.ReadableStream },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const b = opts.body;
    if (b === undefined) req.end();
    else if (typeof b === 'string' || Buffer.isBuffer(b)) req.end(b);
    else b.pipe(req);
  });
}

function uploadPath(s: Served, batch: string, rel: string, extra = ''): string {
  return `/api/upload?token=${s.token}&batch=${batch}&path=${encodeURIComponent(rel)}${extra}`;
}

async function upload(s: Served, batch: string, rel: string, file: string): Promise<{ status: number; body: string }> {
  const { size } = await fs.stat(file);
  const { createReadStream } = await import('node:fs');
  return request(s.port, {
    method: 'POST',
    path: uploadPath(s, batch, rel),
    headers: { 'Content-Length': size, 'Content-Type': 'application/octet-stream', Origin: `http://127.0.0.1:${s.port}` },
    body: createReadStream(file),
  });
}

/** What the WebSocket handshake got back: 101 when it opened, else the refusal's status. */
function upgradeStatus(port: number, pathAndQuery: string, opts: { origin?: string; host?: string } = {}): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${pathAndQuery}`, {
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    ...(opts.host !== undefined ? { headers: { Host: opts.host } } : {}),
  });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(-1));
  });
}

async function stagingDirs(pid: number): Promise<string[]> {
  return (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith(`ferry-serve-${pid}-`)).map((n) => path.join(os.tmpdir(), n));
}

function rssKb(pid: number): Promise<number> {
  return fs.readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? NaN));
}

function is<T extends UiEvent['type']>(type: T) {
  return (e: UiEvent): e is Extract<UiEvent, { type: T }> => e.type === type;
}

describe('ferry serve', { concurrency: true }, () => {
  let ui: string; // a renderer build of our own, so that a concurrent `vite build` cannot disturb these tests
  let a: Served; // sender, ask mode (the default)
  let b: Served; // receiver, accepting everything

  before(async () => {
    env = { FERRY_DISCOVERY_INTERFACES: 'loopback', FERRY_DISCOVERY_PORT: String(await freeUdpPort()) };
    ui = await tempDir('ferry-serve-ui-');
    await fs.mkdir(path.join(ui, 'assets'));
    await fs.writeFile(
      path.join(ui, 'index.html'),
      '<!doctype html><title>Ferry</title><script type="module" src="./assets/app.js"></script>',
    );
    await fs.writeFile(path.join(ui, 'assets', 'app.js'), 'console.log("ferry")');
    await fs.writeFile(path.join(ui, 'assets', 'app.css'), 'body{}');
    await fs.writeFile(path.join(ui, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // A link inside the build that points outside it must not be followed.
    await fs.symlink(path.join(REPO, 'package.json'), path.join(ui, 'assets', 'leak.json'));
    [a, b] = await Promise.all([
      serve(`Serve A ${process.pid}`, [], { FERRY_UI_DIR: ui, FERRY_SERVE_MAX_UPLOAD: String(200 * 1024 * 1024) }),
      serve(`Serve B ${process.pid}`, ['--accept', 'all'], { FERRY_UI_DIR: ui }),
    ]);
  });

  after(async () => {
    // A clean stop, so that their staging folders go too.
    for (const s of [a, b]) s?.cli.child.kill('SIGTERM');
    await Promise.all([a, b].map((s) => s && Promise.race([s.cli.done, sleep(8_000)])));
  });

  test('listens on 127.0.0.1 only, and prints a URL with a 256-bit token', async () => {
    assert.match(a.url, new RegExp(`^http://127\\.0\\.0\\.1:${a.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const hexPort = a.port.toString(16).toUpperCase().padStart(4, '0');
    const listeners = (await fs.readFile('/proc/net/tcp', 'utf8').catch(() => ''))
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A');
    assert.deepEqual(
      listeners.map((f) => f[1]),
      [`0100007F:${hexPort}`],
    );
    const v6 = await fs.readFile('/proc/net/tcp6', 'utf8').catch(() => '');
    assert.ok(!v6.split('\n').some((l) => l.includes(`:${hexPort} `) && l.includes(' 0A ')), 'no IPv6 listener');
    // And through any other address of this machine, nobody answers.
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) {
      const refused = await new Promise<boolean>((r) => {
        const s = net.connect(a.port, other.address);
        s.once('connect', () => (s.destroy(), r(false)));
        s.once('error', () => r(true));
      });
      assert.ok(refused, `connected through ${other.address}`);
    }
  });

  test('every API request needs the token, the right Host and no foreign Origin', async () => {
    const origin = `http://127.0.0.1:${a.port}`;
    assert.equal((await request(a.port, { path: '/api/session' })).status, 401);
    assert.equal((await request(a.port, { path: '/api/session?token=' })).status, 401);
    assert.equal((await request(a.port, { path: `/api/session?token=${'x'.repeat(a.token.length)}` })).status, 403);
    assert.equal((await request(a.port, { path: `/api/session?token=${a.token.slice(0, -1)}` })).status, 403);
    assert.equal((await request(a.port, { path: `/api/session?token=${a.token}x` })).status, 403);
    assert.equal((await request(a.port, { path: `/api/session?token=${a.token}` })).status, 200);
    assert.equal((await request(a.port, { path: `/api/session?token=${a.token}`, headers: { Host: `localhost:${a.port}` } })).status, 200);
    // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
    for (const host of [`evil.example:${a.port}`, `127.0.0.1:${a.port + 1}`, '127.0.0.1', `127.0.0.1.evil.example:${a.port}`]) {
      assert.equal((await request(a.port, { path: `/api/session?token=${a.token}`, headers: { Host: host } })).status, 403, host);
      assert.equal((await request(a.port, { path: '/', headers: { Host: host } })).status, 403, host);
    }
    assert.equal(
      (await request(a.port, { path: `/api/session?token=${a.token}`, headers: { Origin: 'http://evil.example' } })).status,
      403,
    );
    assert.equal((await request(a.port, { path: `/api/session?token=${a.token}`, headers: { Origin: origin } })).status, 200);
    const noToken = await request(a.port, {
      method: 'POST',
      path: '/api/upload?batch=abcdefgh12&path=x.txt',
      headers: { 'Content-Length': 3 },
      body: 'abc',
    });
    assert.equal(noToken.status, 401);
    assert.equal(JSON.parse(noToken.body).error.code, 'AUTH_FAILED');

    const ws = (q: string, o: { origin?: string; host?: string } = { origin }) => upgradeStatus(a.port, q, o);
    assert.equal(await ws('/api/ws'), 401);
    assert.equal(await ws(`/api/ws?token=${'A'.repeat(43)}`), 403);
    assert.equal(await ws(`/api/ws?token=${a.token}`, {}), 403, 'no Origin');
    assert.equal(await ws(`/api/ws?token=${a.token}`, { origin: 'http://evil.example' }), 403);
    assert.equal(await ws(`/api/ws?token=${a.token}`, { origin: `http://127.0.0.1:${a.port + 1}` }), 403);
    assert.equal(await ws(`/api/ws?token=${a.token}`, { origin: 'null' }), 403);
    assert.equal(await ws(`/api/ws?token=${a.token}`, { origin: `http://evil.example:${a.port}`, host: `evil.example:${a.port}` }), 403);
    assert.equal(await ws(`/elsewhere?token=${a.token}`), 404);
    assert.equal(await ws(`/api/ws?token=${a.token}`), 101);
    assert.equal(await ws(`/api/ws?token=${a.token}`, { origin: `http://localhost:${a.port}`, host: `localhost:${a.port}` }), 101);
  });

  test('serves the UI build with content types and a CSP, never a listing, never outside it', async () => {
    const index = await request(a.port, { path: '/' });
    assert.equal(index.status, 200);
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    const csp = String(index.headers['content-security-policy']);
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      `ws://127.0.0.1:${a.port}`,
    ])
      assert.ok(csp.includes(d), `${d} in ${csp}`);
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['referrer-policy'], 'no-referrer');
    assert.equal((await request(a.port, { path: `/?token=${a.token}` })).status, 200);
    assert.equal((await request(a.port, { path: '/index.html' })).headers['content-type'], 'text/html; charset=utf-8');
    assert.equal((await request(a.port, { path: '/assets/app.js' })).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await request(a.port, { path: '/assets/app.css' })).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await request(a.port, { path: '/assets/icon.svg' })).headers['content-type'], 'image/svg+xml');
    assert.equal((await request(a.port, { method: 'HEAD', path: '/assets/app.js' })).status, 200);
    assert.equal((await request(a.port, { method: 'POST', path: '/', body: 'x' })).status, 405);
    for (const p of ['/assets', '/assets/', '/missing.js', '/assets/leak.json'])
      assert.equal((await request(a.port, { path: p })).status, 404, p);
    const pkg = await fs.readFile(path.join(REPO, 'package.json'), 'utf8');
    for (const p of [
      '/../package.json',
      '/../../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/%2E%2E/package.json',
      '/.%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%5c..%5cpackage.json',
      '/%252e%252e/package.json',
      '/..%00/package.json',
      '/%',
      '//etc/passwd',
      '/assets/%2fetc%2fpasswd',
    ]) {
      const r = await request(a.port, { path: p });
      assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
      assert.ok(!r.body.includes('"name": "ferry"') && !r.body.includes('root:') && r.body !== pkg, p);
    }
  });

  test('the WebSocket answers getState and refuses unknown commands, bad arguments and bad JSON', async () => {
    const c = await UiClient.open(a);
    const state = await c.ok<AppState>('getState');
    assert.equal(state.device.name, a.deviceName);
    assert.equal(state.device.port, a.receiverPort);
    assert.equal(state.settings.acceptPolicy, 'ask');
    const unknown = await c.call('frobnicate');
    assert.deepEqual([unknown.ok, unknown.error?.code], [false, 'UNKNOWN_TYPE']);
    for (const [call, args] of [
      ['cancelTransfer', [42]],
      ['answerOffer', ['x', 'maybe']],
      ['getState', ['extra']],
      ['sendPaths', ['peer', []]],
      ['sendBatch', ['peer']],
      ['discardBatch', [{}]],
    ] as const) {
      const r = await c.call(call, [...args]);
      assert.deepEqual([r.ok, r.error?.code], [false, 'BAD_MESSAGE'], `${call} ${JSON.stringify(args)}`);
    }
    assert.equal((await c.call('updateSettings', [{ port: 'x' }])).error?.code, 'BAD_CONFIG');
    assert.equal((await c.call('sendBatch', ['peer', 'nosuchbatch'])).error?.code, 'BAD_MESSAGE');
    const notJson = await c.sendRaw('{"id": 1, "call": ');
    assert.deepEqual([notJson.id, notJson.ok, notJson.error?.code], [null, false, 'BAD_JSON']);
    assert.equal((await c.sendRaw('{"call":"getState","args":[]}')).error?.code, 'BAD_MESSAGE');
    assert.equal((await c.sendRaw('[1,2,3]')).error?.code, 'BAD_MESSAGE');
    assert.equal((await c.sendRaw('null')).error?.code, 'BAD_MESSAGE');
    assert.equal((await c.sendRaw(Buffer.from('{"id":1}'))).error?.code, 'BAD_JSON'); // binary frames are not ours
    assert.equal((await c.call('generateSecret')).ok, true);
    // An oversized message closes that socket (1009), and the server carries on. (A client still
    // sending when the server closes may get a TCP reset that overtakes the close frame: 1006.)
    const big = await UiClient.open(a);
    big.ws.send(JSON.stringify({ id: 1, call: 'addManualPeer', args: ['x'.repeat(2 * 1024 * 1024)] }));
    assert.ok([1009, 1006].includes((await big.closed).code));
    assert.equal((await c.ok<AppState>('getState')).device.name, a.deviceName);
  });

  test('an upload streams to staging and sendBatch sends it to another ferry serve, in constant memory', async (t) => {
    const src = await tempDir();
    // Node itself grows by ~30 MB on a first large upload whatever the code does (measured with a
    // bare http→file pipe: allocator and GC lag), so the file is large enough to tell that apart
    // from holding the file: streaming stays near that constant, buffering would add 128 MB.
    const size = 128 * 1024 * 1024;
    const big = await randomFile(path.join(src, 'big.bin'), size);
    const small = await randomFile(path.join(src, 'small.jpg'), 123_457);
    const c = await UiClient.open(a);
    const state = await until(c, 'A to discover B', (s) => s.peers.some((p) => p.name === b.deviceName && p.online));
    const peer = state.peers.find((p) => p.name === b.deviceName)!;
    assert.equal(peer.key, b.deviceId);

    // Memory while the upload runs: it must not grow with the file.
    await sleep(300);
    const baseline = await rssKb(a.pid);
    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rssKb(a.pid));
        await sleep(20);
      }
    })();
    const batch = 'batchUploadTest01';
    const [r1, r2] = await Promise.all([upload(a, batch, 'big.bin', big), upload(a, batch, 'photos/2026/small.jpg', small)]);
    sampling = false;
    await sampler;
    assert.equal(r1.status, 200, r1.body);
    assert.equal(r2.status, 200, r2.body);
    assert.deepEqual(JSON.parse(r1.body), { ok: true, path: 'big.bin', size });
    const growthMb = (peak - baseline) / 1024;
    t.diagnostic(`RSS grew by ${growthMb.toFixed(1)} MB during the upload of ${size / 2 ** 20} MB`);
    assert.ok(growthMb < 56, `RSS grew by ${growthMb.toFixed(1)} MB during a ${size / 2 ** 20} MB upload (baseline ${baseline} kB)`);

    // Staged under the temp folder, readable by this user only, and complete.
    const [root] = await stagingDirs(a.pid);
    assert.ok(root, 'a staging folder');
    assert.equal((await fs.stat(root)).mode & 0o777, 0o700);
    assert.equal(await md5File(path.join(root, batch, 'big.bin')), await md5File(big));

    const sent = await c.ok<{ transferId: string }>('sendBatch', [peer.key, batch]);
    const finished = await c.waitEvent(
      (e): e is Extract<UiEvent, { type: 'finished' }> => e.type === 'finished' && e.transfer.id === sent.transferId,
      30_000,
    );
    assert.equal(finished.transfer.state, 'done', JSON.stringify(finished.transfer.error));
    assert.equal(finished.transfer.fileCount, 2);
    assert.equal(await md5File(path.join(b.dir, 'big.bin')), await md5File(big));
    assert.equal(await md5File(path.join(b.dir, 'photos', '2026', 'small.jpg')), await md5File(small));
    // Done and not retryable: the staged copies go.
    const deadline = Date.now() + 5_000;
    while (
      await fs.stat(path.join(root, batch)).then(
        () => true,
        () => false,
      )
    ) {
      assert.ok(Date.now() < deadline, 'staged batch removed after the transfer');
      await sleep(50);
    }
    assert.equal((await c.call('sendBatch', [peer.key, batch])).error?.code, 'BAD_MESSAGE');
    // --json prints the engine's finished event for scripts too.
    assert.ok(
      a
        .stdout()
        .split('\n')
        .some((l) => l.includes('"event":"finished"') && l.includes(sent.transferId)),
    );
  });

  test('an empty folder dropped in the browser is sent as a folder; the flags that started serve show as fixed', async () => {
    const c = await UiClient.open(a);
    const state = await until(c, 'A to discover B', (s) => s.peers.some((p) => p.name === b.deviceName && p.online));
    // Started with --dir and --port (and B with --accept): a UI may not "save" another value.
    assert.deepEqual([...state.settings.fixed].sort(), ['downloadDir', 'port']);
    assert.equal((await c.call('updateSettings', [{ downloadDir: '/tmp' }])).error?.code, 'INVALID_STATE');
    const peer = state.peers.find((p) => p.name === b.deviceName)!;
    const batch = 'batchEmptyFolder01';
    const post = (rel: string, body: string) =>
      request(a.port, {
        method: 'POST',
        path: uploadPath(a, batch, rel, '&dir=1'),
        headers: { 'Content-Length': Buffer.byteLength(body), Origin: `http://127.0.0.1:${a.port}` },
        body,
      });
    assert.equal((await post('Trip/empty', 'x')).status, 400, 'a folder has no body');
    assert.equal((await post('../escape', '')).status, 400);
    const made = await post('Trip/empty', '');
    assert.equal(made.status, 200, made.body);
    assert.equal((await post('Bare', '')).status, 200);
    const sent = await c.ok<{ transferId: string }>('sendBatch', [peer.key, batch]);
    const finished = await c.waitEvent(
      (e): e is Extract<UiEvent, { type: 'finished' }> => e.type === 'finished' && e.transfer.id === sent.transferId,
      20_000,
    );
    assert.equal(finished.transfer.state, 'done', JSON.stringify(finished.transfer.error));
    assert.deepEqual(await fs.readdir(path.join(b.dir, 'Trip', 'empty')), []);
    assert.deepEqual(await fs.readdir(path.join(b.dir, 'Bare')), []);
  });

  test('uploads with unsafe paths, bad batches, no length or too many bytes are refused', async () => {
    const batch = 'batchRefusals0001';
    const post = (p: string, body: string, headers: Record<string, string | number> = {}) =>
      request(a.port, { method: 'POST', path: p, headers: { 'Content-Length': Buffer.byteLength(body), ...headers }, body });
    const deep = Array.from({ length: 65 }, () => 'd').join('/');
    for (const rel of [
      '../evil.txt',
      '../../evil.txt',
      'a/../../evil.txt',
      '..',
      '/tmp/evil.txt',
      '..\\evil.txt',
      'a\\..\\..\\evil.txt',
      'C:\\evil.txt',
      'c:/evil.txt',
      '\\\\server\\share\\evil.txt',
      'a/./b',
      'dir/',
      'a//b',
      '',
      deep,
    ]) {
      const r = await post(uploadPath(a, batch, rel), 'evil');
      assert.equal(r.status, 400, `${JSON.stringify(rel)}: ${r.body}`);
      assert.equal(JSON.parse(r.body).error.code, 'PATH_UNSAFE', r.body);
    }
    // Names that are only unportable are renamed as the desktop app's sender renames them.
    for (const [rel, stored] of [
      ['what?.txt', 'what_.txt'],
      ['CON', 'CON_'],
      ['x\u0000y', 'x_y'],
      ['draft.', 'draft_'],
      ['notes: v2/a|b.txt', 'notes_ v2/a_b.txt'],
      ['C:x', 'C_x'],
    ]) {
      const r = await post(uploadPath(a, batch, rel!), 'fine');
      assert.equal(r.status, 200, `${JSON.stringify(rel)}: ${r.body}`);
      assert.equal(JSON.parse(r.body).path, stored);
    }
    // Percent-encoded: the query is decoded once; "%2e%2e%2f" is "../", "%252e%252e" stays a name.
    assert.equal((await post(`/api/upload?token=${a.token}&batch=${batch}&path=%2e%2e%2fevil.txt`, 'evil')).status, 400);
    assert.equal((await post(`/api/upload?token=${a.token}&batch=${batch}&path=%2E%2E%5Cevil.txt`, 'evil')).status, 400);
    assert.equal((await post(`/api/upload?token=${a.token}&batch=${batch}&path=%252e%252e%252fevil.txt`, 'ok')).status, 200);
    assert.equal(
      await fs.stat(path.join(os.tmpdir(), 'evil.txt')).then(
        () => true,
        () => false,
      ),
      false,
    );
    for (const bad of ['../x', 'short', 'a/b/c/d/e/f/g/h', 'x'.repeat(65)]) {
      assert.equal((await post(`/api/upload?token=${a.token}&batch=${encodeURIComponent(bad)}&path=a.txt`, 'x')).status, 400, bad);
    }
    assert.equal((await post(uploadPath(a, batch, 'same.txt'), 'one')).status, 200);
    assert.equal((await post(uploadPath(a, batch, 'same.txt'), 'two')).status, 409, 'the same path twice');
    assert.equal((await post(uploadPath(a, batch, 'same.txt/inner.txt'), 'x')).status, 409, 'a file as a folder');
    const chunked = await request(a.port, {
      method: 'POST',
      path: uploadPath(a, batch, 'chunked.txt'),
      headers: { 'Transfer-Encoding': 'chunked' },
      body: 'abc',
    });
    assert.equal(chunked.status, 411);
    // Larger than this instance's cap (FERRY_SERVE_MAX_UPLOAD = 200 MiB): refused before a byte is read.
    const huge = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: a.port,
          method: 'POST',
          path: uploadPath(a, batch, 'huge.bin'),
          headers: { 'Content-Length': 300 * 1024 * 1024 },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.equal(huge, 413);
    const c = await UiClient.open(a);
    assert.equal((await c.call('discardBatch', [batch])).ok, true);
    const [root] = await stagingDirs(a.pid);
    assert.equal(
      await fs.stat(path.join(root!, batch)).then(
        () => true,
        () => false,
      ),
      false,
      'a discarded batch is removed',
    );
  });

  test('an offer to a ferry serve in ask mode reaches its WebSocket and answerOffer accepts it', async () => {
    const c = await UiClient.open(a);
    const src = await tempDir();
    const file = await randomFile(path.join(src, 'report.pdf'), 777_777);
    const sender = startCli(['send', '--to', `127.0.0.1:${a.receiverPort}`, '--json', '--config', await tempDir(), file]);
    const offer = (await c.waitEvent(is('offer'))).offer;
    assert.equal(offer.fileCount, 1);
    assert.equal(offer.totalBytes, 777_777);
    assert.deepEqual(
      offer.entries.map((e) => e.path),
      ['report.pdf'],
    );
    assert.match(offer.from.verificationCode, /\S/);
    assert.ok((await c.ok<AppState>('getState')).offers.some((o) => o.id === offer.id));
    assert.equal((await c.call('answerOffer', [offer.id, 'accept', null])).ok, true);
    const run = await sender.done;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await md5File(path.join(a.dir, 'report.pdf')), await md5File(file));
    assert.ok(
      a
        .stdout()
        .split('\n')
        .some((l) => l.includes('"event":"offer"') && l.includes(offer.id)),
    );

    // And Decline: the sender hears it.
    const second = startCli(['send', '--to', `127.0.0.1:${a.receiverPort}`, '--json', '--config', await tempDir(), file]);
    const again = await c.waitEvent((e): e is Extract<UiEvent, { type: 'offer' }> => e.type === 'offer' && e.offer.id !== offer.id);
    assert.equal((await c.call('answerOffer', [again.offer.id, 'decline', null])).ok, true);
    const declined = await second.done;
    assert.equal(declined.code, 1);
    assert.ok(declined.events.some((e) => e.event === 'declined'));
  });

  test('SIGTERM stops cleanly: exit code 0, staging removed, a goodbye to the others', async () => {
    const s = await serve(`Short-lived ${process.pid}`, [], { FERRY_UI_DIR: ui });
    const watcher = await UiClient.open(b);
    await until(watcher, 'B to see the short-lived one', (st) => st.peers.some((p) => p.key === s.deviceId));
    const c = await UiClient.open(s);
    const r = await request(s.port, {
      method: 'POST',
      path: uploadPath(s, 'neverSentBatch1', 'a.txt'),
      headers: { 'Content-Length': 5 },
      body: 'hello',
    });
    assert.equal(r.status, 200);
    const [root] = await stagingDirs(s.pid);
    assert.ok(root);
    s.cli.child.kill('SIGTERM');
    const run = await s.cli.done;
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await c.closed).code, 1001);
    assert.deepEqual(await stagingDirs(s.pid), []);
    // Gone from B's list long before an announcement would expire.
    await until(watcher, 'B to forget it', (st) => !st.peers.some((p) => p.key === s.deviceId), 3_000);
  });

  test('usage errors exit 2', async () => {
    for (const args of [
      ['serve', '--accept', 'maybe'],
      ['serve', '--ui-port', 'x'],
      ['serve', '--bogus'],
    ]) {
      const run = await runCli(args, env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      // The reason and where to read more, not the whole usage text.
      assert.match(run.stderr, /Run 'ferry serve --help' for usage\./);
      assert.doesNotMatch(run.stderr, /Usage:/);
    }
  });
});

describe('serve staging', () => {
  test('keeps unsent batches for an hour of idleness, sent ones until released, and sweeps dead processes', async () => {
    const parent = await tempDir('ferry-staging-');
    // A staging folder left by a process that no longer exists (killed with SIGKILL).
    const dead = path.join(parent, 'ferry-serve-999999999-leftover');
    await fs.mkdir(path.join(dead, 'batch'), { recursive: true });
    let now = 1_000_000;
    const st = await Staging.create({ parent, now: () => now, maxUploadBytes: 1000 });
    onCleanup(() => st.close());
    assert.equal(
      await fs.stat(dead).then(
        () => true,
        () => false,
      ),
      false,
      "a dead process's folder is swept",
    );
    assert.equal(path.dirname(st.root), parent);

    const up = (batch: string, rel: string, text: string) =>
      st.receive(batch, rel, Readable.from([Buffer.from(text)]), Buffer.byteLength(text), 0);
    await up('unsentBatch01', 'a.txt', 'hello');
    await up('unsentBatch01', 'empty.txt', '');
    await up('sentBatch0001', 'folder/b.txt', 'world');
    await up('sentBatch0001', 'folder/deeper/c.txt', '!');
    assert.equal((await fs.stat(path.join(st.root, 'unsentBatch01', 'a.txt'))).mtimeMs, 0, 'the browser-supplied mtime is kept');
    assert.deepEqual(st.entriesToSend('sentBatch0001'), [path.join(st.root, 'sentBatch0001', 'folder')]);
    st.markSent('sentBatch0001', 'transfer-1');
    await assert.rejects(up('sentBatch0001', 'late.txt', 'x'), { code: 'UNEXPECTED_MESSAGE' });
    await assert.rejects(up('unsentBatch01', 'big.bin', 'x'.repeat(1001)), { code: 'LIMIT_EXCEEDED' });
    // A body longer than announced is cut off and removed.
    await assert.rejects(st.receive('unsentBatch01', 'liar.txt', Readable.from([Buffer.from('0123456789')]), 4, null), {
      code: 'LIMIT_EXCEEDED',
    });
    // And one shorter than announced (the connection broke) too.
    await assert.rejects(st.receive('unsentBatch01', 'short.txt', Readable.from([Buffer.from('01')]), 4, null), {
      code: 'CONNECTION_LOST',
    });
    assert.deepEqual((await fs.readdir(path.join(st.root, 'unsentBatch01'))).sort(), ['a.txt', 'empty.txt']);

    now += UNSENT_BATCH_TTL_MS - 1;
    await st.expire();
    assert.equal(st.batchCount(), 2);
    now += 1;
    await st.expire();
    assert.equal(st.batchCount(), 1, 'the unsent batch expired; the sent one stays');
    assert.deepEqual(await fs.readdir(st.root), ['sentBatch0001']);
    await st.release('transfer-1');
    assert.deepEqual(await fs.readdir(st.root), []);
    await st.close();
    assert.equal(
      await fs.stat(st.root).then(
        () => true,
        () => false,
      ),
      false,
    );
  });
});
