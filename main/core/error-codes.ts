// The stable error codes, free of Node imports so that every UI can type-check them.

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

