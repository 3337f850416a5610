// The short code two people compare on their screens at a first contact: the same on both
// sides because it is derived from both certificate fingerprints, order-independent.

import { createHash } from 'node:crypto';

/** Six digits as "123 456". A man in the middle holds different certificates, so a different code. */
export function verificationCode(fingerprintA: string, fingerprintB: string): string {
  const [a, b] = [fingerprintA, fingerprintB].sort();
  const digest = createHash('sha256').update(`ferry-verification-code-v1\n${a}\n${b}\n`).digest();
  const n = digest.readUInt32BE(0) % 1_000_000;
  const s = String(n).padStart(6, '0');
  return `${s.slice(0, 3)} ${s.slice(3)}`;
}
