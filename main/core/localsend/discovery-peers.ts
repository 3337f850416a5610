// The LocalSend devices heard of, keyed by fingerprint: from their announcements, from our
// register to them, and from their register to our server. Bounded in size; an entry goes when
// nothing was heard of it for a while. It only records: nothing here touches the network.
//
// What a datagram may change is limited, because anyone can send one with any fingerprint and
// any source address: once a device proved its fingerprint at an address (a TLS handshake, either
// way), a datagram alone cannot move it elsewhere. That is a display concern, not security:
// every connection to a device is pinned to its fingerprint, and no entry is ever trusted.

import { FerryError } from '../errors.js';
import { LOCALSEND_PORT, type DeviceType, type LocalSendProtocol } from './announce.js';

/** A LocalSend device as the app sees it: plain data, a copy the table never mutates. */
export interface LocalSendPeer {
  /** Lower-case hex SHA-256 of its certificate (https), or the opaque token of a plain-HTTP device. */
  fingerprint: string;
  alias: string;
  deviceType: DeviceType;
  deviceModel: string | null;
  /** Its protocol version, "2.1" for 1.15–1.17, "2.2" for 1.18. */
  version: string;
  /** IPv4 address its datagrams or requests came from. */
  address: string;
  /** Its server's TCP port. */
  port: number;
  /** 'http': Ferry cannot talk to it (https-client's pinFor says why). */
  protocol: LocalSendProtocol;
  download: boolean;
  /**
   * The device at this address proved in a TLS handshake that it holds the key of this
   * fingerprint: it answered our register pinned to it, or registered with our server with
   * that client certificate. An announcement alone proves nothing.
   */
  verified: boolean;
  firstSeen: number;
  lastSeen: number;
}

export type PeerField = 'alias' | 'deviceType' | 'deviceModel' | 'version' | 'address' | 'port' | 'protocol' | 'download' | 'verified';
const FIELDS: readonly PeerField[] = [
  'alias',
  'deviceType',
  'deviceModel',
  'version',
  'address',
  'port',
  'protocol',
  'download',
  'verified',
];

export type PeerRemovedReason =
  /** Nothing heard of it (and, if we could ask, no answer) for the expiry time. */
  | 'expired'
  /** The table was full and it was the stalest. */
  | 'evicted'
  /** The device at its address answered with another certificate. */
  | 'identity-mismatch'
  | 'stopped';

export type LocalSendDiscoveryEvent =
  | { event: 'peer-added'; peer: LocalSendPeer }
  | { event: 'peer-updated'; peer: LocalSendPeer; changed: PeerField[] }
  | { event: 'peer-removed'; peer: LocalSendPeer; reason: PeerRemovedReason };

/** What one piece of news says about a device. */
export type Sighting = Omit<LocalSendPeer, 'firstSeen' | 'lastSeen'>;

/** What our server learnt from a register request (upload-messages.ts's LocalSendRegister is one). */
export interface Registration {
  alias: string;
  version: string;
  deviceModel: string | null;
  deviceType: DeviceType;
  fingerprint: string;
  /** Null (not said) reads as LocalSend itself reads it: its defaults, 53317 and https. */
  port: number | null;
  protocol: LocalSendProtocol | null;
  download: boolean;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * A registration as news of a device, or null for one no https device could have sent (a
 * fingerprint that is not a certificate hash). `verified`: it came with a client certificate
 * whose fingerprint is info.fingerprint.
 */
export function sightingOfRegistration(info: Registration, from: { address: string; verified: boolean }): Sighting | null {
  const protocol = info.protocol ?? 'https';
  const hex = HEX64.test(info.fingerprint);
  if (from.verified && !hex) throw new FerryError('INTERNAL', 'a verified registration must carry a certificate fingerprint');
  if (protocol === 'https' && !hex) return null;
  return {
    fingerprint: protocol === 'https' ? info.fingerprint.toLowerCase() : info.fingerprint,
    alias: info.alias,
    deviceType: info.deviceType,
    deviceModel: info.deviceModel,
    version: info.version,
    // A dual-stack server reports IPv4 peers as ::ffff:a.b.c.d; datagrams come from a.b.c.d.
    address: from.address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''),
    port: info.port ?? LOCALSEND_PORT,
    protocol,
    download: info.download,
    verified: from.verified,
  };
}

export type SightingResult = 'added' | 'updated' | 'refreshed' | 'ignored' | 'full';

export interface PeerTableOptions {
  maxPeers: number;
  /** Silence after which an entry goes. */
  expiryMs: number;
  /** When full, the stalest entry makes room for a newcomer only if silent this long (a flood's one-shot fingerprints are not worth evicting a live device for). */
  evictAfterMs: number;
  now: () => number;
  emit: (e: LocalSendDiscoveryEvent) => void;
}

export class LocalSendPeerTable {
  /** Insertion order is kept equal to last-seen order, so the first entry is the stalest. */
  private readonly entries = new Map<string, LocalSendPeer>();

  constructor(private readonly options: PeerTableOptions) {}

  get size(): number {
    return this.entries.size;
  }

  get(fingerprint: string): LocalSendPeer | undefined {
    const e = this.entries.get(fingerprint);
    return e && { ...e };
  }

  /** Most recently heard first. */
  list(): LocalSendPeer[] {
    return [...this.entries.values()].reverse().map((e) => ({ ...e }));
  }

  /** Entries silent for at least ms, stalest first. */
  silentFor(ms: number): LocalSendPeer[] {
    const now = this.options.now();
    const out: LocalSendPeer[] = [];
    for (const e of this.entries.values()) {
      if (now - e.lastSeen < ms) break;
      out.push({ ...e });
    }
    return out;
  }

  see(s: Sighting): SightingResult {
    const now = this.options.now();
    const known = this.entries.get(s.fingerprint);
    if (!known) {
      if (this.entries.size >= this.options.maxPeers && !this.evictStalest(now)) return 'full';
      const e: LocalSendPeer = { ...s, firstSeen: now, lastSeen: now };
      this.entries.set(e.fingerprint, e);
      this.options.emit({ event: 'peer-added', peer: { ...e } });
      return 'added';
    }
    const sameplace = known.address === s.address && known.port === s.port && known.protocol === s.protocol;
    // A proven location stays until proven elsewhere (or it expires).
    if (known.verified && !s.verified && !sameplace) return 'ignored';
    const next: Sighting = { ...s, verified: s.verified || (known.verified && sameplace) };
    const changed = FIELDS.filter((f) => known[f] !== next[f]);
    Object.assign(known, next, { lastSeen: now });
    this.entries.delete(known.fingerprint);
    this.entries.set(known.fingerprint, known);
    if (changed.length === 0) return 'refreshed';
    this.options.emit({ event: 'peer-updated', peer: { ...known }, changed });
    return 'updated';
  }

  /** Removes the entry if it still points at that address and port (news may have moved it meanwhile). */
  removeAt(fingerprint: string, address: string, port: number, reason: PeerRemovedReason): boolean {
    const e = this.entries.get(fingerprint);
    if (!e || e.address !== address || e.port !== port) return false;
    return this.remove(fingerprint, reason);
  }

  remove(fingerprint: string, reason: PeerRemovedReason): boolean {
    const e = this.entries.get(fingerprint);
    if (!e) return false;
    this.entries.delete(fingerprint);
    this.options.emit({ event: 'peer-removed', peer: { ...e }, reason });
    return true;
  }

  /** Drops entries silent for longer than the expiry; call it every second or so. */
  sweep(): void {
    const now = this.options.now();
    for (const e of [...this.entries.values()]) {
      if (now - e.lastSeen <= this.options.expiryMs) break;
      this.remove(e.fingerprint, 'expired');
    }
  }

  clear(reason: PeerRemovedReason): void {
    for (const fingerprint of [...this.entries.keys()]) this.remove(fingerprint, reason);
  }

  private evictStalest(now: number): boolean {
    const first = this.entries.values().next();
    if (first.done || now - first.value.lastSeen < this.options.evictAfterMs) return false;
    this.remove(first.value.fingerprint, 'evicted');
    return true;
  }
}
