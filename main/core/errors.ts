// Errors are values with a stable code: the same codes travel in `error` frames,
// in verdicts, in the CLI's --json output and (later) in the UI.

export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';
import type { ErrorCode } from './error-codes.js';

export class FerryError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
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
    case 'ECONNREFUSED':
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
