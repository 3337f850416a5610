// Which network interfaces discovery speaks on, and why the others are left out. A pure
// function of os.networkInterfaces() so tests can hand it any machine's layout.

import type * as os from 'node:os';
import type { NetInterface, SkippedInterface } from '../contract/discovery-status.js';

export type { NetInterface, SkippedInterface } from '../contract/discovery-status.js';

export interface InterfaceChoice {
  /**
   * Interface names to use, or `loopback` for every internal interface. Naming an interface
   * uses it even if it is internal. Default: every interface with IPv4 that is not internal.
   */
  only?: readonly string[];
  /** Also use internal (loopback) interfaces when `only` is not given. */
  loopback?: boolean;
}

export type InterfaceTable = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

export function selectInterfaces(all: InterfaceTable, choice: InterfaceChoice = {}): { use: NetInterface[]; skipped: SkippedInterface[] } {
  const use: NetInterface[] = [];
  const skipped: SkippedInterface[] = [];
  for (const [name, infos] of Object.entries(all)) {
    // Node 18.0–18.3 said 4 instead of 'IPv4'.
    const v4 = (infos ?? []).find((i) => i.family === 'IPv4' || (i.family as unknown) === 4);
    if (!v4) {
      skipped.push({ name, reason: 'no IPv4 address' });
      continue;
    }
    if (choice.only) {
      const named = choice.only.includes(name) || (v4.internal && choice.only.includes('loopback'));
      if (!named) {
        skipped.push({ name, reason: 'not selected' });
        continue;
      }
    } else if (v4.internal && !choice.loopback) {
      skipped.push({ name, reason: 'loopback' });
      continue;
    }
    use.push({
      name,
      address: v4.address,
      netmask: v4.netmask,
      broadcast: broadcastAddress(v4.address, v4.netmask),
      internal: v4.internal,
    });
  }
  for (const name of choice.only ?? []) {
    if (name !== 'loopback' && !(name in all)) skipped.push({ name, reason: 'not found' });
  }
  return { use, skipped };
}

function toInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function fromInt(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function broadcastAddress(address: string, netmask: string): string | null {
  const a = toInt(address);
  const m = toInt(netmask);
  // /31 and /32 have no broadcast address (RFC 3021); neither do point-to-point links.
  if (a === null || m === null || m >>> 0 >= 0xfffffffe) return null;
  return fromInt(((a & m) | (~m >>> 0)) >>> 0);
}

/** The interface whose subnet holds address, if any: which network a datagram came from. */
export function interfaceFor(address: string, ifaces: readonly NetInterface[]): NetInterface | undefined {
  const a = toInt(address);
  if (a === null) return undefined;
  return ifaces.find((i) => {
    const own = toInt(i.address);
    const m = toInt(i.netmask);
    return own !== null && m !== null && (a & m) >>> 0 === (own & m) >>> 0;
  });
}
