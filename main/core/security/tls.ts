// TLS settings for every transfer connection: TLS 1.3 only, both sides present their
// device certificate. Certificates are self-signed, so the chain is not what is checked:
// the session compares the peer certificate's fingerprint with the device id its hello
// claims (and, for trusted devices, with the pinned id).

import type * as tls from 'node:tls';
import { fingerprintOf, type TlsCredentials } from './certificate.js';

const COMMON = {
  minVersion: 'TLSv1.3',
  maxVersion: 'TLSv1.3',
  // Self-signed device certificates: identity is the fingerprint, checked after the handshake.
  rejectUnauthorized: false,
} as const;

export function serverTlsOptions(c: TlsCredentials, handshakeTimeoutMs: number): tls.TlsOptions {
  return { ...COMMON, key: c.key, cert: c.cert, requestCert: true, handshakeTimeout: handshakeTimeoutMs };
}

export function clientTlsOptions(c: TlsCredentials): tls.ConnectionOptions {
  return { ...COMMON, key: c.key, cert: c.cert, checkServerIdentity: () => undefined };
}

/** The peer certificate's fingerprint, or null when it presented none. */
export function peerFingerprint(socket: tls.TLSSocket): string | null {
  const cert = socket.getPeerX509Certificate();
  return cert ? fingerprintOf(cert.raw) : null;
}
