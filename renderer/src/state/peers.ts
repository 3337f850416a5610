// Peers as the cards show them: platform, address, and the HOST:PORT a user types.

import type { PeerView } from '../contract.js';
// Node-free: the engine's own parser, so the form accepts exactly what addManualPeer does.
import { formatHostPort, parseAddress } from '../contract.js';
import { formatAddress } from './format.js';

export type PlatformKind = 'mac' | 'windows' | 'linux' | 'android' | 'ios' | 'other';

/** Node's process.platform values (what Ferry announces), and a few spellings others use. */
export function platformKind(platform: string | null | undefined): PlatformKind {
  const p = (platform ?? '').toLowerCase();
  if (p === 'darwin' || p === 'mac' || p === 'macos' || p === 'osx') return 'mac';
  if (p === 'win32' || p === 'windows' || p === 'cygwin') return 'windows';
  if (p === 'linux' || p === 'freebsd' || p === 'openbsd' || p === 'netbsd' || p === 'sunos' || p === 'aix') return 'linux';
  if (p === 'android') return 'android';
  if (p === 'ios' || p === 'ipados') return 'ios';
  return 'other';
}

const PLATFORM_NAMES: Record<string, string> = {
  darwin: 'macOS',
  win32: 'Windows',
  linux: 'Linux',
  freebsd: 'FreeBSD',
  openbsd: 'OpenBSD',
  netbsd: 'NetBSD',
  sunos: 'Solaris',
  aix: 'AIX',
  android: 'Android',
  ios: 'iOS',
};

export function platformName(platform: string | null | undefined): string | null {
  if (!platform) return null;
  return PLATFORM_NAMES[platform.toLowerCase()] ?? platform;
}

/** Where a send goes: the first address with the port. */
export function peerAddress(p: Pick<PeerView, 'addresses' | 'port'>): string | null {
  const first = p.addresses[0];
  return first ? formatAddress(first, p.port) : null;
}

export function peerStatus(p: Pick<PeerView, 'online' | 'source'>): string {
  if (p.online) return 'Online';
  return p.source === 'manual' ? 'Not reachable' : 'Offline';
}

/**
 * Checks what the user typed in "Add a device" before sending it, with a hint instead of a
 * bare "invalid" (the engine checks again: this only saves a round trip).
 */
export function checkHostPort(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  if (value === '') return { ok: false, message: 'Type the other computer’s address, like 192.168.1.20 (add :PORT if it is not 33779).' };
  // An address alone means Ferry's default port, as it does for `ferry send --to`.
  const address = parseAddress(value);
  if (address) return { ok: true, value: formatHostPort(address) };
  const port = /:(\d+)$/.exec(value);
  if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) return { ok: false, message: 'The port is a number from 1 to 65535.' };
  return { ok: false, message: 'Use HOST:PORT (like 192.168.1.20:33779), or [address]:PORT for IPv6.' };
}
