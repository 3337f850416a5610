// This device as the header shows it: its name and id, where others reach it, and whether it
// is visible to them.

import * as os from 'node:os';
import type { DeviceView } from '../contract/index.js';
import type { LocalIdentity } from '../security/identity.js';
import { APP_VERSION } from '../version.js';

export function deviceView(d: {
  identity: LocalIdentity;
  /** The address the receiver is bound to, if only one. */
  host: string | undefined;
  port: number | null;
  announce: boolean;
  problem: string | null;
  localsend: DeviceView['localsend'];
}): DeviceView {
  // Listening on one address: that is the only one others can reach us at.
  const addresses =
    d.host && d.host !== '0.0.0.0' && d.host !== '::'
      ? [d.host]
      : Object.values(os.networkInterfaces())
          .flat()
          .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4' && !a.internal)
          .map((a) => a.address);
  return {
    id: d.identity.deviceId,
    name: d.identity.deviceName,
    platform: process.platform,
    appVersion: APP_VERSION,
    addresses,
    port: d.port,
    visible: d.announce && d.port !== null,
    receiverError: d.problem,
    localsend: d.localsend,
  };
}
