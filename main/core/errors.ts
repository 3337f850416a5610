// Errors are values with a stable code: the same codes travel in `error` frames,
// in verdicts, in the CLI's --json output and (later) in the UI.

export { ERROR_CODES, isErrorCode, isRetryable, type ErrorCode } from './contract/error-codes.js';
import type { ErrorCode } from './contract/error-codes.js';
import { formatHostPort } from './contract/host-port.js';

export class FerryError extends Error {
  readonly code: ErrorCode;
  /** What the other device is told in an `error` frame when it must read it otherwise (from its side). */
  readonly forPeer: string | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; forPeer?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.forPeer = options?.forPeer;
    this.name = 'FerryError';
  }
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Wraps anything thrown into a FerryError, mapping common Node errors to codes. */
export function toFerryError(err: unknown, fallback: ErrorCode = 'INTERNAL'): FerryError {
  if (err instanceof FerryError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const code = e?.code;
  const message = e?.message ?? String(err);
  if (typeof code === 'string' && code.startsWith('ERR_SSL_')) return tlsFailure(code, err);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new FerryError('NO_SPACE', 'not enough disk space', { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'ERR_STREAM_PREMATURE_CLOSE':
    case 'ERR_STREAM_DESTROYED':
      return new FerryError('CONNECTION_LOST', `connection lost (${code})`, { cause: err });
    case 'ECONNREFUSED': {
      // Node's socket errors carry where they tried; a sentence beats "connect ECONNREFUSED …".
      const at = err as { address?: unknown; port?: unknown };
      const where =
        typeof at.address === 'string' && typeof at.port === 'number'
          ? formatHostPort({ host: at.address, port: at.port })
          : 'the other device';
      return new FerryError('CONNECT_FAILED', `cannot connect: ${where} refused the connection (is Ferry running there, on that port?)`, {
        cause: err,
      });
    }
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new FerryError('CONNECT_FAILED', `cannot connect: ${message}`, { cause: err });
    case 'ETIMEDOUT':
      return new FerryError('TIMEOUT', 'connection timed out', { cause: err });
    case 'EACCES':
    case 'EPERM':
    case 'EISDIR':
    case 'ENOTDIR':
    case 'ENOENT':
    case 'EEXIST':
    case 'ELOOP':
    case 'EROFS':
    case 'EMFILE':
    case 'ENFILE':
    case 'EIO':
      return new FerryError('IO_ERROR', message, { cause: err });
    default:
      return new FerryError(fallback, message, { cause: err });
  }
}

/**
 * A failure of the TLS layer, in one line a person can act on. OpenSSL's own text (error
 * numbers, function names, source paths, sometimes a newline) stays in `cause`, for a debug
 * log, never in what a user reads.
 */
function tlsFailure(code: string, cause: unknown): FerryError {
  // Either we could not decrypt a record, or the peer could not and said so with an alert
  // (ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC): the bytes changed on the way, whichever way.
  if (/BAD_RECORD_MAC|DECRYPT/.test(code)) {
    return new FerryError('TLS_ERROR', 'the connection was corrupted or tampered with in transit', { cause });
  }
  if (/ALERT/.test(code)) {
    return new FerryError('TLS_ERROR', 'the other side aborted the encrypted connection (a TLS alert)', { cause });
  }
  return new FerryError('TLS_ERROR', 'the connection carried data that is not valid TLS: corrupted in transit, or not a Ferry peer', {
    cause,
  });
}

/** Text for one line of a terminal or log: line breaks and other controls become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
