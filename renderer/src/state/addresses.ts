// This device's addresses as another device is given them: Ferry's HOST:PORT, and
// localsend://HOST:PORT while LocalSend's server listens. What "Show my address" lists and
// puts in a QR code; the same forms "Add a device" takes.

import type { DeviceView } from '../contract.js';
import { formatPeerAddress } from '../contract.js';

export interface OwnAddress {
  /** As typed in "Add a device": 192.168.1.23:33779, localsend://192.168.1.23:53317. */
  text: string;
  protocol: 'ferry' | 'localsend';
}

export function ownAddresses(device: Pick<DeviceView, 'addresses' | 'port' | 'localsend'>): OwnAddress[] {
  const out: OwnAddress[] = [];
  if (device.port !== null) {
    for (const host of device.addresses)
      out.push({ text: formatPeerAddress({ host, port: device.port, protocol: 'ferry' }), protocol: 'ferry' });
  }
  const ls = device.localsend?.port;
  if (ls != null) {
    for (const host of device.addresses)
      out.push({ text: formatPeerAddress({ host, port: ls, protocol: 'localsend' }), protocol: 'localsend' });
  }
  return out;
}
