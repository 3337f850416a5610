// The stable error codes, free of Node imports so that every UI can type-check them, with
// the one column the engine acts on: whether a new connection could fix the failure.

/**
 * When a failed connection is worth another try (reconnecting and resuming):
 * - 'yes': whoever noticed it (a broken, stalled, garbled or busy connection);
 * - 'local': only when this side detected it, i.e. the peer sent something wrong; reported
 *   by the peer in an `error` frame, it means this side is at fault and would fail again;
 * - 'no': a definite answer (a decline, a cancel, a refusal, a local problem).
 */
export type Retry = 'yes' | 'local' | 'no';

const CODES = {
  BAD_FRAME: 'yes', // length prefix of 0 or above the header cap
  BAD_JSON: 'yes', // header is not valid UTF-8 JSON object
  BAD_MESSAGE: 'local', // a field is missing, has the wrong type or is out of range
  UNKNOWN_TYPE: 'no', // a message type this version does not know
  UNEXPECTED_MESSAGE: 'local', // a known message in the wrong state (e.g. data before acceptance)
  UNSUPPORTED_VERSION: 'no', // the peer speaks an unknown major protocol version
  PATH_UNSAFE: 'no', // a file path that is not a safe relative POSIX path
  LIMIT_EXCEEDED: 'no', // too many files, too long a path, too large a chunk
  TIMEOUT: 'yes', // the peer stalled
  TOO_MANY_CONNECTIONS: 'yes', // connection caps reached
  DECLINED: 'no', // the receiver (or its user) said no
  BUSY: 'no', // LocalSend: the receiver is in another transfer (its 409); never on Ferry's wire
  NO_SPACE: 'no', // not enough free space for the offer
  CANCELLED: 'no', // one side cancelled the transfer
  CHECKSUM_MISMATCH: 'no', // md5 of the received file differs from the sender's
  SOURCE_CHANGED: 'no', // the sender's file changed or vanished while being sent
  IO_ERROR: 'no', // a local file-system error
  CONNECTION_LOST: 'yes', // the connection closed or broke unexpectedly
  CONNECT_FAILED: 'local', // could not reach the peer
  TLS_ERROR: 'local', // the encrypted channel failed after its handshake: a record that does not decrypt (corrupted or tampered with in transit), garbage, or a TLS alert from the peer
  SUPERSEDED: 'yes', // a newer connection of the same sender took this transfer over
  IDENTITY_MISMATCH: 'no', // the TLS certificate does not belong to the device id the peer claims
  IDENTITY_CHANGED: 'no', // the peer is not the device expected (e.g. a trusted device now has another certificate)
  AUTH_REQUIRED: 'no', // the other side requires a shared secret and this side has none
  AUTH_FAILED: 'no', // a shared-secret proof did not verify
  RATE_LIMITED: 'no', // too many failed attempts from this address; retrying would only extend the wait
  BAD_CONFIG: 'no', // a local setting or file is unusable (e.g. a secret that is too short)
  NOT_FOUND: 'no', // app: what a command names is not there (a transfer, an offer, a manual peer); never on the wire
  INVALID_STATE: 'no', // app: not now (retrying a transfer that is still running); never on the wire
  INTERNAL: 'no', // a bug; should never be seen
} as const satisfies Record<string, Retry>;

export type ErrorCode = keyof typeof CODES;

export const ERROR_CODES = Object.keys(CODES) as ErrorCode[];

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.hasOwn(CODES, v);
}

/** Whether a failure with this code is worth a new connection; `byPeer`: it came in the peer's `error` frame. */
export function isRetryable(code: ErrorCode, byPeer: boolean): boolean {
  const r: Retry = CODES[code];
  return r === 'yes' || (r === 'local' && !byPeer);
}
