// Peers the user typed in as HOST:PORT, for networks where neither multicast nor broadcast
// passes (guest Wi-Fi with client isolation, VPNs, routed subnets). Kept in peers.json in
// the config directory; each shows whether it answered the last probe. The probe is injected:
// the transfer layer knows how to say hello, this module only knows when to ask.

import * as net from 'node:net';
import { FerryError } from '../errors.js';
import { parsePeerAddress, type PeerAddress } from '../contract/host-port.js';
import { hostPortKey as key, MAX_MANUAL_PEERS, readManualPeerList, writeManualPeerList } from '../store/manual-peers-file.js';
import { systemClock, type Clock } from './rate-limit.js';

export const PROBE_TIMEOUT_MS = 3_000;

/** What a probe learned; a bare TCP probe learns only that something listens (all null). */
export interface ProbeResult {
  deviceId: string | null;
  deviceName: string | null;
  platform: string | null;
}

/** Resolves null when nothing (or nothing that speaks the protocol) answers; must honour signal. */
export type Probe = (host: string, port: number, signal: AbortSignal, protocol?: PeerAddress['protocol']) => Promise<ProbeResult | null>;

export interface ManualPeer extends PeerAddress, ProbeResult {
  state: 'unknown' | 'reachable' | 'unreachable';
  checkedAt: number | null;
}

export type ManualPeerEvent = { event: 'manual-peer-updated'; peer: ManualPeer } | { event: 'manual-peer-removed'; peer: ManualPeer };

export interface ManualPeersOptions {
  configDir: string;
  probe?: Probe;
  probeTimeoutMs?: number;
  clock?: Clock;
  onEvent?: (e: ManualPeerEvent) => void;
}

/** Something accepts TCP connections there; who it is, only a protocol hello can tell. */
export const tcpProbe: Probe = (host, port, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(null);
    const socket = net.connect({ host, port });
    const done = (result: ProbeResult | null): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => done(null);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done({ deviceId: null, deviceName: null, platform: null }));
    socket.once('error', () => done(null));
  });

export class ManualPeers {
  private peers: ManualPeer[] = [];
  private loaded = false;
  private writing: Promise<void> = Promise.resolve();
  private readonly prober: Probe;
  private readonly clock: Clock;
  private readonly emit: (e: ManualPeerEvent) => void;

  constructor(private readonly options: ManualPeersOptions) {
    this.prober = options.probe ?? tcpProbe;
    this.clock = options.clock ?? systemClock;
    this.emit = options.onEvent ?? (() => {});
  }

  /** Reads peers.json (absent means none). Entries that do not parse are left out. */
  async load(): Promise<ManualPeer[]> {
    this.peers = (await readManualPeerList(this.options.configDir)).map(fresh);
    this.loaded = true;
    return this.list();
  }

  list(): ManualPeer[] {
    return this.peers.map((p) => ({ ...p }));
  }

  /** Adds HOST:PORT or localsend://HOST:PORT, kept at once; `unknown` until probed. Adding one twice keeps one. */
  async add(target: string): Promise<ManualPeer> {
    const hp = parsePeerAddress(target);
    if (!hp)
      throw new FerryError(
        'BAD_MESSAGE',
        `a manual peer is an address, or HOST:PORT ([v6addr]:port for IPv6), or localsend://HOST:PORT for a LocalSend app, not ${JSON.stringify(target)}`,
      );
    if (!this.loaded) await this.load();
    if (!this.peers.some((p) => key(p) === key(hp))) {
      if (this.peers.length >= MAX_MANUAL_PEERS) throw new FerryError('LIMIT_EXCEEDED', `at most ${MAX_MANUAL_PEERS} manual peers`);
      const peer = fresh(hp);
      this.peers.push(peer);
      await this.save();
      this.emit({ event: 'manual-peer-updated', peer: { ...peer } });
    }
    return { ...this.peers.find((p) => key(p) === key(hp))! };
  }

  async remove(target: string): Promise<boolean> {
    const hp = parsePeerAddress(target);
    if (!hp) return false;
    if (!this.loaded) await this.load();
    const i = this.peers.findIndex((p) => key(p) === key(hp));
    if (i < 0) return false;
    const [gone] = this.peers.splice(i, 1);
    await this.save();
    this.emit({ event: 'manual-peer-removed', peer: { ...gone! } });
    return true;
  }

  /** Probes every manual peer at once; each gets at most probeTimeoutMs. */
  async probeAll(signal?: AbortSignal): Promise<ManualPeer[]> {
    if (!this.loaded) await this.load();
    await Promise.all(this.peers.map((p) => this.probe(p, signal)));
    return this.list();
  }

  /** Probes one peer (a manual one or not) and records the result if it is a manual peer. */
  async probe(hp: PeerAddress, outer?: AbortSignal): Promise<ManualPeer> {
    // A timer of our own, not AbortSignal.timeout(): that one does not keep the process
    // alive, and a probe in flight should.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.probeTimeoutMs ?? PROBE_TIMEOUT_MS);
    const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
    let result: ProbeResult | null;
    try {
      result = await this.prober(hp.host, hp.port, signal, hp.protocol);
    } catch {
      result = null; // a probe that throws found nothing it could vouch for
    } finally {
      clearTimeout(timer);
    }
    const peer = this.peers.find((p) => key(p) === key(hp));
    if (!peer) return { ...fresh(hp), state: result ? 'reachable' : 'unreachable', checkedAt: this.clock.now() };
    Object.assign(peer, result ?? { deviceId: null, deviceName: null, platform: null }, {
      state: result ? 'reachable' : 'unreachable',
      checkedAt: this.clock.now(),
    });
    this.emit({ event: 'manual-peer-updated', peer: { ...peer } });
    return { ...peer };
  }

  private save(): Promise<void> {
    const list = this.peers.map(({ host, port, protocol }) => ({ host, port, protocol }));
    // One write at a time, each of the latest list: the file never goes back in time.
    this.writing = this.writing.catch(() => {}).then(() => writeManualPeerList(this.options.configDir, list));
    return this.writing;
  }
}

function fresh(hp: PeerAddress): ManualPeer {
  return {
    host: hp.host,
    port: hp.port,
    protocol: hp.protocol,
    deviceId: null,
    deviceName: null,
    platform: null,
    state: 'unknown',
    checkedAt: null,
  };
}
