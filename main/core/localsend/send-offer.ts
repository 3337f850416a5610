// The offer of a LocalSend send: POST /api/localsend/v2/prepare-upload, held open for as long as
// the person on the other device takes to decide (no timeout but the connect's), asked again
// with `?pin=` when the receiver wants a PIN, and its answer read: a session id and a token per
// accepted file, nothing to send (204), or a refusal, each with the code the app shows.

import { FerryError, type ErrorCode } from '../errors.js';
import { printable } from '../protocol/wire-path.js';
import type { TlsCredentials } from '../security/certificate.js';
import { errorMessageOf, localSendRequest, type LocalSendResponse } from './https-client.js';
import type { PrepareUploadBody } from './send-prepare.js';

export const PREPARE_UPLOAD_PATH = '/api/localsend/v2/prepare-upload';
/** A session id or token longer than this is not LocalSend's (they are UUIDs). */
const MAX_ID_CHARS = 256;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

export type AskPin = (state: 'required' | 'wrong', signal: AbortSignal) => Promise<string | null>;

export interface OfferRequest {
  host: string;
  port: number;
  /** Pinned: the certificate identifyReceiver met. */
  fingerprint: string;
  credentials: TlsCredentials;
  /** The receiver's name, for messages. */
  alias: string;
  body: PrepareUploadBody;
  signal: AbortSignal;
  pin: string | null;
  askPin: AskPin | undefined;
}

export type OfferAnswer =
  /** Tokens by file id: only the files the receiver accepted. */
  | { kind: 'accepted'; sessionId: string; tokens: Map<string, string> }
  /** 204: the receiver wants none of it (LocalSend's answer to "nothing selected"). */
  | { kind: 'nothing' };

/** Throws FerryError: DECLINED, BUSY, AUTH_REQUIRED, AUTH_FAILED, RATE_LIMITED, or what the request met. */
export async function offerFiles(o: OfferRequest): Promise<OfferAnswer> {
  let pin = o.pin !== null && o.pin !== undefined && o.pin !== '' ? o.pin : null;
  for (;;) {
    const res = await localSendRequest({
      host: o.host,
      port: o.port,
      method: 'POST',
      path: pin === null ? PREPARE_UPLOAD_PATH : `${PREPARE_UPLOAD_PATH}?pin=${encodeURIComponent(pin)}`,
      fingerprint: o.fingerprint,
      credentials: o.credentials,
      body: { json: o.body },
      // No timeout, idle or total: the person decides at their pace, and says nothing meanwhile.
      signal: o.signal,
      // A token per file: the answer to 20,000 files is about a megabyte.
      maxResponseBytes: 4 * 1024 * 1024,
    });
    if (res.status !== 401) return answerOf(res, o);
    const state = pin === null ? 'required' : 'wrong';
    const next = o.askPin ? await untilAborted(o.askPin(state, o.signal), o.signal) : null;
    if (next === null || next === '') {
      throw state === 'required'
        ? new FerryError('AUTH_REQUIRED', `"${o.alias}" asks for a PIN before it takes files`)
        : new FerryError('AUTH_FAILED', `"${o.alias}" refused the PIN`);
    }
    pin = next;
  }
}

function answerOf(res: LocalSendResponse, o: OfferRequest): OfferAnswer {
  const who = `"${o.alias}"`;
  const refused = (code: ErrorCode, what: string): FerryError => new FerryError(code, `${what} (${printable(errorMessageOf(res))})`);
  switch (res.status) {
    case 200:
      return accepted(res, o);
    case 204:
      return { kind: 'nothing' };
    case 403:
      throw new FerryError('DECLINED', `${who} declined the files`);
    case 409:
      throw new FerryError('BUSY', `${who} is busy with another transfer`);
    case 429:
      throw new FerryError('RATE_LIMITED', `${who} refuses more PIN attempts for now (too many wrong ones); try again later`);
    case 400:
      throw refused('BAD_MESSAGE', `${who} refused the offer as malformed`);
    case 413:
      throw refused('LIMIT_EXCEEDED', `${who} refused the offer as too large`);
    case 503:
      throw refused('TOO_MANY_CONNECTIONS', `${who} is too busy to take an offer now`);
    case 404:
      throw refused('UNSUPPORTED_VERSION', `${who} does not take LocalSend v2 offers`);
    default:
      throw refused('UNEXPECTED_MESSAGE', `${who} answered the offer with HTTP ${res.status}`);
  }
}

/** The 200 answer, checked: a session id, and a token for files we offered (others are ignored). */
function accepted(res: LocalSendResponse, o: OfferRequest): OfferAnswer {
  const bad = (why: string): FerryError => new FerryError('BAD_MESSAGE', `"${o.alias}" accepted with a malformed answer: ${why}`);
  const body = res.json as { sessionId?: unknown; files?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('not a JSON object');
  if (!isId(body.sessionId)) throw bad('no usable sessionId');
  const files = body.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw bad('no files map');
  const tokens = new Map<string, string>();
  for (const [id, token] of Object.entries(files as Record<string, unknown>)) {
    if (!Object.hasOwn(o.body.files, id)) continue;
    if (!isId(token)) throw bad(`the token of file ${id} is not a short printable string`);
    tokens.set(id, token);
  }
  // 200 with no file we offered is "nothing wanted", said another way.
  if (tokens.size === 0) return { kind: 'nothing' };
  return { kind: 'accepted', sessionId: body.sessionId, tokens };
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_CHARS && PRINTABLE_ASCII.test(v);
}

/** A prompt that ignores the signal must not keep a cancelled send waiting. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new FerryError('CANCELLED', 'cancelled while asking for the PIN'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
