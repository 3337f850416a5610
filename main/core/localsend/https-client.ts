// One HTTPS request to a LocalSend device, the way LocalSend 1.18 makes them: mutual TLS with
// Ferry's device certificate, the server's certificate pinned to the fingerprint it announced,
// HTTP/1.1, no redirects, no connection reuse. Register, prepare-upload, upload and cancel all
// go through localSendRequest; what a status means is the caller's to decide.

import * as http from 'node:http';
import type { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { formatHostPort } from '../contract/host-port.js';
import { FerryError, oneLine, toFerryError } from '../errors.js';
import { fingerprintOf, type TlsCredentials } from '../security/certificate.js';

/**
 * In place of a fingerprint: accept whatever certificate the server presents and report its
 * fingerprint in the response. Only for the first contact with a device added by its address,
 * whose answer must then carry that same fingerprint (registerWith checks it); every later
 * request pins it.
 */
export const FIRST_CONTACT: unique symbol = Symbol('LocalSend first contact');
export type ExpectedServer = string | typeof FIRST_CONTACT;

/** TCP connect plus TLS handshake: a device on the LAN answers in milliseconds, or not at all. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Idle time before TCP keep-alive probes start (Linux then gives up after 9 unanswered probes, 75 s apart). */
const KEEPALIVE_MS = 15_000;
/** Bodies LocalSend answers with are small JSON (info, a token per file); past this it is not LocalSend. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const HEX64 = /^[0-9a-fA-F]{64}$/;

export type RequestBody =
  /** Sent with Content-Length and Content-Type application/json. */
  | { json: unknown }
  /** Sent chunked, as LocalSend 1.18 uploads: no Content-Length. Destroyed if the request fails. */
  | { stream: Readable; contentType?: string };

export interface LocalSendRequest {
  host: string;
  port: number;
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/api/localsend/v2/upload?sessionId=…` (the caller encodes the query). */
  path: string;
  /** The SHA-256 fingerprint the server's certificate must have (hex, either case), or FIRST_CONTACT. */
  fingerprint: ExpectedServer;
  /** Ferry's certificate and key: presented as the client certificate, which 1.18 servers require. */
  credentials: TlsCredentials;
  body?: RequestBody;
  /** From the first connect to the last byte of the answer. Omitted: no limit (a person may be deciding). */
  timeoutMs?: number;
  /** No byte either way for this long ends the request. Omitted: no limit. */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  maxResponseBytes?: number;
}

export interface LocalSendResponse {
  status: number;
  /** 2xx. */
  ok: boolean;
  /** The body parsed as JSON; undefined when it was empty or not JSON. */
  json: unknown;
  /** The body as text (LocalSend's error bodies are `{"message": …}`, some servers' plain text). */
  text: string;
  /** The certificate that answered, lower-case hex: the pinned one, or what FIRST_CONTACT found. */
  serverFingerprint: string;
}

/**
 * The fingerprint to pin for a device, or a refusal. Ferry speaks LocalSend over HTTPS only: a
 * device in plain-HTTP mode (its "encryption" setting off) has no certificate to pin, and
 * anyone on the network could answer in its name.
 */
export function pinFor(peer: { protocol: string; fingerprint: string; alias?: string }): string {
  const who = peer.alias ? `"${oneLine(peer.alias)}"` : 'this LocalSend device';
  if (peer.protocol !== 'https') {
    throw new FerryError(
      'UNSUPPORTED_VERSION',
      `${who} uses plain HTTP, and Ferry talks to LocalSend devices only over HTTPS (turn encryption on in its LocalSend settings)`,
    );
  }
  if (!HEX64.test(peer.fingerprint)) {
    throw new FerryError('BAD_MESSAGE', `${who} has no certificate fingerprint to pin (not the 64 hex digits of a SHA-256)`);
  }
  return peer.fingerprint.toLowerCase();
}

/** The message of a non-2xx answer: LocalSend's `{ message }`, else the text, on one short line. */
export function errorMessageOf(res: LocalSendResponse): string {
  const m = (res.json as { message?: unknown } | undefined)?.message;
  const text = typeof m === 'string' ? m : res.text;
  return oneLine(text).slice(0, 200) || `HTTP ${res.status}`;
}

export async function localSendRequest(req: LocalSendRequest): Promise<LocalSendResponse> {
  const expected = req.fingerprint === FIRST_CONTACT ? FIRST_CONTACT : pinFor({ protocol: 'https', fingerprint: req.fingerprint });
  const where = formatHostPort({ host: req.host, port: req.port });
  const guard = new Guard(req, where);
  try {
    guard.throwIfCancelled();
    const { socket, fingerprint } = await connectPinned(req, expected, where, guard);
    return await exchange(req, socket, fingerprint, guard, where);
  } finally {
    guard.dispose();
  }
}

/**
 * Connects and completes the TLS handshake, then checks the server's certificate before anyone
 * writes to the socket: the HTTP request is only created on the socket this resolves with, so
 * a server that is not the pinned device never receives a byte of it. (checkServerIdentity
 * would not do: Node skips it when the chain fails to verify, as every self-signed one does.)
 */
function connectPinned(
  req: LocalSendRequest,
  expected: ExpectedServer,
  where: string,
  guard: Guard,
): Promise<{ socket: tls.TLSSocket; fingerprint: string }> {
  const timeoutMs = req.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: req.host,
      port: req.port,
      key: req.credentials.key,
      cert: req.credentials.cert,
      // The identity is the fingerprint, checked below; the host name means nothing on a LAN.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      // LocalSend apps are built on older TLS stacks than Ferry's own peers (Dart, rustls on
      // phones); TLS 1.2 with a pinned certificate is as sound a channel for this.
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['http/1.1'],
    });
    const fail = (err: FerryError): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    // Also after the handshake: the socket is this request's until it is over.
    guard.onCancel(fail);
    const timer = setTimeout(
      () => fail(new FerryError('TIMEOUT', `${where} did not complete a TLS handshake within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    socket.on('error', (err) => fail(toFerryError(err, 'CONNECT_FAILED')));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate();
      const actual = cert ? fingerprintOf(cert.raw) : null;
      if (actual === null) {
        fail(new FerryError('IDENTITY_MISMATCH', `the device at ${where} presented no certificate`));
        return;
      }
      if (expected !== FIRST_CONTACT && actual !== expected) {
        fail(
          new FerryError(
            'IDENTITY_MISMATCH',
            `the device at ${where} is not the one expected: its certificate's fingerprint is ${actual}, not ${expected}`,
          ),
        );
        return;
      }
      clearTimeout(timer);
      // A prepare-upload may wait minutes for the person on the other side, with no timeout of
      // ours: keep-alive probes are what notice a device that left the network meanwhile.
      socket.setKeepAlive(true, KEEPALIVE_MS);
      // The 'error' listener stays (a later error reaches the request too; a reject then is a
      // no-op): removeAllListeners would also strip the TLS socket's own, which Node needs.
      resolve({ socket, fingerprint: actual });
    });
  });
}

function exchange(
  req: LocalSendRequest,
  socket: tls.TLSSocket,
  serverFingerprint: string,
  guard: Guard,
  where: string,
): Promise<LocalSendResponse> {
  const maxBytes = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const headers: http.OutgoingHttpHeaders = { connection: 'close' };
  let payload: Buffer | null = null;
  if (req.body && 'json' in req.body) {
    payload = Buffer.from(JSON.stringify(req.body.json), 'utf8');
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  } else if (req.body) {
    headers['content-type'] = req.body.contentType ?? 'application/octet-stream';
    headers['transfer-encoding'] = 'chunked';
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const fail = (err: unknown): void => {
      if (!answered) reject(httpFailure(err, where));
      answered = true;
    };
    // No agent: this one verified socket carries this one request, and is closed after it.
    const out = http.request({
      host: req.host,
      port: req.port,
      method: req.method,
      path: req.path,
      headers,
      createConnection: () => socket,
    });
    guard.onCancel((err) => {
      out.destroy(err);
      fail(err);
    });
    if (req.idleTimeoutMs !== undefined) {
      const idle = req.idleTimeoutMs;
      socket.setTimeout(idle, () => guard.cancel(new FerryError('TIMEOUT', `${where} sent nothing for ${idle / 1000} s`)));
    }
    out.on('error', fail);
    out.on('response', (res) => {
      // A redirect is answered like any other status: LocalSend never redirects, and following
      // one would leave the pinned device.
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          guard.cancel(new FerryError('LIMIT_EXCEEDED', `${where} answered with more than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(new FerryError('CONNECTION_LOST', `${where} closed the connection in the middle of its answer`));
      });
      res.on('end', () => {
        if (answered) return;
        answered = true;
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, json: parseJson(text), text, serverFingerprint });
        socket.destroy();
      });
    });
    if (payload) out.end(payload);
    else if (req.body && 'stream' in req.body) {
      const body = req.body.stream;
      // A server may answer (and close) before the upload is over, a 403 for instance: the
      // answer wins, and the stream is torn down either way.
      body.once('error', (err) => guard.cancel(toFerryError(err, 'IO_ERROR')));
      out.once('close', () => body.destroy());
      body.pipe(out);
    } else out.end();
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function httpFailure(err: unknown, where: string): FerryError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('HPE_')) {
    return new FerryError('BAD_MESSAGE', `${where} answered with something that is not HTTP/1.1 (${code})`, { cause: err });
  }
  return toFerryError(err, 'CONNECTION_LOST');
}

/** The overall deadline and the caller's signal: each ends the request wherever it is. */
class Guard {
  private readonly listeners: Array<(err: FerryError) => void> = [];
  private readonly timer: NodeJS.Timeout | undefined;
  private reason: FerryError | null = null;
  private readonly onAbort = (): void => this.cancel(new FerryError('CANCELLED', `the request to ${this.where} was cancelled`));

  constructor(
    private readonly req: LocalSendRequest,
    private readonly where: string,
  ) {
    if (req.timeoutMs !== undefined) {
      const ms = req.timeoutMs;
      this.timer = setTimeout(() => this.cancel(new FerryError('TIMEOUT', `${where} did not answer within ${ms / 1000} s`)), ms);
    }
    if (req.signal?.aborted) this.onAbort();
    else req.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  throwIfCancelled(): void {
    if (this.reason) throw this.reason;
  }

  onCancel(fn: (err: FerryError) => void): void {
    if (this.reason) fn(this.reason);
    else this.listeners.push(fn);
  }

  cancel(err: FerryError): void {
    if (this.reason) return;
    this.reason = err;
    for (const fn of this.listeners) fn(err);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.req.signal?.removeEventListener('abort', this.onAbort);
  }
}
