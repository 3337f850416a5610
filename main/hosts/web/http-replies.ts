// How `ferry serve` answers over HTTP: JSON bodies in the contract's error shape, status codes
// that match the error codes, and the headers every response carries.

import type * as http from 'node:http';
import type { ErrorCode, FerryError } from '../../core/errors.js';

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

export function statusOf(code: ErrorCode): number {
  return STATUS_OF[code] ?? 500;
}

export function setCommonHeaders(res: http.ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token is in the page's URL until the UI removes it: never let it travel in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

export function replyJson(res: http.ServerResponse, status: number, body: unknown): void {
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

export function replyError(res: http.ServerResponse, status: number, error: { code: ErrorCode; message: string }): void {
  replyJson(res, status, { ok: false, error });
}

/** An error as its status and body; an internal one says only that, whatever its message held. */
export function replyFailure(res: http.ServerResponse, e: FerryError): void {
  replyError(res, statusOf(e.code), publicError(e));
}

export function publicError(e: FerryError): { code: ErrorCode; message: string } {
  return e.code === 'INTERNAL' ? { code: 'INTERNAL', message: 'internal error' } : e.toJSON();
}
