// Who this device says it is in `hello`. How the identity is made lives in security/identity.ts
// and how it is stored in store/; the transfer code only needs its fields.

import { PROTOCOL_VERSION } from '../protocol/limits.js';
import type { Hello } from '../protocol/messages.js';
import type { LocalIdentity } from '../security/identity.js';
import { APP_VERSION } from '../version.js';

export type { LocalIdentity } from '../security/identity.js';

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
