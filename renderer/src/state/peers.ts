// Peers as the cards show them: platform, address, the protocol and kind of device, and the
// HOST:PORT (or localsend://HOST:PORT) a user types.

import type { PeerView } from '../contract.js';
// Node-free: the engine's own parser, so the form accepts exactly what addManualPeer does.
import { formatPeerAddress, LOCALSEND_DEFAULT_PORT, LOCALSEND_SCHEME, parsePeerAddress } from '../contract.js';
import { i18n } from '../i18n/setup.js';
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

// Product names: the same in every language.
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
  if (p.online) return i18n.t('peers.status.online');
  return p.source === 'manual' ? i18n.t('peers.status.unreachable') : i18n.t('peers.status.offline');
}

export type DeviceKind = 'phone' | 'computer' | 'browser' | 'headless' | 'server';

/** LocalSend's deviceType as a kind the card can draw and name; null for anything else (and Ferry peers). */
export function deviceKind(deviceType: string | null | undefined): DeviceKind | null {
  switch ((deviceType ?? '').toLowerCase()) {
    case 'mobile':
      return 'phone';
    case 'desktop':
      return 'computer';
    case 'web':
      return 'browser';
    case 'headless':
      return 'headless';
    case 'server':
      return 'server';
    default:
      return null;
  }
}

const KIND_NAMES = {
  phone: 'peers.kind.phone',
  computer: 'peers.kind.computer',
  browser: 'peers.kind.browser',
  headless: 'peers.kind.headless',
  server: 'peers.kind.server',
} as const satisfies Record<DeviceKind, string>;

/** "Phone", "Computer"…: what a LocalSend device says it is; null when it says nothing we know. */
export function deviceKindName(deviceType: string | null | undefined): string | null {
  const kind = deviceKind(deviceType);
  return kind ? i18n.t(KIND_NAMES[kind]) : null;
}

/** The name a card (a group) goes by: a LocalSend entry says so, apart from the same computer's Ferry. */
export function peerLabel(p: Pick<PeerView, 'name' | 'protocol'>): string {
  return p.protocol === 'localsend' ? i18n.t('peers.label', { name: p.name }) : p.name;
}

/**
 * Checks what the user typed in "Add a device" before sending it, with a hint instead of a
 * bare "invalid" (the engine checks again: this only saves a round trip). HOST:PORT is a
 * Ferry device; localsend://HOST:PORT a LocalSend app, on LocalSend's port when none is typed.
 */
export function checkHostPort(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  if (value === '') return { ok: false, message: i18n.t('peers.add.empty') };
  // An address alone means Ferry's default port, as it does for `ferry send --to`; after
  // localsend:// it means LocalSend's.
  const address = parsePeerAddress(value);
  if (address) return { ok: true, value: formatPeerAddress(address) };
  const localsend = value.slice(0, LOCALSEND_SCHEME.length).toLowerCase() === LOCALSEND_SCHEME;
  const rest = localsend ? value.slice(LOCALSEND_SCHEME.length) : value;
  if (localsend && rest.replace(/\/$/, '') === '')
    return { ok: false, message: i18n.t('peers.add.localsendEmpty', { port: LOCALSEND_DEFAULT_PORT }) };
  if (!localsend && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return { ok: false, message: i18n.t('peers.add.otherScheme') };
  const port = /:(\d+)\/?$/.exec(rest);
  if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) return { ok: false, message: i18n.t('peers.add.badPort') };
  if (localsend) return { ok: false, message: i18n.t('peers.add.localsendForm', { port: LOCALSEND_DEFAULT_PORT }) };
  return { ok: false, message: i18n.t('peers.add.form') };
}

/** "Office PC", "Office PC and Anna’s MacBook Pro", "Office PC, Anna’s MacBook Pro and 2 more". */
export function namesOf(peers: ReadonlyArray<Pick<PeerView, 'name'>>): string {
  const names = peers.map((p) => p.name);
  const [a = '', b = '', c = ''] = names;
  if (names.length <= 1) return a;
  if (names.length === 2) return i18n.t('peers.names.two', { a, b });
  if (names.length === 3) return i18n.t('peers.names.three', { a, b, c });
  return i18n.t('peers.names.more', { a, b, n: names.length - 2 });
}
