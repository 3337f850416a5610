// The discovery datagram: what an announce, query or goodbye looks like on the wire, every
// number that bounds it, and decodeDatagram, the one gate between a UDP payload and the peer
// table. docs/PROTOCOL.md §18 quotes these constants.

import { MAX_NAME_CHARS } from '../protocol/limits.js';
import { cleanDeviceName } from '../protocol/wire-path.js';

/** Version of the datagram format (not of the transfer protocol, which `protocol` carries). */
export const DISCOVERY_VERSION = '1.0';
export const DISCOVERY_MAJOR = 1;

/**
 * In the link-local block (224.0.0.0/24): routers never forward it, and phones, Wi-Fi access
 * points and IGMP-snooping switches pass it without any membership report. IANA lists
 * 224.0.0.69–224.0.0.100 as unassigned; LocalSend squats on 224.0.0.167, so not that.
 */
export const DISCOVERY_GROUP = '224.0.0.93';
/** UDP; the same number as the default TCP transfer port, so one firewall rule names both. */
export const DISCOVERY_PORT = 33779;

/** Largest datagram we read. Ours stay well under 1 KiB; more is a stranger's or a newer peer's. */
export const MAX_DATAGRAM_BYTES = 2048;
export const MAX_PLATFORM_CHARS = 32;
export const MAX_APP_VERSION_CHARS = 32;

/** How often a device that receives files announces itself. */
export const ANNOUNCE_INTERVAL_MS = 5_000;
/** A peer not heard for this many intervals is gone (one or two lost datagrams are not). */
export const EXPIRY_INTERVALS = 3;
/** Answers to a query are spread over this window so a whole network does not answer at once. */
export const ANSWER_JITTER_MS = 500;
/**
 * However many queries arrive, a device answers at most once per this gap. So every answer
 * comes within max(ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS) of a query, which is what someone
 * looking for one name waits before deciding that nobody else has it.
 */
export const MIN_ANSWER_GAP_MS = 500;
/** A newcomer repeats its first announce (or query) once after this, in case it was lost. */
export const STARTUP_REPEAT_MS = 1_000;

export const MAX_PEERS = 256;
export const MAX_ADDRESSES_PER_PEER = 8;

export type DatagramKind = 'announce' | 'query' | 'goodbye';

export interface Announce {
  kind: 'announce';
  version: string;
  deviceId: string;
  deviceName: string;
  platform: string;
  appVersion: string;
  /** The transfer protocol version the device speaks (PROTOCOL_VERSION). */
  protocol: string;
  /** TCP port its receiver listens on. */
  port: number;
}
export interface Query {
  kind: 'query';
  version: string;
  deviceId: string;
}
export interface Goodbye {
  kind: 'goodbye';
  version: string;
  deviceId: string;
}
export type Datagram = Announce | Query | Goodbye;

/** Why a datagram was dropped; the service counts each reason for the troubleshooting view. */
export type { DecodeFailure } from '../contract/discovery-status.js';
import type { DecodeFailure } from '../contract/discovery-status.js';

export type Decoded = { ok: true; datagram: Datagram } | { ok: false; reason: DecodeFailure };

const HEX64 = /^[0-9a-f]{64}$/;
const VERSION = /^([0-9]{1,4})\.[0-9]{1,4}$/;
const PLATFORM = /^[A-Za-z0-9._-]+$/;
const APP_VERSION = /^[A-Za-z0-9.+_-]+$/;

export function encodeDatagram(d: Datagram): Buffer {
  const base = { ferry: d.version, kind: d.kind, id: d.deviceId };
  const wire =
    d.kind === 'announce'
      ? { ...base, name: d.deviceName, platform: d.platform, app: d.appVersion, protocol: d.protocol, port: d.port }
      : base;
  return Buffer.from(JSON.stringify(wire), 'utf8');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Never throws: a datagram is whatever anyone on the network sent to the port, and a bad one
 * is dropped and counted, not reported. Unknown fields are ignored (minor versions add them).
 */
export function decodeDatagram(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_DATAGRAM_BYTES) return { ok: false, reason: 'oversized' };
  let o: unknown;
  try {
    o = JSON.parse(utf8.decode(bytes));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { ok: false, reason: 'malformed' };
  const r = o as Record<string, unknown>;
  // The version comes first: a newer major may have changed every other field.
  const version = r.ferry;
  const m = typeof version === 'string' ? VERSION.exec(version) : null;
  if (!m || typeof version !== 'string') return { ok: false, reason: 'malformed' };
  if (Number(m[1]) !== DISCOVERY_MAJOR) return { ok: false, reason: 'version' };
  const kind = r.kind;
  if (typeof kind !== 'string') return { ok: false, reason: 'malformed' };
  if (kind !== 'announce' && kind !== 'query' && kind !== 'goodbye') return { ok: false, reason: 'unknown-kind' };
  const deviceId = r.id;
  if (typeof deviceId !== 'string' || !HEX64.test(deviceId)) return { ok: false, reason: 'malformed' };
  if (kind !== 'announce') return { ok: true, datagram: { kind, version, deviceId } };

  const { name, platform, app, protocol, port } = r;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_CHARS) return { ok: false, reason: 'malformed' };
  if (!shortToken(platform, MAX_PLATFORM_CHARS, PLATFORM)) return { ok: false, reason: 'malformed' };
  if (!shortToken(app, MAX_APP_VERSION_CHARS, APP_VERSION)) return { ok: false, reason: 'malformed' };
  if (typeof protocol !== 'string' || !VERSION.test(protocol)) return { ok: false, reason: 'malformed' };
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    datagram: {
      kind,
      version,
      deviceId,
      // Names reach terminals and the UI: strip controls and bidi overrides once, here.
      deviceName: cleanDeviceName(name),
      platform,
      appVersion: app,
      protocol,
      port,
    },
  };
}

function shortToken(v: unknown, max: number, pattern: RegExp): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max && pattern.test(v);
}
