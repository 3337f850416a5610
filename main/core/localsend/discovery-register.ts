// POST /api/localsend/v2/register: telling a LocalSend device about Ferry, and learning from its
// answer who it is. The same request answers an announcement, checks that a device listed for a
// while is still there, and makes the first contact with a device added by its address.

import { FerryError } from '../errors.js';
import type { TlsCredentials } from '../security/certificate.js';
import { sameFingerprint, validateInfoResponse, type InfoResponse, type RegisterRequest } from './announce.js';
import { errorMessageOf, localSendRequest, type ExpectedServer } from './https-client.js';

export const REGISTER_PATH = '/api/localsend/v2/register';
/**
 * LocalSend 1.18 allows 500 ms; Ferry waits longer, since a phone waking its radio or a busy
 * desktop can take a second, and the answer is worth more than the wait.
 */
export const REGISTER_TIMEOUT_MS = 2_000;

export interface RegisterTarget {
  address: string;
  port: number;
  /** The fingerprint announced (pinned in the handshake), or FIRST_CONTACT for a device added by address. */
  fingerprint: ExpectedServer;
}

export interface RegisterOptions {
  credentials: TlsCredentials;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Registers `self` with the device and returns its answer, whose fingerprint is that of the
 * certificate it answered with (lower-case hex). Throws FerryError: IDENTITY_MISMATCH when the
 * certificate is not the one expected or disagrees with the answer's fingerprint; CONNECT_FAILED
 * for a status other than 2xx; BAD_MESSAGE for an answer that is not a device description; and
 * those of localSendRequest (TIMEOUT, TLS_ERROR, CANCELLED…).
 */
export async function registerWith(target: RegisterTarget, self: RegisterRequest, opts: RegisterOptions): Promise<InfoResponse> {
  const res = await localSendRequest({
    host: target.address,
    port: target.port,
    method: 'POST',
    path: REGISTER_PATH,
    fingerprint: target.fingerprint,
    credentials: opts.credentials,
    body: { json: self },
    timeoutMs: opts.timeoutMs ?? REGISTER_TIMEOUT_MS,
    signal: opts.signal,
    // An info object is a few hundred bytes.
    maxResponseBytes: 16 * 1024,
  });
  if (!res.ok) {
    throw new FerryError(
      'CONNECT_FAILED',
      `the LocalSend device at ${target.address} refused to register Ferry: HTTP ${res.status} (${errorMessageOf(res)})`,
    );
  }
  const info = validateInfoResponse(res.json);
  // 1.18 refuses a register whose body disagrees with the client certificate; the same holds
  // the other way round, and is what makes a first contact by address worth anything.
  if (!sameFingerprint(info.fingerprint, res.serverFingerprint)) {
    throw new FerryError(
      'IDENTITY_MISMATCH',
      `the LocalSend device at ${target.address} claims the fingerprint ${info.fingerprint}, but its certificate's is ${res.serverFingerprint}`,
    );
  }
  return info;
}
