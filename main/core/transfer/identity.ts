// Who this device says it is in `hello`. How the identity is made and stored lives in
// security/ and store/; the transfer code only needs these fields.

import { PROTOCOL_VERSION } from '../protocol/limits.js';
import type { Hello } from '../protocol/messages.js';
import type { TlsCredentials } from '../security/certificate.js';

export const APP_VERSION = '0.1.0';

export interface LocalIdentity {
  /** SHA-256 fingerprint of tls.cert, lower-case hex. */
  deviceId: string;
  deviceName: string;
  tls: TlsCredentials;
}

export function helloFor(id: LocalIdentity, nonce: string, auth: Hello['auth']): Hello {
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    deviceId: id.deviceId,
    deviceName: id.deviceName,
    platform: process.platform,
    appVersion: APP_VERSION,
    nonce,
    auth,
  };
}
