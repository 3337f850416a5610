// LocalSend's multicast discovery (../shared/LOCALSEND.md): announces Ferry on 224.0.0.167:53317
// so that LocalSend apps list it, answers their announcements by registering with them over
// pinned HTTPS (or, failing that, with a UDP answer, as 1.17 does), and keeps the table of the
// LocalSend devices heard of. The sockets, interfaces and intake limits are Ferry's own
// discovery's (discovery/links.ts, interfaces.ts, rate-limit.ts). An announcement is a hint for
// the person choosing a device, never trust: every connection is pinned, nothing is accepted
// because of it.

import type * as dgram from 'node:dgram';
import type { InterfaceChoice, InterfaceTable } from '../discovery/interfaces.js';
import { DEFAULT_INTAKE_LIMITS, IntakeLimiter, systemClock, type Clock, type IntakeLimits } from '../discovery/rate-limit.js';
import type { LocalIdentity } from '../security/identity.js';
import {
  LOCALSEND_PORT,
  MAX_DATAGRAM_BYTES,
  ownAnnounceDatagram,
  parseAnnounceDatagram,
  sameFingerprint,
  type OwnDescription,
} from './announce.js';
import {
  LocalSendPeerTable,
  sightingOfRegistration,
  type LocalSendDiscoveryEvent,
  type LocalSendPeer,
  type Registration,
} from './discovery-peers.js';
import { Answers, type AnswerContext } from './discovery-answers.js';
import { GroupSockets } from './discovery-sockets.js';
import { emptyCounters, type LocalSendDiscoverySnapshot } from './discovery-status.js';

export type { LocalSendDiscoveryEvent, LocalSendPeer, PeerField, PeerRemovedReason, Registration } from './discovery-peers.js';
export type { LocalSendDiscoverySnapshot } from './discovery-status.js';

export { LOCALSEND_PORT } from './announce.js';
export const LOCALSEND_GROUP = '224.0.0.167';
/** LocalSend's burst: sleep this long before each of three sends (so at +0.1, +0.6 and +2.6 s). */
export const ANNOUNCE_BURST_MS: readonly number[] = [100, 500, 2000];
/**
 * LocalSend apps announce only at start and when their user refreshes, so silence means
 * nothing: a device silent this long is asked again (a register), and stays while it answers.
 */
export const CONFIRM_AFTER_MS = 30_000;
/** A device neither heard of nor answering for this long is gone (three unanswered checks). */
export const EXPIRY_MS = 90_000;
export const MAX_PEERS = 256;
/** How often interfaces are looked at again (a laptop joining Wi-Fi, a VPN starting). */
const INTERFACE_REFRESH_MS = 5_000;

export interface LocalSendDiscoveryOptions {
  /** Ferry's identity: its device id is the fingerprint, its certificate the client certificate of every register. */
  identity: Pick<LocalIdentity, 'deviceId' | 'deviceName' | 'tls'>;
  /** TCP port of Ferry's LocalSend server. Without one, discovery only listens: nothing to announce or register. */
  serverPort?: number;
  /** Announce and answer (default true); false: only listen. */
  visible?: boolean;
  /** UDP port and group (defaults LOCALSEND_PORT and LOCALSEND_GROUP); tests pick their own. */
  port?: number;
  group?: string;
  interfaces?: InterfaceChoice;
  limits?: IntakeLimits;
  maxPeers?: number;
  confirmAfterMs?: number;
  expiryMs?: number;
  /** For the register requests; default REGISTER_TIMEOUT_MS. */
  registerTimeoutMs?: number;
  clock?: Clock;
  networkInterfaces?: () => InterfaceTable;
}

export class LocalSendDiscovery {
  private readonly clock: Clock;
  private readonly group: string;
  private readonly port: number;
  private readonly limiter: IntakeLimiter;
  private readonly table: LocalSendPeerTable;
  private readonly answers: Answers;
  private readonly listeners = new Set<(e: LocalSendDiscoveryEvent) => void>();
  private sockets: GroupSockets | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private burstTimers: NodeJS.Timeout[] = [];
  private alias: string;
  private serverPort: number | undefined;
  private visible: boolean;
  private running = false;
  private stopping: Promise<void> | null = null;
  private readonly counters = emptyCounters();
  private readonly sweepEveryMs: number;

  constructor(private readonly options: LocalSendDiscoveryOptions) {
    this.clock = options.clock ?? systemClock;
    this.group = options.group ?? LOCALSEND_GROUP;
    this.port = options.port ?? LOCALSEND_PORT;
    this.alias = options.identity.deviceName;
    this.serverPort = options.serverPort;
    this.visible = options.visible ?? true;
    this.limiter = new IntakeLimiter(options.limits ?? DEFAULT_INTAKE_LIMITS, this.clock);
    const confirmAfterMs = options.confirmAfterMs ?? CONFIRM_AFTER_MS;
    const expiryMs = options.expiryMs ?? EXPIRY_MS;
    // Often enough that neither a check nor an expiry is late by much of its own period.
    this.sweepEveryMs = Math.max(50, Math.min(1_000, confirmAfterMs / 4, expiryMs / 4));
    this.table = new LocalSendPeerTable({
      maxPeers: options.maxPeers ?? MAX_PEERS,
      expiryMs,
      evictAfterMs: confirmAfterMs,
      now: () => this.clock.now(),
      emit: (e) => {
        if (e.event === 'peer-removed') this.answers.forget(e.peer.fingerprint);
        for (const l of this.listeners) l(e);
      },
    });
    const context: AnswerContext = {
      credentials: options.identity.tls,
      self: () => this.self(),
      answering: () => this.answering,
      table: this.table,
      counters: this.counters,
      clock: this.clock,
      reply: (bytes, to) => this.sockets?.sendToward(bytes, to) ?? Promise.resolve(),
    };
    this.answers = new Answers(context, { confirmAfterMs, registerTimeoutMs: options.registerTimeoutMs });
  }

  /** Visible with a server to point to: we announce, answer and register. */
  get answering(): boolean {
    return this.running && this.visible && this.serverPort !== undefined;
  }

  /**
   * Binds the shared UDP port (with address reuse, so a LocalSend app on this computer keeps
   * hearing too), joins the group on every chosen interface, and announces. Failures are
   * recorded in snapshot(), never thrown: the server works without discovery.
   */
  async start(): Promise<void> {
    if (this.stopping) await this.stopping;
    if (this.running) return;
    this.running = true;
    this.answers.start();
    const sockets = new GroupSockets({
      group: this.group,
      port: this.port,
      interfaces: this.options.interfaces,
      networkInterfaces: this.options.networkInterfaces,
      onMessage: (msg, rinfo) => this.onDatagram(msg, rinfo),
    });
    this.sockets = sockets;
    await sockets.listen();
    await sockets.refresh();
    if (!this.running) return;
    this.announceBurst();
    this.every(this.sweepEveryMs, () => {
      this.table.sweep();
      this.answers.confirmSilent();
    });
    this.every(INTERFACE_REFRESH_MS, () => {
      // A network joined after start has not heard us yet.
      void sockets.refresh().then((fresh) => (fresh > 0 ? this.announceBurst() : undefined));
    });
  }

  /** Closes every socket, ends every register in flight and forgets all devices. LocalSend has no goodbye. */
  stop(): Promise<void> {
    if (!this.running) return this.stopping ?? Promise.resolve();
    this.running = false;
    this.stopping = (async () => {
      for (const t of this.timers) clearInterval(t);
      this.timers.clear();
      this.cancelBurst();
      await this.answers.stop();
      await this.sockets?.close();
      this.sockets = null;
      this.table.clear('stopped');
    })().finally(() => (this.stopping = null));
    return this.stopping;
  }

  peers(): LocalSendPeer[] {
    return this.table.list();
  }

  /** Calls listener on every change of the table; returns the unsubscribe. */
  onChange(listener: (e: LocalSendDiscoveryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The visibility setting: turning it on announces at once; off stops announcing and answering. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) this.announceBurst();
    else this.cancelBurst();
  }

  /** A rename: the next announcement and register carry it. */
  setAlias(alias: string): void {
    this.alias = alias;
  }

  /** Where our server listens now (it may have moved off a port taken); undefined: no server. */
  setServerPort(port: number | undefined): void {
    const announceNow = port !== undefined && port !== this.serverPort;
    this.serverPort = port;
    if (announceNow) this.announceBurst();
    else if (port === undefined) this.cancelBurst();
  }

  /** LocalSend's refresh: the burst, which makes every LocalSend app on the network register with us. */
  announceBurst(): void {
    this.cancelBurst();
    if (!this.answering) return;
    let at = 0;
    for (const wait of ANNOUNCE_BURST_MS) {
      at += wait;
      const t = setTimeout(() => {
        this.burstTimers = this.burstTimers.filter((x) => x !== t);
        if (this.answering) void this.sockets?.sendAll(ownAnnounceDatagram(this.self(), true));
      }, at);
      t.unref();
      this.burstTimers.push(t);
    }
  }

  /**
   * Our server received a register (or a prepare-upload's info) from `from.address`.
   * `from.verified`: it came with a client certificate whose fingerprint is info.fingerprint
   * (the server refuses one that is not). Returns the device as listed, or null when it is not
   * listed (ourselves, a fingerprint no https device could have, the table full of live devices).
   */
  addRegistration(info: Registration, from: { address: string; verified: boolean }): LocalSendPeer | null {
    if (!this.running || sameFingerprint(info.fingerprint, this.options.identity.deviceId)) return null;
    const sighting = sightingOfRegistration(info, from);
    if (!sighting) return null;
    if (this.table.see(sighting) === 'full') this.counters.dropped['table-full']++;
    return this.table.get(sighting.fingerprint) ?? null;
  }

  snapshot(): LocalSendDiscoverySnapshot {
    return structuredClone({
      running: this.running,
      visible: this.visible,
      announcing: this.answering,
      fingerprint: this.options.identity.deviceId,
      group: this.group,
      port: this.port,
      serverPort: this.serverPort ?? null,
      ...(this.sockets?.status() ?? { listen: { ok: false, error: null }, interfaces: [], skipped: [] }),
      ...this.counters,
      peers: this.table.size,
    });
  }

  private self(): OwnDescription {
    return { alias: this.alias, fingerprint: this.options.identity.deviceId, port: this.serverPort ?? LOCALSEND_PORT };
  }

  private onDatagram(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const c = this.counters;
    c.received.datagrams++;
    // Cheap checks first: a flood must cost a comparison and a counter, not a JSON parse.
    if (msg.length > MAX_DATAGRAM_BYTES) {
      c.dropped.oversized++;
      return;
    }
    // Per address, not address and port: a LocalSend app sends each burst from new ports.
    if (!this.limiter.allow(rinfo.address)) {
      c.dropped['rate-limited']++;
      return;
    }
    let a;
    try {
      a = parseAnnounceDatagram(msg);
    } catch (err) {
      c.dropped.malformed++;
      c.lastRefused = { address: rinfo.address, message: (err as Error).message };
      return;
    }
    if (sameFingerprint(a.fingerprint, this.options.identity.deviceId)) {
      c.received.own++;
      return;
    }
    this.sockets?.heard(rinfo.address);
    if (a.announce) c.received.announcements++;
    else c.received.answers++;
    const { announce: _, ...rest } = a;
    if (this.table.see({ ...rest, address: rinfo.address, verified: false }) === 'full') {
      c.dropped['table-full']++;
      return;
    }
    // The spec: answer announce:true, never announce:false (two devices would answer each other forever).
    if (a.announce && this.answering) this.answers.answer(a, rinfo.address);
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      if (this.running) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private cancelBurst(): void {
    for (const t of this.burstTimers) clearTimeout(t);
    this.burstTimers = [];
  }
}
