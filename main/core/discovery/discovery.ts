// The discovery service: announces this device over UDP multicast (and subnet broadcast, for
// networks that drop multicast) on every usable IPv4 interface, answers queries, and keeps
// the peer table of who else does. It explains itself through snapshot(), in data form.
// It never connects to anyone: an announcement is a hint for the user, not an identity.

import type * as dgram from 'node:dgram';
import * as os from 'node:os';
import { PROTOCOL_VERSION } from '../protocol/limits.js';
import { APP_VERSION } from '../version.js';
import {
  ANNOUNCE_INTERVAL_MS,
  ANSWER_JITTER_MS,
  decodeDatagram,
  DISCOVERY_GROUP,
  DISCOVERY_PORT,
  DISCOVERY_VERSION,
  encodeDatagram,
  EXPIRY_INTERVALS,
  MAX_DATAGRAM_BYTES,
  MIN_ANSWER_GAP_MS,
  STARTUP_REPEAT_MS,
  type Datagram,
} from './codec.js';
import {
  interfaceFor,
  selectInterfaces,
  type InterfaceChoice,
  type InterfaceTable,
  type NetInterface,
  type SkippedInterface,
} from './interfaces.js';
import { PeerTable, type DiscoveryEvent, type Peer } from './peer-table.js';
import type { DiscoverySnapshot, DropReason, Problem } from '../contract/discovery-status.js';
import { bindListener, closeSocket, dropStaleLinks, InterfaceLink } from './links.js';
import { DEFAULT_INTAKE_LIMITS, IntakeLimiter, systemClock, type Clock, type IntakeLimits } from './rate-limit.js';

export type { DiscoverySnapshot, DropReason, InterfaceStatus, Problem, SendStatus } from '../contract/discovery-status.js';

export interface DiscoveryOptions {
  identity: { deviceId: string; deviceName: string };
  /** TCP port of our receiver: given, we announce it; omitted, we only listen and query. */
  port?: number;
  /** UDP port (default DISCOVERY_PORT); tests pick their own so runs never hear each other. */
  discoveryPort?: number;
  group?: string;
  intervalMs?: number;
  interfaces?: InterfaceChoice;
  /** Send to the multicast group (default true). */
  multicast?: boolean;
  /** Also send to each interface's subnet broadcast address (default true). */
  broadcast?: boolean;
  limits?: IntakeLimits;
  maxPeers?: number;
  maxAddresses?: number;
  clock?: Clock;
  /** In [0, 1): the jitter of answers. */
  random?: () => number;
  networkInterfaces?: () => InterfaceTable;
  onEvent?: (e: DiscoveryEvent) => void;
  platform?: string;
  appVersion?: string;
}

export class Discovery {
  private readonly table: PeerTable;
  private readonly limiter: IntakeLimiter;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly group: string;
  private readonly discoveryPort: number;
  private readonly intervalMs: number;
  private rx: dgram.Socket | null = null;
  private listenError: Problem | null = null;
  private readonly links = new Map<string, InterfaceLink>();
  private skipped: SkippedInterface[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private answerTimer: NodeJS.Timeout | null = null;
  private lastAnswerAt = -Infinity;
  private running = false;
  private stopping: Promise<void> | null = null;
  private readonly received = { datagrams: 0, announces: 0, queries: 0, goodbyes: 0, own: 0 };
  private readonly dropped: Record<DropReason, number> = {
    oversized: 0,
    malformed: 0,
    version: 0,
    'unknown-kind': 0,
    'rate-limited': 0,
    'table-full': 0,
  };
  private answers = 0;

  constructor(private readonly options: DiscoveryOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.group = options.group ?? DISCOVERY_GROUP;
    this.discoveryPort = options.discoveryPort ?? DISCOVERY_PORT;
    // Below 50 ms a misconfiguration would flood the network ourselves.
    this.intervalMs = Math.max(50, options.intervalMs ?? ANNOUNCE_INTERVAL_MS);
    this.limiter = new IntakeLimiter(options.limits ?? DEFAULT_INTAKE_LIMITS, this.clock);
    this.table = new PeerTable({
      selfId: options.identity.deviceId,
      expiryMs: EXPIRY_INTERVALS * this.intervalMs,
      evictAfterMs: this.intervalMs,
      maxPeers: options.maxPeers,
      maxAddresses: options.maxAddresses,
      clock: this.clock,
      onEvent: options.onEvent,
    });
  }

  get announcing(): boolean {
    return this.options.port !== undefined;
  }

  /**
   * Binds the shared UDP port, joins the group on every chosen interface, and says hello:
   * an announce (when we have a port to announce) and a query, so everyone answers now
   * rather than at their next interval. Failures are recorded in snapshot(), never thrown:
   * discovery that half works is better than a receiver that does not start.
   */
  async start(): Promise<void> {
    if (this.running || this.stopping) return;
    this.running = true;
    await this.bindListener();
    await this.refreshInterfaces();
    if (!this.running) return;
    if (this.announcing) void this.announce();
    void this.query();
    // A first datagram is the likeliest to be lost (switch ports and IGMP snooping settling).
    if (this.intervalMs > STARTUP_REPEAT_MS) {
      this.after(STARTUP_REPEAT_MS, () => void (this.announcing ? this.announce() : this.query()));
    }
    this.scheduleTick();
    const sweepEvery = Math.min(1_000, this.intervalMs / 2);
    const sweep = setInterval(() => this.table.sweep(), sweepEvery);
    sweep.unref();
    this.timers.add(sweep);
  }

  /** Says goodbye (when announcing and asked to), closes every socket and forgets all peers. */
  stop(opts: { goodbye?: boolean } = {}): Promise<void> {
    if (!this.running) return this.stopping ?? Promise.resolve();
    this.running = false;
    this.stopping = (async () => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      if (this.answerTimer) clearTimeout(this.answerTimer);
      this.answerTimer = null;
      if (this.announcing && opts.goodbye !== false) {
        const bye = this.sendAll(this.datagram('goodbye'));
        await Promise.race([bye, new Promise((r) => setTimeout(r, 500).unref())]);
      }
      await Promise.all([...this.links.values()].map((l) => l.close()));
      this.links.clear();
      if (this.rx) await closeSocket(this.rx);
      this.rx = null;
      this.table.clear('stopped');
    })();
    return this.stopping;
  }

  peers(): Peer[] {
    return this.table.list();
  }

  /** The address to reach a peer at: one on a network we are on, most recently heard first. */
  addressFor(peer: Peer): string | undefined {
    const ifaces = [...this.links.values()].map((l) => l.iface);
    return (peer.addresses.find((a) => interfaceFor(a.address, ifaces)) ?? peer.addresses[0])?.address;
  }

  /** Asks everyone to announce themselves now. */
  query(): Promise<void> {
    return this.sendAll(this.datagram('query'));
  }

  announce(): Promise<void> {
    if (!this.announcing) return Promise.resolve();
    return this.sendAll(this.datagram('announce'));
  }

  snapshot(): DiscoverySnapshot {
    return structuredClone({
      running: this.running,
      announcing: this.announcing,
      deviceId: this.options.identity.deviceId,
      group: this.group,
      port: this.discoveryPort,
      intervalMs: this.intervalMs,
      listen: { ok: this.rx !== null, error: this.listenError },
      interfaces: [...this.links.values()].map((l) => l.status),
      skipped: this.skipped,
      received: this.received,
      dropped: this.dropped,
      answers: this.answers,
      peers: this.table.size,
    });
  }

  /**
   * Follows interfaces coming and going (Wi-Fi joining, a VPN starting): called on every
   * tick, so a laptop that changes network is announced on the new one within an interval.
   */
  async refreshInterfaces(): Promise<void> {
    if (!this.running) return;
    const table = (this.options.networkInterfaces ?? os.networkInterfaces)();
    const { use, skipped } = selectInterfaces(table, this.options.interfaces);
    this.skipped = skipped;
    await Promise.all(dropStaleLinks(this.links, use).map((iface) => this.openLink(iface).ready));
  }

  private datagram(kind: Datagram['kind']): Buffer {
    const { deviceId, deviceName } = this.options.identity;
    const base = { version: DISCOVERY_VERSION, deviceId };
    if (kind !== 'announce') return encodeDatagram({ kind, ...base });
    return encodeDatagram({
      kind,
      ...base,
      deviceName,
      platform: this.options.platform ?? process.platform,
      appVersion: this.options.appVersion ?? APP_VERSION,
      protocol: PROTOCOL_VERSION,
      port: this.options.port!,
    });
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.running) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private scheduleTick(): void {
    // ±10% so devices started together (a power cut, a classroom) drift apart.
    this.after(this.intervalMs * (0.9 + 0.2 * this.random()), () => {
      void this.refreshInterfaces().then(() => (this.running ? this.announce() : undefined));
      this.scheduleTick();
    });
  }

  private async bindListener(): Promise<void> {
    const rx = await bindListener(
      this.discoveryPort,
      (msg, rinfo) => this.onDatagram(msg, rinfo),
      (p) => (this.listenError = p),
    );
    if (rx && !this.running) await closeSocket(rx);
    else this.rx = rx;
  }

  private openLink(iface: NetInterface): InterfaceLink {
    const link = new InterfaceLink(iface, this.rx, {
      group: this.group,
      port: this.discoveryPort,
      multicast: this.options.multicast !== false,
      broadcast: this.options.broadcast !== false,
    });
    this.links.set(iface.name, link);
    return link;
  }

  private async sendAll(bytes: Buffer): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.send(bytes)));
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.received.datagrams++;
    // Cheap checks first: a flood must cost a comparison and a counter, not a JSON parse.
    if (msg.length > MAX_DATAGRAM_BYTES) {
      this.dropped.oversized++;
      return;
    }
    if (!this.limiter.allow(`${rinfo.address}:${rinfo.port}`)) {
      this.dropped['rate-limited']++;
      return;
    }
    const decoded = decodeDatagram(msg);
    if (!decoded.ok) {
      this.dropped[decoded.reason]++;
      return;
    }
    const d = decoded.datagram;
    if (d.deviceId === this.options.identity.deviceId) {
      this.received.own++;
      return;
    }
    for (const link of this.links.values()) {
      if (interfaceFor(rinfo.address, [link.iface])) {
        link.status.heard++;
        break;
      }
    }
    switch (d.kind) {
      case 'announce':
        this.received.announces++;
        if (this.table.observe(d, rinfo.address) === 'full') this.dropped['table-full']++;
        break;
      case 'query':
        this.received.queries++;
        this.answerQuery();
        break;
      case 'goodbye':
        this.received.goodbyes++;
        this.table.remove(d.deviceId, 'goodbye');
        break;
    }
  }

  /**
   * Answers by multicast, not unicast: every instance on a machine shares the port, and only
   * one of them would get a unicast reply. Jittered so a network does not answer in one burst,
   * and at most once per MIN_ANSWER_GAP_MS however many queries arrive.
   */
  private answerQuery(): void {
    if (!this.announcing || this.answerTimer || !this.running) return;
    const now = this.clock.now();
    const wait = Math.max(this.random() * ANSWER_JITTER_MS, this.lastAnswerAt + MIN_ANSWER_GAP_MS - now);
    this.answerTimer = setTimeout(() => {
      this.answerTimer = null;
      if (!this.running) return;
      this.lastAnswerAt = this.clock.now();
      this.answers++;
      void this.announce();
    }, wait);
    this.answerTimer.unref();
  }
}
