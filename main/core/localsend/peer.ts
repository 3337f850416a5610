// Who a LocalSend request comes from. With a client certificate (LocalSend 1.18, Ferry), the
// identity is its SHA-256 fingerprint, proven by the TLS handshake like a Ferry device's, and a
// body `fingerprint` that says otherwise is refused. Without one (LocalSend ≤ 1.17, a browser),
// the body's fingerprint is only a claim: such a peer gets a device id that can never be
// trusted (not 64 hex digits, so the trust store refuses it and no pinned id can match it).

import type { TLSSocket } from 'node:tls';
import type { PeerInfo } from '../model/events.js';
import { printable } from '../protocol/wire-path.js';
import { peerFingerprint } from '../security/tls.js';
import { verificationCode } from '../security/verification-code.js';
import type { TrustView } from '../store/trust-store.js';
import { Refusal } from './refusal.js';
import type { DeviceType } from './announce.js';
import type { LocalSendRegister } from './upload-messages.js';

/** The device id of a peer whose fingerprint nothing proves starts with this. */
export const UNVERIFIED_PREFIX = 'unverified:';

/** How a request identified its sender. */
export interface LocalSendIdentity {
  /** Lower-case hex SHA-256 of its certificate, or (unverified) the fingerprint its body claims. */
  fingerprint: string;
  /** It presented a certificate: the fingerprint is proven. */
  verified: boolean;
}

/** A LocalSend sender as the app sees it. */
export interface LocalSendPeerInfo extends PeerInfo {
  protocol: 'localsend';
  /** False: no certificate proves who it is; never trust it, never offer "always accept". */
  verified: boolean;
  /** As LocalSend's discovery knows it (the device id adds a prefix when unverified). */
  fingerprint: string;
  deviceModel: string | null;
  deviceType: DeviceType;
  /** Its own server, where a cancel from this side is posted (null: it did not say). */
  port: number | null;
  scheme: 'http' | 'https' | null;
}

/** The sender's identity; a 403 when its certificate and its body disagree. */
export function identify(socket: TLSSocket, claimed: string): LocalSendIdentity {
  const proven = peerFingerprint(socket);
  if (proven === null) return { fingerprint: claimed, verified: false };
  // No fingerprint in the body (a Dart app's prepare-upload may leave it out): the certificate says it.
  if (claimed !== '' && claimed.toLowerCase() !== proven) {
    throw new Refusal(403, 'IDENTITY_MISMATCH', 'the fingerprint in the request is not that of the client certificate');
  }
  return { fingerprint: proven, verified: true };
}

export function peerInfoOf(
  id: LocalSendIdentity,
  info: LocalSendRegister,
  address: string,
  localId: string,
  trust: TrustView | null,
): LocalSendPeerInfo {
  const claimed = printable(id.fingerprint.slice(0, 128)) || 'unknown';
  const deviceId = id.verified ? id.fingerprint : UNVERIFIED_PREFIX + claimed;
  const changed = trust?.changedIdentity(deviceId, info.alias) ?? null;
  return {
    deviceId,
    deviceName: info.alias,
    platform: info.deviceType,
    appVersion: `LocalSend protocol ${info.version}`,
    address,
    // A code is only worth comparing when a certificate stands behind the id.
    verificationCode: id.verified ? verificationCode(deviceId, localId) : '',
    trusted: id.verified && (trust?.isTrusted(deviceId) ?? false),
    identityChangedFrom: changed ? changed.id : null,
    protocol: 'localsend',
    verified: id.verified,
    fingerprint: id.verified ? id.fingerprint : claimed,
    deviceModel: info.deviceModel,
    deviceType: info.deviceType,
    port: info.port,
    scheme: info.protocol,
  };
}
