// The devices a UI lists: those Ferry's discovery hears, the LocalSend apps LocalSend's
// discovery hears, and those the user added by address (probed now and then to learn who
// answers there), merged into one list of PeerViews, and the way from a list entry back to an
// address to send to.

import type { PeerProtocol, PeerView } from '../contract/index.js';
import type { Discovery, DiscoveryOptions, DiscoverySnapshot } from '../discovery/discovery.js';
import { ManualPeers, type ManualPeer, type Probe } from '../discovery/manual-peers.js';
import { FerryError } from '../errors.js';
import { formatPeerAddress } from '../contract/host-port.js';
import {
  createLocalSendDiscovery,
  FERRY_DEVICE_MODEL,
  type LocalSendDiscovery,
  type LocalSendDiscoveryOptions,
  type RegisteredDevice,
} from '../localsend/transport.js';
import type { LocalIdentity } from '../security/identity.js';
import { verificationCode } from '../security/verification-code.js';
import type { TrustView } from '../store/trust-store.js';

const MANUAL_PREFIX = 'manual:';
/** LocalSend devices are keyed apart from Ferry's: one computer may run both, and is listed once per protocol. */
const LOCALSEND_PREFIX = 'localsend:';

export type LocalSendDiscoverySettings = Pick<LocalSendDiscoveryOptions, 'port' | 'interfaces'>;

export interface SendTarget {
  /** Which transport reaches it (default Ferry's own). */
  protocol?: PeerProtocol;
  host: string;
  port: number;
  /** The device meant: anyone else answering there is refused. */
  expectDeviceId?: string;
  /** For the queue, until the receiver introduces itself. */
  name: string;
}

export interface PeerDirectoryOptions {
  configDir: string;
  identity: LocalIdentity;
  trust: TrustView;
  probe: Probe;
  /** Called whenever the list may have changed. */
  changed(): void;
}

export class PeerDirectory {
  private discovery: Discovery | null = null;
  private localsend: LocalSendDiscovery | null = null;
  private readonly manual: ManualPeers;
  private manualList: ManualPeer[] = [];
  private stopped = false;
  /** The probe round in progress (lookFor without a condition waits for it). */
  private probing: Promise<void> = Promise.resolve();
  /** Called on every change, besides options.changed: lookFor's waits. */
  private readonly watchers = new Set<() => void>();

  constructor(private readonly options: PeerDirectoryOptions) {
    this.manual = new ManualPeers({ configDir: options.configDir, probe: options.probe, onEvent: () => this.refreshManual() });
  }

  async load(add: readonly string[]): Promise<void> {
    this.manualList = await this.manual.load();
    for (const p of add) await this.manual.add(p);
    this.manualList = this.manual.list();
  }

  /** (Re)starts discovery: announcing `port` when given, else only listening and asking. */
  async startDiscovery(options: Omit<DiscoveryOptions, 'identity' | 'onEvent' | 'port'>, port: number | undefined): Promise<void> {
    await this.discovery?.stop();
    // Loaded when first started: hosts that never discover (`ferry send --to HOST:PORT`) skip it.
    const { Discovery } = await import('../discovery/discovery.js');
    this.discovery = new Discovery({
      identity: this.options.identity,
      ...(port !== undefined ? { port } : {}),
      ...options,
      onEvent: () => this.changed(),
    });
    await this.discovery.start();
  }

  /**
   * (Re)starts LocalSend's discovery: announcing and registering with devices when `serverPort`
   * (our LocalSend server) is given and we are visible, else only listening.
   */
  async startLocalSendDiscovery(options: LocalSendDiscoverySettings, serverPort: number | undefined, visible: boolean): Promise<void> {
    await this.stopLocalSendDiscovery();
    const d = await createLocalSendDiscovery({
      identity: this.options.identity,
      ...(serverPort !== undefined ? { serverPort } : {}),
      visible,
      ...options,
    });
    d.onChange(() => this.changed());
    this.localsend = d;
    await d.start();
  }

  async stopLocalSendDiscovery(): Promise<void> {
    const d = this.localsend;
    this.localsend = null;
    await d?.stop();
    this.changed();
  }

  /** A LocalSend device registered with our server: listed (never trusted for that). */
  registered(d: RegisteredDevice): void {
    this.localsend?.addRegistration(d.info, { address: d.address, verified: d.verified });
  }

  /** A rename: LocalSend's next announcement and register carry it (Ferry's discovery reads the identity). */
  renamed(name: string): void {
    this.localsend?.setAlias(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.watchers]) wake();
    await this.discovery?.stop();
    await this.localsend?.stop();
  }

  snapshot(): DiscoverySnapshot | null {
    return this.discovery?.snapshot() ?? null;
  }

  async addManual(hostPort: string): Promise<void> {
    await this.manual.add(hostPort);
    this.manualList = this.manual.list();
    void this.probeManual();
  }

  async removeManual(hostPort: string): Promise<void> {
    if (!(await this.manual.remove(hostPort))) throw new FerryError('NOT_FOUND', `no manual peer ${hostPort}`);
    this.manualList = this.manual.list();
  }

  probeManual(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.probing = (async () => {
      this.manualList = await this.manual.probeAll().catch(() => this.manual.list());
      this.changed();
    })();
    return this.probing;
  }

  /**
   * The list once `until` holds, or when timeoutMs is up: for hosts that look once (`ferry
   * peers`, `ferry send --to NAME`) instead of watching the state. `until` is asked on every
   * change and every 100 ms (it may depend on time too). Without it, the whole time, and then
   * the manual peers' probe round, so that each says whether it answered. An abort ends the
   * wait early, with the list as it stands.
   */
  async lookFor(timeoutMs: number, until?: (peers: PeerView[]) => boolean, signal?: AbortSignal): Promise<PeerView[]> {
    const deadline = Date.now() + timeoutMs;
    const onAbort = (): void => {
      for (const wake of [...this.watchers]) wake();
    };
    signal?.addEventListener('abort', onAbort);
    try {
      while (!this.stopped && !signal?.aborted && Date.now() < deadline && !until?.(this.views())) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            clearTimeout(timer);
            this.watchers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, Math.max(0, until ? Math.min(deadline - Date.now(), 100) : deadline - Date.now()));
          this.watchers.add(wake);
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (!until && !signal?.aborted) await this.probing;
    return this.views();
  }

  private refreshManual(): void {
    this.manualList = this.manual.list();
    this.changed();
  }

  private changed(): void {
    this.options.changed();
    for (const wake of [...this.watchers]) wake();
  }

  /** Where to send to for a list entry's key. */
  target(peerKey: string): SendTarget {
    const peer = this.views().find((p) => p.key === peerKey);
    if (!peer) throw new FerryError('CONNECT_FAILED', 'that device is no longer on the network');
    const host = peer.addresses[0];
    if (!host) throw new FerryError('CONNECT_FAILED', `no address known for ${peer.name}`);
    return { protocol: peer.protocol, host, port: peer.port, name: peer.name, ...(peer.id ? { expectDeviceId: peer.id } : {}) };
  }

  /** The key of the entry that a target came from (for Retry), if it is still listed. */
  keyOf(target: SendTarget): string | null {
    const protocol = target.protocol ?? 'ferry';
    return this.views().find((p) => p.protocol === protocol && p.addresses[0] === target.host && p.port === target.port)?.key ?? null;
  }

  views(): PeerView[] {
    const out: PeerView[] = [];
    const discovery = this.discovery;
    const trust = this.options.trust;
    const ownId = this.options.identity.deviceId;
    for (const p of discovery?.peers() ?? []) {
      const best = discovery!.addressFor(p);
      const addresses = [...new Set([best, ...p.addresses.map((a) => a.address)].filter((a): a is string => !!a))];
      out.push({
        key: p.id,
        protocol: 'ferry',
        id: p.id,
        name: p.name,
        platform: p.platform,
        addresses,
        port: p.port,
        source: 'discovered',
        appVersion: p.appVersion,
        protocolVersion: p.protocol,
        online: true,
        trusted: trust.isTrusted(p.id),
        verificationCode: verificationCode(p.id, ownId),
        manual: null,
        deviceType: null,
      });
    }
    const ferryIds = new Set(out.map((p) => p.id));
    for (const p of this.localsend?.peers() ?? []) {
      const fp = p.fingerprint.toLowerCase();
      // Plain-HTTP LocalSend devices have no certificate to pin, and Ferry speaks HTTPS only.
      if (p.protocol !== 'https' || fp === ownId) continue;
      // Another Ferry speaks LocalSend too, for phones; its own protocol (with resume) is the
      // way to it, and Ferry's discovery lists it. Hiding is for display only: a LocalSend app
      // that calls itself Ferry hides itself, and gains nothing.
      if (ferryIds.has(fp) || p.deviceModel === FERRY_DEVICE_MODEL) continue;
      out.push({
        key: LOCALSEND_PREFIX + fp,
        protocol: 'localsend',
        // Every connection to it is pinned to this fingerprint, so the id is as good as a Ferry device's.
        id: fp,
        name: p.alias,
        platform: p.deviceModel ?? p.deviceType,
        addresses: [p.address],
        port: p.port,
        source: 'discovered',
        appVersion: null,
        protocolVersion: p.version,
        online: true,
        trusted: trust.isTrusted(fp),
        // LocalSend apps show no code to compare.
        verificationCode: null,
        manual: null,
        deviceType: p.deviceType,
      });
    }
    for (const m of this.manualList) {
      const address = formatPeerAddress(m);
      const localsend = m.protocol === 'localsend';
      const same = m.deviceId ? out.find((p) => p.id === m.deviceId && p.protocol === m.protocol) : undefined;
      if (same) {
        same.manual = address;
        continue;
      }
      out.push({
        key: m.deviceId ? (localsend ? LOCALSEND_PREFIX : '') + m.deviceId : `${MANUAL_PREFIX}${address}`,
        protocol: m.protocol,
        id: m.deviceId,
        name: m.deviceName ?? address,
        platform: m.platform,
        addresses: [m.host],
        port: m.port,
        source: 'manual',
        appVersion: null,
        protocolVersion: null,
        online: m.state === 'reachable',
        trusted: m.deviceId ? trust.isTrusted(m.deviceId) : false,
        verificationCode: m.deviceId && !localsend ? verificationCode(m.deviceId, ownId) : null,
        manual: address,
        deviceType: null,
      });
    }
    return out.sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  }
}
