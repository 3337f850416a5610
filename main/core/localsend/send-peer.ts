// Who a LocalSend send goes to, before anything is offered: its info route answers with its
// name and fingerprint over the pinned (or, at a first contact, learnt) certificate, and that is
// the PeerInfo the transfer's events carry, as a Ferry receiver's hello is for Ferry's sender.

import { formatHostPort } from '../contract/host-port.js';
import { FerryError } from '../errors.js';
import { printable } from '../protocol/wire-path.js';
import type { LocalIdentity } from '../security/identity.js';
import { verificationCode } from '../security/verification-code.js';
import type { TrustView } from '../store/trust-store.js';
import { majorVersion, sameFingerprint, validateInfoResponse, type InfoResponse } from './announce.js';
import { errorMessageOf, localSendRequest, type ExpectedServer } from './https-client.js';
import type { LocalSendPeerInfo } from './peer.js';

/** The answer is a few hundred bytes of JSON from a device on the LAN. */
const INFO_TIMEOUT_MS = 10_000;

export interface Receiver {
  info: InfoResponse;
  /** Its certificate's fingerprint, lower-case hex: every later request is pinned to it. */
  fingerprint: string;
  peer: LocalSendPeerInfo;
}

export interface ReceiverQuery {
  host: string;
  port: number;
  fingerprint: ExpectedServer;
  identity: LocalIdentity;
  trust: TrustView;
  signal: AbortSignal;
}

/**
 * GET /api/localsend/v2/info (v1 for a server without v2's, as LocalSend 1.17 scans do), checked:
 * the answer must claim the fingerprint its certificate has, speak v2, and not be a trusted
 * device's name under another identity (IDENTITY_CHANGED, as Ferry's own sender refuses one).
 */
export async function identifyReceiver(q: ReceiverQuery): Promise<Receiver> {
  const where = formatHostPort({ host: q.host, port: q.port });
  let pin = q.fingerprint;
  for (const version of ['v2', 'v1']) {
    const res = await localSendRequest({
      host: q.host,
      port: q.port,
      method: 'GET',
      // With our own fingerprint a LocalSend server (Ferry's too) answers 412 if it is this device.
      path: `/api/localsend/${version}/info?fingerprint=${encodeURIComponent(q.identity.deviceId)}`,
      fingerprint: pin,
      credentials: q.identity.tls,
      timeoutMs: INFO_TIMEOUT_MS,
      signal: q.signal,
      maxResponseBytes: 16 * 1024,
    });
    // A first contact learns the certificate here; the v1 retry must meet the same one.
    pin = res.serverFingerprint;
    if (res.status === 404 && version === 'v2') continue;
    if (res.status === 412) throw new FerryError('BAD_CONFIG', `${where} is this device's own LocalSend server`);
    if (!res.ok) {
      throw new FerryError(
        'UNSUPPORTED_VERSION',
        `${where} did not answer as a LocalSend device: HTTP ${res.status} to its info request (${printable(errorMessageOf(res))})`,
      );
    }
    const info = validateInfoResponse(res.json);
    if (!sameFingerprint(info.fingerprint, res.serverFingerprint)) {
      throw new FerryError(
        'IDENTITY_MISMATCH',
        `the LocalSend device at ${where} claims the fingerprint ${info.fingerprint}, but its certificate's is ${res.serverFingerprint}`,
      );
    }
    if (majorVersion(info.version) < 2) {
      throw new FerryError('UNSUPPORTED_VERSION', `"${info.alias}" speaks LocalSend protocol ${info.version}; Ferry speaks 2.x`);
    }
    const changed = q.trust.changedIdentity(res.serverFingerprint, info.alias);
    if (changed) {
      throw new FerryError(
        'IDENTITY_CHANGED',
        `the identity of "${info.alias}" changed: you trust it as ${changed.id.slice(0, 16)}…, it now presents ${res.serverFingerprint.slice(0, 16)}…. If it was reinstalled, compare the verification code with its owner and trust it again; nothing was sent`,
      );
    }
    return { info, fingerprint: res.serverFingerprint, peer: peerInfoOf(info, res.serverFingerprint, q) };
  }
  // Unreachable: the v1 round always returns or throws.
  throw new FerryError('INTERNAL', `${where}: no info`);
}

function peerInfoOf(info: InfoResponse, fingerprint: string, q: ReceiverQuery): LocalSendPeerInfo {
  return {
    deviceId: fingerprint,
    deviceName: info.alias,
    platform: info.deviceModel ?? info.deviceType,
    appVersion: `LocalSend protocol ${info.version}`,
    address: q.host,
    verificationCode: verificationCode(fingerprint, q.identity.deviceId),
    trusted: q.trust.isTrusted(fingerprint),
    identityChangedFrom: null,
    protocol: 'localsend',
    // Its certificate answered the TLS handshake: the fingerprint is proven, as a Ferry device's id is.
    verified: true,
    fingerprint,
    deviceModel: info.deviceModel,
    deviceType: info.deviceType,
    port: q.port,
    scheme: 'https',
  };
}
