// The HTTP server of `ferry serve`: the renderer build as static files, the contract over a
// WebSocket, and uploads of dropped files into staging. Bound to 127.0.0.1 only; every API
// request and the WebSocket carry the access token, and the Host (and, for the WebSocket,
// the Origin) must be this server's own, so neither the LAN nor another web page in the
// user's browser (DNS rebinding, cross-site requests) can drive it (ui-access.ts).

import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SERVE_CALLS, WS_CALLS, type ServeCallName, type ServeCalls, type WsCallName } from '../../core/contract/commands.js';
import type { Remote } from '../../core/contract/index.js';
import type { FerryApp } from '../../core/app/ferry-app.js';
import { checkCall, invoke } from '../../core/app/validate-call.js';
import { FerryError, toFerryError } from '../../core/errors.js';
import { replyError, replyFailure, replyJson, setCommonHeaders } from './http-replies.js';
import type { Staging } from './serve-staging.js';
import { serveStatic } from './static-files.js';
import { UiAccess } from './ui-access.js';
import { WsClients } from './ws-clients.js';

/** An upload that sends nothing for this long is dropped. */
const UPLOAD_IDLE_MS = 60_000;

export interface UiServerOptions {
  app: FerryApp;
  staging: Staging;
  /** The built renderer (index.html and its assets). */
  uiDir: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
}

export class UiServer {
  private readonly server: http.Server;
  private readonly access: UiAccess;
  private readonly clients: WsClients;
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

  private constructor(private readonly opts: UiServerOptions) {
    this.access = new UiAccess(opts.token);
    this.clients = new WsClients((call, args) => this.run(call, args));
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => replyFailure(res, toFerryError(err)));
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
      s.clients.close('ferry serve did not start');
      s.clients.terminate();
      throw new FerryError(
        'IO_ERROR',
        err.code === 'EADDRINUSE' ? `cannot serve the UI: port ${opts.port} on 127.0.0.1 is in use` : `cannot serve the UI: ${err.message}`,
      );
    });
    s.access.port = (s.server.address() as AddressInfo).port;
    s.unsubscribe = opts.app.onEvent((e) => s.clients.broadcast(e));
    return s;
  }

  get port(): number {
    return this.access.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.opts.token}`;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.clients.close('ferry serve is stopping');
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    // Give the close frames a moment, then drop whatever is still open (an upload in flight).
    await new Promise((r) => setTimeout(r, 50).unref());
    this.clients.terminate();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setCommonHeaders(res);
    if (!this.access.hostOk(req.headers.host)) return replyError(res, 403, { code: 'BAD_MESSAGE', message: 'wrong Host header' });
    const raw = req.url ?? '';
    if (!raw.startsWith('/')) return replyError(res, 400, { code: 'BAD_MESSAGE', message: 'bad request target' });
    const { pathname, params } = splitTarget(raw);
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const token = this.access.tokenOk(params.get('token'));
      if (token !== 'ok')
        return replyError(res, token === 'missing' ? 401 : 403, {
          code: 'AUTH_FAILED',
          message: token === 'missing' ? 'the access token is missing' : 'wrong access token',
        });
      // Browsers send Origin with every POST and cross-origin request; when present it must be ours.
      const origin = req.headers.origin;
      if (origin !== undefined && !this.access.originOk(origin, req.headers.host))
        return replyError(res, 403, { code: 'AUTH_FAILED', message: 'wrong Origin' });
      if (pathname === '/api/upload') return this.upload(req, res, params);
      if (pathname === '/api/session') {
        if (req.method !== 'GET') return replyError(res, 405, { code: 'BAD_MESSAGE', message: 'GET only' });
        return replyJson(res, 200, { ok: true });
      }
      return replyError(res, 404, { code: 'BAD_MESSAGE', message: 'no such API' });
    }
    return serveStatic(req, res, pathname, { uiDir: this.opts.uiDir, port: this.port });
  }

  private async upload(req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams): Promise<void> {
    if (req.method !== 'POST') return replyError(res, 405, { code: 'BAD_MESSAGE', message: 'POST only' });
    const length = req.headers['content-length'];
    if (length === undefined || !/^\d{1,16}$/.test(length)) {
      return replyError(res, 411, { code: 'BAD_MESSAGE', message: 'an upload needs a Content-Length' });
    }
    const batch = params.get('batch') ?? '';
    const rel = params.get('path') ?? '';
    const mtimeRaw = params.get('mtime');
    const mtime = mtimeRaw !== null && /^-?\d{1,16}$/.test(mtimeRaw) ? Number(mtimeRaw) : null;
    req.setTimeout(UPLOAD_IDLE_MS, () => req.destroy());
    try {
      if (params.get('dir') === '1') {
        if (length !== '0') throw new FerryError('BAD_MESSAGE', 'a folder upload has no body');
        const made = await this.opts.staging.makeDir(batch, rel);
        return replyJson(res, 200, { ok: true, path: made.path, size: 0 });
      }
      const saved = await this.opts.staging.receive(batch, rel, req, Number(length), mtime);
      replyJson(res, 200, { ok: true, path: saved.path, size: saved.size });
    } catch (err) {
      // The rest of a refused body is not worth reading: answer and close.
      res.setHeader('Connection', 'close');
      replyFailure(res, toFerryError(err, 'IO_ERROR'));
      req.resume();
    }
  }

  private upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const { pathname, params } = splitTarget(req.url ?? '');
    if (pathname !== '/api/ws') return refuse('404 Not Found');
    if (!this.access.hostOk(req.headers.host)) return refuse('403 Forbidden');
    const token = this.access.tokenOk(params.get('token'));
    if (token !== 'ok') return refuse(token === 'missing' ? '401 Unauthorized' : '403 Forbidden');
    // Any web page can open a WebSocket to 127.0.0.1; only ours sends our Origin.
    if (!this.access.originOk(req.headers.origin, req.headers.host)) return refuse('403 Forbidden');
    if (this.clients.full) return refuse('503 Service Unavailable');
    this.clients.accept(req, socket, head);
  }

  private async run(call: unknown, args: unknown): Promise<unknown> {
    const { name, args: checked } = checkCall(WS_CALLS, call, args);
    return isServeCall(name) ? invoke(this.serveCalls, { name, args: checked }) : invoke(this.opts.app, { name, args: checked });
  }
}

/** A request target split by hand: URL() would normalise `..` and `%2e` before we could refuse them. */
function splitTarget(raw: string): { pathname: string; params: URLSearchParams } {
  const q = raw.indexOf('?');
  return { pathname: q < 0 ? raw : raw.slice(0, q), params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function isServeCall(name: WsCallName): name is ServeCallName {
  return Object.hasOwn(SERVE_CALLS, name);
}
