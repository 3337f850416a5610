// The HTTP side of `ferry serve`: the renderer build as static files, the contract over a
// WebSocket, and uploads of dropped files into staging. Bound to 127.0.0.1 only; every API
// request and the WebSocket carry the access token, and the Host (and, for the WebSocket,
// the Origin) must be this server's own, so neither the LAN nor another web page in the
// user's browser (DNS rebinding, cross-site requests) can drive it.

import { UI_CONTENT_TYPES } from '../ui-files.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  SERVE_CALLS,
  WS_CALLS,
  type ServeCallName,
  type ServeCalls,
  type WsCallName,
  type WsEvent,
  type WsReply,
  type WsRequest,
  type WsRequestId,
} from '../../core/contract/commands.js';
import type { Remote, UiEvent } from '../../core/contract/index.js';
import type { FerryApp } from '../../core/app/ferry-app.js';
import { checkCall, invoke } from '../../core/app/validate-call.js';
import { FerryError, toFerryError, type ErrorCode } from '../../core/errors.js';
import type { Staging } from './serve-staging.js';

/** Requests are small (the largest is sendPaths with its paths); a bigger message closes the socket. */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
const MAX_CLIENTS = 16;
const MAX_IN_FLIGHT = 64;
/** A client this far behind gets state pushes skipped (the latest one follows when it catches up). */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;
/** An upload that sends nothing for this long is dropped. */
const UPLOAD_IDLE_MS = 60_000;

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  BAD_MESSAGE: 400,
  BAD_JSON: 400,
  PATH_UNSAFE: 400,
  CONNECTION_LOST: 400,
  UNEXPECTED_MESSAGE: 409,
  LIMIT_EXCEEDED: 413,
  NO_SPACE: 507,
  CANCELLED: 503,
};

export interface UiServerOptions {
  app: FerryApp;
  staging: Staging;
  /** The built renderer (index.html and its assets). */
  uiDir: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
}

interface Client {
  ws: WebSocket;
  alive: boolean;
  inFlight: number;
  /** A state push skipped because the client was behind; sent once it catches up. */
  pendingState: string | null;
  retryTimer: NodeJS.Timeout | null;
}

export class UiServer {
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly tokenHash: Buffer;
  private heartbeat: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly sockets = new Set<Socket>();
  /** The serve calls (SERVE_CALLS): a batch uploaded into staging, sent or thrown away as one. */
  private readonly serveCalls: Remote<ServeCalls> = {
    sendBatch: async (peerKey, batchId) => {
      const paths = this.opts.staging.entriesToSend(batchId);
      const result = await this.opts.app.sendPaths(peerKey, paths);
      this.opts.staging.markSent(batchId, result.transferId);
      return result;
    },
    discardBatch: async (batchId) => {
      await this.opts.staging.discard(batchId);
    },
  };
  port = 0;

  private constructor(private readonly opts: UiServerOptions) {
    this.tokenHash = sha256(opts.token);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => this.fail(res, toFerryError(err)));
    });
    // An upload of a large file takes as long as it takes; idle uploads time out on their own.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 20_000;
    this.server.maxHeadersCount = 64;
    this.server.maxConnections = 128;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    this.server.on('clientError', (_err, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false });
  }

  static async start(opts: UiServerOptions): Promise<UiServer> {
    const s = new UiServer(opts);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      // Loopback only, whatever the receiver listens on: the UI is for this computer's user.
      s.server.listen(opts.port, '127.0.0.1', () => {
        s.server.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      throw new FerryError(
        'IO_ERROR',
        err.code === 'EADDRINUSE' ? `cannot serve the UI: port ${opts.port} on 127.0.0.1 is in use` : `cannot serve the UI: ${err.message}`,
      );
    });
    s.port = (s.server.address() as AddressInfo).port;
    s.unsubscribe = opts.app.onEvent((e) => s.broadcast(e));
    s.heartbeat = setInterval(() => s.beat(), HEARTBEAT_MS);
    s.heartbeat.unref();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.opts.token}`;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.unsubscribe?.();
    for (const c of this.clients) {
      if (c.retryTimer) clearTimeout(c.retryTimer);
      c.ws.close(1001, 'ferry serve is stopping');
    }
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    // Give the close frames a moment, then drop whatever is still open (an upload in flight).
    await new Promise((r) => setTimeout(r, 50).unref());
    for (const c of this.clients) c.ws.terminate();
    for (const s of this.sockets) s.destroy();
    this.wss.close();
    await closed;
  }

  // ---- checks shared by HTTP and the WebSocket ----

  /** The Host header names this server: a rebound DNS name (evil.example → 127.0.0.1) does not. */
  private hostOk(host: string | undefined): boolean {
    if (!host) return false;
    const h = host.toLowerCase();
    return h === `127.0.0.1:${this.port}` || h === `localhost:${this.port}`;
  }

  private tokenOk(token: string | null): 'ok' | 'missing' | 'wrong' {
    if (!token) return 'missing';
    // Hashing first makes the comparison constant-time whatever the length of what was sent.
    return timingSafeEqual(sha256(token), this.tokenHash) ? 'ok' : 'wrong';
  }

  /** Same origin as the Host the browser used (the page this server served). */
  private originOk(origin: string | undefined, host: string | undefined): boolean {
    return !!origin && !!host && origin.toLowerCase() === `http://${host.toLowerCase()}`;
  }

  // ---- HTTP ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setCommonHeaders(res);
    if (!this.hostOk(req.headers.host)) return this.reply(res, 403, { code: 'BAD_MESSAGE', message: 'wrong Host header' });
    const raw = req.url ?? '';
    if (!raw.startsWith('/')) return this.reply(res, 400, { code: 'BAD_MESSAGE', message: 'bad request target' });
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const token = this.tokenOk(params.get('token'));
      if (token !== 'ok')
        return this.reply(res, token === 'missing' ? 401 : 403, {
          code: 'AUTH_FAILED',
          message: token === 'missing' ? 'the access token is missing' : 'wrong access token',
        });
      // Browsers send Origin with every POST and cross-origin request; when present it must be ours.
      const origin = req.headers.origin;
      if (origin !== undefined && !this.originOk(origin, req.headers.host))
        return this.reply(res, 403, { code: 'AUTH_FAILED', message: 'wrong Origin' });
      if (pathname === '/api/upload') return this.upload(req, res, params);
      if (pathname === '/api/session') {
        if (req.method !== 'GET') return this.reply(res, 405, { code: 'BAD_MESSAGE', message: 'GET only' });
        return this.json(res, 200, { ok: true });
      }
      return this.reply(res, 404, { code: 'BAD_MESSAGE', message: 'no such API' });
    }
    return this.serveStatic(req, res, pathname);
  }

  private async upload(req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams): Promise<void> {
    if (req.method !== 'POST') return this.reply(res, 405, { code: 'BAD_MESSAGE', message: 'POST only' });
    const length = req.headers['content-length'];
    if (length === undefined || !/^\d{1,16}$/.test(length)) {
      return this.reply(res, 411, { code: 'BAD_MESSAGE', message: 'an upload needs a Content-Length' });
    }
    const batch = params.get('batch') ?? '';
    const rel = params.get('path') ?? '';
    const mtimeRaw = params.get('mtime');
    const mtime = mtimeRaw !== null && /^-?\d{1,16}$/.test(mtimeRaw) ? Number(mtimeRaw) : null;
    req.setTimeout(UPLOAD_IDLE_MS, () => req.destroy());
    try {
      const saved = await this.opts.staging.receive(batch, rel, req, Number(length), mtime);
      this.json(res, 200, { ok: true, path: saved.path, size: saved.size });
    } catch (err) {
      const e = toFerryError(err, 'IO_ERROR');
      // The rest of a refused body is not worth reading: answer and close.
      res.setHeader('Connection', 'close');
      this.reply(res, STATUS_OF[e.code] ?? 500, e.toJSON());
      req.resume();
    }
  }

  private async serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.reply(res, 405, { code: 'BAD_MESSAGE', message: 'GET only' });
    const rel = safeRelative(pathname);
    if (rel === null) return this.reply(res, 400, { code: 'PATH_UNSAFE', message: 'bad path' });
    const root = path.resolve(this.opts.uiDir);
    const wanted = rel === '' ? 'index.html' : rel;
    let file: string;
    try {
      // realpath: a link inside the build pointing outside it is refused like `..` would be.
      const realRoot = await fs.realpath(root);
      file = await fs.realpath(path.join(realRoot, wanted));
      if (!isInside(realRoot, file)) return this.reply(res, 404, { code: 'BAD_MESSAGE', message: 'not found' });
    } catch {
      if (rel === '')
        return this.reply(res, 503, {
          code: 'IO_ERROR',
          message: `the UI is not built (no ${path.join(root, 'index.html')}); run npm run build`,
        });
      return this.reply(res, 404, { code: 'BAD_MESSAGE', message: 'not found' });
    }
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, 'r');
    } catch {
      return this.reply(res, 404, { code: 'BAD_MESSAGE', message: 'not found' });
    }
    try {
      const st = await fh.stat();
      // Folders are never listed.
      if (!st.isFile()) return this.reply(res, 404, { code: 'BAD_MESSAGE', message: 'not found' });
      const ext = path.extname(file).toLowerCase();
      res.setHeader('Content-Type', UI_CONTENT_TYPES[ext] ?? 'application/octet-stream');
      res.setHeader('Content-Length', st.size);
      if (ext === '.html') {
        res.setHeader('Content-Security-Policy', this.csp());
        res.setHeader('Cache-Control', 'no-store');
      } else {
        res.setHeader('Cache-Control', 'no-cache');
      }
      res.statusCode = 200;
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = fh.createReadStream();
      await new Promise<void>((resolve) => {
        stream.pipe(res);
        stream.once('error', () => res.destroy());
        res.once('close', () => {
          stream.destroy();
          resolve();
        });
      });
    } finally {
      await fh.close().catch(() => {});
    }
  }

  /**
   * renderer/index.html's policy (which its meta tag enforces too), plus what only a header
   * can say: the WebSocket endpoint, and no framing by other pages.
   */
  private csp(): string {
    return [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${this.port} ws://localhost:${this.port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  }

  private reply(res: http.ServerResponse, status: number, error: { code: ErrorCode; message: string }): void {
    this.json(res, status, { ok: false, error });
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.setHeader('Cache-Control', 'no-store');
    res.end(text);
  }

  private fail(res: http.ServerResponse, e: FerryError): void {
    this.reply(res, STATUS_OF[e.code] ?? 500, e.code === 'INTERNAL' ? { code: 'INTERNAL', message: 'internal error' } : e.toJSON());
  }

  // ---- WebSocket ----

  private upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const raw = req.url ?? '';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    if (pathname !== '/api/ws') return refuse('404 Not Found');
    if (!this.hostOk(req.headers.host)) return refuse('403 Forbidden');
    const token = this.tokenOk(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)).get('token'));
    if (token !== 'ok') return refuse(token === 'missing' ? '401 Unauthorized' : '403 Forbidden');
    // Any web page can open a WebSocket to 127.0.0.1; only ours sends our Origin.
    if (!this.originOk(req.headers.origin, req.headers.host)) return refuse('403 Forbidden');
    if (this.clients.size >= MAX_CLIENTS) return refuse('503 Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  private connected(ws: WebSocket): void {
    const client: Client = { ws, alive: true, inFlight: 0, pendingState: null, retryTimer: null };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (client.retryTimer) clearTimeout(client.retryTimer);
      this.clients.delete(client);
    });
    ws.on('message', (data, isBinary) => {
      client.alive = true;
      // Text frames arrive as one Buffer (the server's binaryType is nodebuffer); others are not ours.
      void this.message(client, isBinary || !Buffer.isBuffer(data) ? null : data.toString('utf8'));
    });
  }

  private async message(client: Client, text: string | null): Promise<void> {
    let msg: unknown;
    try {
      if (text === null) throw new FerryError('BAD_JSON', 'messages are JSON text');
      try {
        msg = JSON.parse(text);
      } catch {
        throw new FerryError('BAD_JSON', 'a message is not valid JSON');
      }
    } catch (err) {
      return this.answer(client, null, toFerryError(err));
    }
    const m = msg as { [F in keyof WsRequest]?: unknown };
    const id =
      typeof m?.id === 'number' && Number.isSafeInteger(m.id) ? m.id : typeof m?.id === 'string' && m.id.length <= 64 ? m.id : null;
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || id === null) {
      return this.answer(client, null, new FerryError('BAD_MESSAGE', 'a message is {id, call, args}; id a number or a short string'));
    }
    if (client.inFlight >= MAX_IN_FLIGHT)
      return this.answer(client, id, new FerryError('LIMIT_EXCEEDED', `at most ${MAX_IN_FLIGHT} requests at once`));
    client.inFlight++;
    try {
      const result = await this.run(m.call, m.args);
      this.send(client, JSON.stringify({ id, ok: true, result } satisfies WsReply));
    } catch (err) {
      this.answer(client, id, toFerryError(err));
    } finally {
      client.inFlight--;
    }
  }

  private async run(call: unknown, args: unknown): Promise<unknown> {
    const { name, args: checked } = checkCall(WS_CALLS, call, args);
    return isServeCall(name) ? invoke(this.serveCalls, { name, args: checked }) : invoke(this.opts.app, { name, args: checked });
  }

  private answer(client: Client, id: WsRequestId | null, e: FerryError): void {
    const error = e.code === 'INTERNAL' ? { code: 'INTERNAL' as const, message: 'internal error' } : e.toJSON();
    this.send(client, JSON.stringify({ id, ok: false, error } satisfies WsReply));
  }

  private send(client: Client, text: string): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(text);
  }

  private broadcast(e: UiEvent): void {
    const text = JSON.stringify({ event: e } satisfies WsEvent);
    for (const c of this.clients) {
      if (e.type === 'state' && c.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        // Each state is complete: a slow client may skip some, as long as it gets the latest.
        c.pendingState = text;
        this.retryState(c);
        continue;
      }
      if (e.type === 'state') c.pendingState = null;
      this.send(c, text);
    }
  }

  private retryState(c: Client): void {
    if (c.retryTimer) return;
    c.retryTimer = setTimeout(() => {
      c.retryTimer = null;
      if (c.pendingState === null) return;
      if (c.ws.bufferedAmount > MAX_BUFFERED_BYTES) return this.retryState(c);
      const text = c.pendingState;
      c.pendingState = null;
      this.send(c, text);
    }, 250);
  }

  private beat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}

function isServeCall(name: WsCallName): name is ServeCallName {
  return Object.hasOwn(SERVE_CALLS, name);
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function setCommonHeaders(res: http.ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token is in the page's URL until the UI removes it: never let it travel in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * The request path as a relative path inside the UI folder, or null when it tries to leave
 * it: every segment is decoded once and checked, so `..`, `%2e%2e`, `%2f` and `\` never
 * become a step outside, whatever a later normalisation would make of them.
 */
export function safeRelative(pathname: string): string | null {
  if (!pathname.startsWith('/')) return null;
  const segments = pathname.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    let seg: string;
    try {
      seg = decodeURIComponent(segments[i]!);
    } catch {
      return null;
    }
    if (seg === '') {
      if (i === segments.length - 1) continue; // a trailing slash
      return null;
    }
    if (seg === '.' || seg === '..' || /[/\\\u0000-\u001f:]/.test(seg)) return null;
    out.push(seg);
  }
  return out.join('/');
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
