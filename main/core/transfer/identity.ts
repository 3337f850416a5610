// Who this device says it is in `hello`. Kept separate from how it is stored (store/) so
// the security work can swap the random id for a certificate fingerprint without touching
// the transfer code.

import { PROTOCOL_VERSION } from '../protocol/limits.js';
import type { Hello } from '../protocol/messages.js';

export const APP_VERSION = '0.1.0';

export interface LocalIdentity {
  deviceId: string;
  deviceName: string;
}

export function helloFor(id: LocalIdentity): Hello {
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    deviceId: id.deviceId,
    deviceName: id.deviceName,
    platform: process.platform,
    appVersion: APP_VERSION,
  };
}
