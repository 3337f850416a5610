// Errors are values with a stable code: the same codes travel in `error` frames,
// in verdicts, in the CLI's --json output and (later) in the UI.

export const ERROR_CODES = [
  'BAD_FRAME', // length prefix of 0 or above the header cap
  'BAD_JSON', // header is not valid UTF-8 JSON object
  'BAD_MESSAGE', // a field is missing, has the wrong type or is out of range
  'UNKNOWN_TYPE', // a message type this version does not know
  'UNEXPECTED_MESSAGE', // a known message in the wrong state (e.g. data before acceptance)
  'UNSUPPORTED_VERSION', // the peer speaks an unknown major protocol version
  'PATH_UNSAFE', // a file path that is not a safe relative POSIX path
  'LIMIT_EXCEEDED', // too many files, too long a path, too large a chunk
  'TIMEOUT', // the peer stalled
  'TOO_MANY_CONNECTIONS', // connection caps reached
  'DECLINED', // the receiver (or its user) said no
  'NO_SPACE', // not enough free space for the offer
  'CANCELLED', // one side cancelled the transfer
  'CHECKSUM_MISMATCH', // md5 of the received file differs from the sender's
  'SOURCE_CHANGED', // the sender's file changed or vanished while being sent
  'IO_ERROR', // a local file-system error
  'CONNECTION_LOST', // the connection closed or broke unexpectedly
  'CONNECT_FAILED', // could not reach the peer
  'SUPERSEDED', // a newer connection of the same sender took this transfer over
  'IDENTITY_MISMATCH', // the TLS certificate does not belong to the device id the peer claims
  'IDENTITY_CHANGED', // the peer is not the device expected (e.g. a trusted device now has another certificate)
  'AUTH_REQUIRED', // the other side requires a shared secret and this side has none
  'AUTH_FAILED', // a shared-secret proof did not verify
  'RATE_LIMITED', // too many failed attempts from this address; wait and try again
  'BAD_CONFIG', // a local setting or file is unusable (e.g. a secret that is too short)
  'INTERNAL', // a bug; should never be seen
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

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
