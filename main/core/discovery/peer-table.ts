// Who is out there: the devices heard announcing, keyed by device id, each with every address
// it was heard from. Bounded in peers and in addresses per peer; entries expire when their
// announcements stop. It only records: nothing here ever connects to a peer.

import { ANNOUNCE_INTERVAL_MS, EXPIRY_INTERVALS, MAX_ADDRESSES_PER_PEER, MAX_PEERS, type Announce } from './codec.js';
import { systemClock, type Clock } from './rate-limit.js';

export interface PeerAddress {
  /** IPv4 source address of the datagrams. */
  address: string;
  lastSeen: number;
}

/** A discovered device as the host sees it: plain data, a copy that the table never mutates. */
export interface Peer {
  id: string;
  name: string;
  platform: string;
  appVersion: string;
  protocol: string;
  /** TCP port of its receiver. */
  port: number;
  /** Most recently heard first. */
  addresses: PeerAddress[];
  firstSeen: number;
  lastSeen: number;
}

export type PeerRemovedReason = 'expired' | 'goodbye' | 'evicted' | 'stopped';

export type PeerField = 'name' | 'platform' | 'appVersion' | 'protocol' | 'port' | 'addresses';
const FIELDS = ['name', 'platform', 'appVersion', 'protocol', 'port'] as const;

export type DiscoveryEvent =
  | { event: 'peer-added'; peer: Peer }
  | { event: 'peer-updated'; peer: Peer; changed: PeerField[] }
  | { event: 'peer-removed'; peer: Peer; reason: PeerRemovedReason };

export type ObserveResult = 'added' | 'updated' | 'refreshed' | 'own' | 'full';

export interface PeerTableOptions {
  /** Our own device id: our announcements come back to us over multicast loopback. */
  selfId: string;
  /** Silence after which a peer (or one of its addresses) is gone. */
  expiryMs?: number;
  /**
   * When the table is full, the least recently heard peer makes room for a newcomer only if it
   * has been silent this long; live peers refresh well within it, one-shot flood ids do not.
   */
  evictAfterMs?: number;
  maxPeers?: number;
  maxAddresses?: number;
  clock?: Clock;
  onEvent?: (e: DiscoveryEvent) => void;
}

/** The table's own record of a peer; hosts only ever get copies of it. */
type Entry = Peer;

export class PeerTable {
  /** Insertion order is kept equal to last-seen order, so the first entry is the stalest. */
  private readonly entries = new Map<string, Entry>();
  private readonly expiryMs: number;
  private readonly evictAfterMs: number;
  private readonly maxPeers: number;
  private readonly maxAddresses: number;
  private readonly clock: Clock;
  private readonly emit: (e: DiscoveryEvent) => void;

  constructor(private readonly options: PeerTableOptions) {
    this.expiryMs = options.expiryMs ?? EXPIRY_INTERVALS * ANNOUNCE_INTERVAL_MS;
    this.evictAfterMs = options.evictAfterMs ?? this.expiryMs / EXPIRY_INTERVALS;
    this.maxPeers = options.maxPeers ?? MAX_PEERS;
    this.maxAddresses = options.maxAddresses ?? MAX_ADDRESSES_PER_PEER;
    this.clock = options.clock ?? systemClock;
    this.emit = options.onEvent ?? (() => {});
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): Peer | undefined {
    const e = this.entries.get(id);
    return e && copy(e);
  }

  /** Most recently heard first. */
  list(): Peer[] {
    return [...this.entries.values()].reverse().map(copy);
  }

  observe(a: Announce, address: string): ObserveResult {
    if (a.deviceId === this.options.selfId) return 'own';
    const now = this.clock.now();
    const known = this.entries.get(a.deviceId);
    if (!known) {
      if (this.entries.size >= this.maxPeers && !this.evictStalest(now)) return 'full';
      const e: Entry = {
        id: a.deviceId,
        name: a.deviceName,
        platform: a.platform,
        appVersion: a.appVersion,
        protocol: a.protocol,
        port: a.port,
        addresses: [{ address, lastSeen: now }],
        firstSeen: now,
        lastSeen: now,
      };
      this.entries.set(e.id, e);
      this.emit({ event: 'peer-added', peer: copy(e) });
      return 'added';
    }
    const incoming = { name: a.deviceName, platform: a.platform, appVersion: a.appVersion, protocol: a.protocol, port: a.port };
    const changed: PeerField[] = [];
    for (const f of FIELDS) {
      if (known[f] !== incoming[f]) changed.push(f);
    }
    Object.assign(known, incoming);
    const i = known.addresses.findIndex((x) => x.address === address);
    if (i >= 0) known.addresses.splice(i, 1);
    else {
      changed.push('addresses');
      if (known.addresses.length >= this.maxAddresses) known.addresses.pop();
    }
    known.addresses.unshift({ address, lastSeen: now });
    known.lastSeen = now;
    this.entries.delete(known.id);
    this.entries.set(known.id, known);
    if (changed.length === 0) return 'refreshed';
    this.emit({ event: 'peer-updated', peer: copy(known), changed });
    return 'updated';
  }

  remove(id: string, reason: PeerRemovedReason): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    this.emit({ event: 'peer-removed', peer: copy(e), reason });
    return true;
  }

  /** Drops peers and addresses silent for longer than the expiry; call it every second or so. */
  sweep(): void {
    const now = this.clock.now();
    for (const e of [...this.entries.values()]) {
      if (now - e.lastSeen > this.expiryMs) {
        this.remove(e.id, 'expired');
        continue;
      }
      const before = e.addresses.length;
      e.addresses = e.addresses.filter((x) => now - x.lastSeen <= this.expiryMs);
      if (e.addresses.length !== before) this.emit({ event: 'peer-updated', peer: copy(e), changed: ['addresses'] });
    }
  }

  clear(reason: PeerRemovedReason): void {
    for (const id of [...this.entries.keys()]) this.remove(id, reason);
  }

  private evictStalest(now: number): boolean {
    const first = this.entries.values().next();
    if (first.done || now - first.value.lastSeen < this.evictAfterMs) return false;
    this.remove(first.value.id, 'evicted');
    return true;
  }
}

function copy(e: Entry): Peer {
  return { ...e, addresses: e.addresses.map((a) => ({ ...a })) };
}
