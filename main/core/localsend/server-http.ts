// The HTTP plumbing of the LocalSend server: the sender's address, the query, JSON bodies read
// under a size cap and an idle timer, and answers in LocalSend's shape (`{"message"}` on error).

import type * as http from 'node:http';
import { toFerryError } from '../errors.js';
import { Refusal } from './refusal.js';

/** The peer's IP as LocalSend compares it (an IPv4-mapped IPv6 address reads as plain IPv4). */
export function remoteAddress(req: http.IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function queryOf(req: http.IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'https://localsend.invalid').searchParams;
}

export function replyJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function replyEmpty(res: http.ServerResponse, status = 200): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

/**
 * An error answer. `close`: the connection is not reused (a body we stopped reading may still
 * be on its way), so Node drops it after the answer.
 */
export function replyError(res: http.ServerResponse, status: number, message: string, close = false): void {
  if (close && !res.headersSent) res.setHeader('Connection', 'close');
  replyJson(res, status, { message });
}

/** Answers a thrown Refusal with its status, anything else as 500. */
export function replyFailure(res: http.ServerResponse, err: unknown): void {
  if (err instanceof Refusal) return replyError(res, err.status, err.message, err.status === 413);
  replyError(res, 500, toFerryError(err).message);
}

/**
 * Fires when a request body stalls: no byte for idleMs while we were ready for one. Paused by
 * us (the disk is behind) does not count. A slow but steady sender is never cut.
 */
export class IdleWatch {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.touch();
  }

  touch(): void {
    if (this.stopped) return;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.onIdle();
      }, this.idleMs);
      this.timer.unref();
    }
  }

  pause(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.stopped = true;
    this.pause();
  }
}

/**
 * A request's whole body, at most maxBytes (413 beyond, read no further), with a stall cut off
 * after idleMs. Rejects with a Refusal or the connection's error.
 */
export function readBody(req: http.IncomingMessage, maxBytes: number, idleMs: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      watch.stop();
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    const watch = new IdleWatch(idleMs, () => {
      finish(new Refusal(408, 'TIMEOUT', 'the request body stalled'));
      req.socket.destroy();
    });
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > maxBytes) {
        req.pause();
        return finish(tooLarge(maxBytes));
      }
      chunks.push(c);
      watch.touch();
    };
    const onEnd = (): void => finish(null);
    const onError = (e: Error): void => finish(toFerryError(e));
    const onClose = (): void => finish(new Refusal(400, 'CONNECTION_LOST', 'the sender went away'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function tooLarge(maxBytes: number): Refusal {
  return new Refusal(413, 'LIMIT_EXCEEDED', `the request body is larger than ${maxBytes} bytes`);
}

/** JSON.parse with LocalSend's answer to anything else. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new Refusal(400, 'BAD_JSON', 'Invalid JSON body');
  }
}
