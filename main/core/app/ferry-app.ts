// The engine as one object for the UI hosts (the Electron main process and `ferry serve`):
// a receiver, discovery, manual peers, trust, settings, history and the transfer queue, with
// the contract's commands in and its events out. Plain Node: no Electron here.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  AcceptPolicy,
  AppState,
  Commands,
  DeviceView,
  FileView,
  HistoryEntry,
  OfferView,
  PeerView,
  Remote,
  SendResultView,
  SettingsView,
  UiEvent,
} from '../contract.js';
import { OFFER_PREVIEW_ENTRIES } from '../contract.js';
import { Discovery, type DiscoveryOptions, type DiscoverySnapshot } from '../discovery/discovery.js';
import { ManualPeers, type ManualPeer } from '../discovery/manual-peers.js';
import { FerryError, toFerryError } from '../errors.js';
import { isDir } from '../protocol/messages.js';
import { generateSecret, loadStoredSecret, storeSecret } from '../security/secret.js';
import { TrustStore } from '../store/trust-store.js';
import { WaitingOffers } from '../security/waiting-offers.js';
import { loadIdentity, saveDeviceName, type LocalIdentity } from '../security/identity.js';
import type { TransferEvent } from '../transfer/events.js';
import { APP_VERSION } from '../version.js';
import { probePeer } from '../transfer/probe.js';
import type { Decision, IncomingOffer } from '../transfer/receiver.js';
import { Receiver } from '../transfer/receiver.js';
import { sendFiles } from '../transfer/sender.js';
import { collectSource } from '../transfer/source.js';
import { History } from '../store/history-store.js';
import { loadSettings, saveSettings, type StoredSettings } from '../store/settings-file.js';
import { checkSettingsPatch } from './settings-patch.js';
import { applyEvent, isFinal, newTransfer, type TrackedTransfer } from './transfers.js';

export interface FerryAppOptions {
  configDir: string;
  /** For this run only (command-line flags): not saved. */
  overrides?: {
    downloadDir?: string;
    port?: number;
    host?: string;
    deviceName?: string;
    acceptPolicy?: AcceptPolicy | 'none';
    announce?: boolean;
  };
  /** HOST:PORT peers to add (and keep) at start. */
  manualPeers?: string[];
  discovery?: Pick<DiscoveryOptions, 'discoveryPort' | 'interfaces' | 'intervalMs'>;
  /** Coalesces state pushes: at most one per this many ms. */
  stateIntervalMs?: number;
  /** How often manual peers are probed. */
  probeIntervalMs?: number;
}

const MANUAL_PREFIX = 'manual:';
const MAX_FINISHED_IN_QUEUE = 50;

export class FerryApp implements Remote<Commands> {
  private identity!: LocalIdentity;
  private settings!: StoredSettings;
  private secret: Buffer | null = null;
  private trust!: TrustStore;
  private history!: History;
  private receiver: Receiver | null = null;
  private receiverError: string | null = null;
  private discovery: Discovery | null = null;
  private manual!: ManualPeers;
  private manualList: ManualPeer[] = [];
  private readonly transfers = new Map<string, TrackedTransfer>();
  private readonly offers = new Map<string, { view: OfferView; answer: (d: Decision) => void }>();
  private readonly waiting = new WaitingOffers();
  private readonly listeners = new Set<(e: UiEvent) => void>();
  private stateTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(private readonly options: FerryAppOptions) {}

  static async start(options: FerryAppOptions): Promise<FerryApp> {
    const app = new FerryApp(options);
    await app.init();
    return app;
  }

  private async init(): Promise<void> {
    const o = this.options.overrides ?? {};
    const dir = this.options.configDir;
    this.identity = await loadIdentity(dir, o.deviceName);
    this.settings = await loadSettings(dir);
    this.secret = await loadStoredSecret(dir);
    this.trust = await TrustStore.load(dir);
    this.history = new History(dir);
    await this.history.load();
    this.manual = new ManualPeers({
      configDir: dir,
      probe: async (host, port, signal) => probePeer(host, port, this.identity, signal),
      onEvent: () => this.refreshManual(),
    });
    this.manualList = await this.manual.load();
    for (const p of this.options.manualPeers ?? []) await this.manual.add(p);
    await this.startReceiver();
    await this.startDiscovery();
    void this.probeManual();
    this.probeTimer = setInterval(() => void this.probeManual(), this.options.probeIntervalMs ?? 20_000);
    this.probeTimer.unref();
  }

  /** Stops receiving and announcing (a goodbye goes out); transfers in progress are cancelled. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    for (const t of this.transfers.values()) t.abort?.abort();
    for (const o of this.offers.values()) o.answer({ accept: false, message: 'the receiver is shutting down' });
    await this.discovery?.stop();
    await this.receiver?.close();
    this.listeners.clear();
  }

  onEvent(listener: (e: UiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- queries ----

  async getState(): Promise<AppState> {
    return this.state();
  }

  async getDiscoveryStatus(): Promise<DiscoverySnapshot | null> {
    return this.discovery?.snapshot() ?? null;
  }

  async getHistory(): Promise<HistoryEntry[]> {
    return this.history.list();
  }

  async getTransferFiles(transferId: string): Promise<FileView[]> {
    const t = this.transfers.get(transferId);
    if (!t) throw new FerryError('BAD_MESSAGE', 'no such transfer');
    return [...t.files.values()].map((f) => ({ ...f }));
  }

  // ---- commands ----

  async sendPaths(peerKey: string, paths: string[]): Promise<SendResultView> {
    const target = this.target(peerKey);
    if (paths.length === 0) throw new FerryError('BAD_MESSAGE', 'nothing to send');
    const id = randomBytes(12).toString('base64url');
    await this.startSend(id, target, paths);
    return { transferId: id };
  }

  async retryTransfer(transferId: string): Promise<SendResultView> {
    const t = this.transfers.get(transferId);
    if (!t || t.view.direction !== 'send' || !t.paths || !t.peerKey) throw new FerryError('BAD_MESSAGE', 'only a finished send can be retried');
    if (!isFinal(t.view.state)) throw new FerryError('BAD_MESSAGE', 'the transfer is still running');
    // The same transfer id and files: the receiver resumes what it already holds.
    await this.startSend(transferId, this.target(t.peerKey), t.paths);
    return { transferId };
  }

  async answerOffer(offerId: string, answer: 'accept' | 'decline' | 'always'): Promise<void> {
    const pending = this.offers.get(offerId);
    if (!pending) throw new FerryError('BAD_MESSAGE', 'this offer is no longer waiting for an answer');
    this.offers.delete(offerId);
    if (answer === 'always') await this.trust.add(pending.view.from.id, pending.view.from.name);
    pending.answer(answer === 'decline' ? { accept: false, message: 'declined by the user' } : { accept: true });
    this.scheduleState();
  }

  async cancelTransfer(transferId: string): Promise<void> {
    const t = this.transfers.get(transferId);
    if (!t || isFinal(t.view.state)) return;
    if (t.view.direction === 'send') t.abort?.abort();
    else {
      const offer = this.offers.get(transferId);
      if (offer) {
        this.offers.delete(transferId);
        offer.answer({ accept: false, message: 'declined by the user' });
      } else this.receiver?.cancelTransfer(transferId);
    }
  }

  async dismissTransfer(transferId: string): Promise<void> {
    const t = this.transfers.get(transferId);
    if (t && isFinal(t.view.state)) this.transfers.delete(transferId);
    this.scheduleState();
  }

  async clearHistory(): Promise<void> {
    await this.history.clear();
  }

  async addManualPeer(hostPort: string): Promise<void> {
    await this.manual.add(hostPort);
    this.manualList = this.manual.list();
    void this.probeManual();
    this.scheduleState();
  }

  async removeManualPeer(hostPort: string): Promise<void> {
    if (!(await this.manual.remove(hostPort))) throw new FerryError('BAD_MESSAGE', `no manual peer ${hostPort}`);
    this.manualList = this.manual.list();
    this.scheduleState();
  }

  async untrustDevice(deviceId: string): Promise<void> {
    await this.trust.remove(deviceId);
    this.scheduleState();
  }

  async updateSettings(patch: Partial<Omit<SettingsView, 'secretEnabled'>>): Promise<SettingsView> {
    const change = checkSettingsPatch(patch as Record<string, unknown>);
    if (change.deviceName !== undefined) {
      const renamed = await saveDeviceName(this.options.configDir, this.identity, change.deviceName);
      // The receiver and discovery hold this object: the new name goes out from now on.
      this.identity.deviceName = renamed.deviceName;
      delete change.deviceName;
    }
    const before = this.settings;
    this.settings = { ...this.settings, ...change };
    await saveSettings(this.options.configDir, this.settings);
    if (before.port !== this.settings.port || before.downloadDir !== this.settings.downloadDir) {
      await this.receiver?.close();
      await this.startReceiver();
      await this.restartDiscovery();
    } else if (before.announce !== this.settings.announce || patch.deviceName !== undefined) {
      await this.restartDiscovery();
    }
    this.scheduleState();
    return this.settingsView();
  }

  async setSecret(secret: string | null): Promise<SettingsView> {
    this.secret = await storeSecret(this.options.configDir, secret);
    this.receiver?.update({ secret: this.secret });
    this.scheduleState();
    return this.settingsView();
  }

  async generateSecret(): Promise<string> {
    return generateSecret();
  }

  /**
   * The absolute path of a file this device received in `transferId` (as savedAs names it),
   * or null: only such files may be opened or shown by a host.
   */
  resolveReceived(transferId: string, savedAs: string): string | null {
    const t = this.transfers.get(transferId);
    if (!t || t.view.direction !== 'receive' || !t.view.folder) return null;
    const file = [...t.files.values()].find((f) => f.savedAs === savedAs && f.state === 'done');
    const rel = file ? savedAs : t.view.state === 'done' && savedAs === '' ? '' : null;
    if (rel === null) return null;
    const full = path.resolve(t.view.folder, ...rel.split('/'));
    const inside = path.relative(t.view.folder, full);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return null;
    return full;
  }

  // ---- internals ----

  private get accept(): AcceptPolicy | 'none' {
    return this.options.overrides?.acceptPolicy ?? this.settings.acceptPolicy;
  }

  private get downloadDir(): string {
    return this.options.overrides?.downloadDir ?? this.settings.downloadDir;
  }

  private get announce(): boolean {
    return this.options.overrides?.announce ?? this.settings.announce;
  }

  private async startReceiver(): Promise<void> {
    const wanted = this.options.overrides?.port ?? this.settings.port;
    const make = (port: number): Receiver =>
      new Receiver({
        dir: this.downloadDir,
        identity: this.identity,
        host: this.options.overrides?.host ?? '0.0.0.0',
        port,
        secret: this.secret,
        trust: this.trust,
        decide: (offer, signal) => this.decide(offer, signal),
        onEvent: (e) => this.onReceiveEvent(e),
      });
    this.receiverError = null;
    this.receiver = make(wanted);
    try {
      await this.receiver.listen();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || wanted === 0) {
        this.receiver = null;
        this.receiverError = `cannot receive: ${toFerryError(err).message}`;
        return;
      }
      // Another program has our port: a free one still works, discovery announces it.
      this.receiver = make(0);
      await this.receiver.listen();
      this.receiverError = `port ${wanted} is in use by another program; receiving on ${this.receiver.port} instead`;
    }
  }

  private async startDiscovery(): Promise<void> {
    const port = this.announce && this.receiver ? this.receiver.port : undefined;
    this.discovery = new Discovery({
      identity: this.identity,
      ...(port !== undefined ? { port } : {}),
      ...this.options.discovery,
      onEvent: () => this.scheduleState(),
    });
    await this.discovery.start();
  }

  private async restartDiscovery(): Promise<void> {
    await this.discovery?.stop();
    await this.startDiscovery();
  }

  private async probeManual(): Promise<void> {
    if (this.stopped) return;
    this.manualList = await this.manual.probeAll().catch(() => this.manual.list());
    this.scheduleState();
  }

  private refreshManual(): void {
    this.manualList = this.manual.list();
    this.scheduleState();
  }

  private target(peerKey: string): { host: string; port: number; expectDeviceId?: string; name: string } {
    const peer = this.peerViews().find((p) => p.key === peerKey);
    if (!peer) throw new FerryError('CONNECT_FAILED', 'that device is no longer on the network');
    const host = peer.addresses[0];
    if (!host) throw new FerryError('CONNECT_FAILED', `no address known for ${peer.name}`);
    return { host, port: peer.port, name: peer.name, ...(peer.id ? { expectDeviceId: peer.id } : {}) };
  }

  private async startSend(id: string, target: ReturnType<FerryApp['target']>, paths: string[]): Promise<void> {
    const source = await collectSource(paths);
    if (source.entries.length === 0) {
      throw new FerryError('IO_ERROR', source.skipped[0] ? `${source.skipped[0].path}: ${source.skipped[0].reason}` : 'nothing to send');
    }
    const t = newTransfer({
      id,
      direction: 'send',
      peer: { id: target.expectDeviceId ?? null, name: target.name, address: target.host },
      state: 'connecting',
      files: source.entries.flatMap((e) => (isDir(e) ? [] : [{ path: e.path, size: e.size }])),
      dirCount: source.entries.length - source.fileCount,
      folder: null,
    });
    t.paths = paths;
    t.peerKey = [...this.peerViews()].find((p) => p.addresses[0] === target.host && p.port === target.port)?.key ?? null;
    t.abort = new AbortController();
    this.transfers.set(id, t);
    this.trimQueue();
    this.scheduleState();
    void sendFiles({
      host: target.host,
      port: target.port,
      source,
      identity: this.identity,
      transferId: id,
      ...(target.expectDeviceId ? { expectDeviceId: target.expectDeviceId } : {}),
      secret: this.secret,
      trust: this.trust,
      signal: t.abort.signal,
      onEvent: (e) => this.track(t, e),
    }).catch(() => {
      // Reported through the events (error, declined, cancelled).
    });
  }

  private async decide(offer: IncomingOffer, signal: AbortSignal): Promise<Decision> {
    const t = this.transfers.get(offer.transferId);
    if (t) {
      for (const e of offer.entries.slice(0, 500)) if (!isDir(e)) t.files.set(e.path, { path: e.path, size: e.size, state: 'pending', savedAs: null, resumedFrom: 0, error: null });
    }
    const policy = this.accept;
    if (policy === 'none') return { accept: false, message: 'this device accepts no offers' };
    if (policy === 'all' || offer.peer.trusted) return { accept: true };
    if (policy === 'trusted') {
      return { accept: false, message: 'this device only accepts devices it trusts' };
    }
    const slot = this.waiting.admit(offer.peer);
    if (typeof slot === 'string') return { accept: false, message: slot };
    if (t) t.asked = true;
    const view: OfferView = {
      id: offer.transferId,
      from: {
        id: offer.peer.deviceId,
        name: offer.peer.deviceName,
        platform: offer.peer.platform,
        address: offer.peer.address,
        verificationCode: offer.peer.verificationCode,
        trusted: offer.peer.trusted,
        identityChangedFrom: offer.peer.identityChangedFrom,
      },
      fileCount: offer.fileCount,
      dirCount: offer.dirCount,
      totalBytes: offer.totalBytes,
      entries: offer.entries.slice(0, OFFER_PREVIEW_ENTRIES).map((e) => ({ path: e.path, size: isDir(e) ? null : e.size, dir: isDir(e) })),
      receivedAt: Date.now(),
    };
    return new Promise<Decision>((settle) => {
      const resolve = (d: Decision): void => {
        slot.release();
        settle(d);
      };
      this.offers.set(view.id, { view, answer: resolve });
      // The sender gave up (or the connection broke) while the user was looking.
      signal.addEventListener('abort', () => {
        if (this.offers.delete(view.id)) this.scheduleState();
        resolve({ accept: false, message: 'the offer was withdrawn' });
      });
      this.emit({ type: 'offer', offer: view });
      this.scheduleState();
    });
  }

  private onReceiveEvent(e: TransferEvent): void {
    if (e.event === 'offer' && e.direction === 'receive') {
      const t = newTransfer({
        id: e.transferId,
        direction: 'receive',
        peer: { id: e.peer?.deviceId ?? null, name: e.peer?.deviceName ?? '?', address: e.peer?.address ?? null },
        state: 'waiting',
        files: [],
        dirCount: e.dirCount,
        folder: this.downloadDir,
      });
      t.view.fileCount = e.fileCount;
      t.view.totalBytes = e.totalBytes;
      // A sender's retry reuses its transfer id: the new connection replaces the old entry.
      this.transfers.set(e.transferId, t);
      this.trimQueue();
      this.scheduleState();
      return;
    }
    if (!('transferId' in e) || !e.transferId) return;
    const t = this.transfers.get(e.transferId);
    if (t && t.view.direction === 'receive') this.track(t, e);
  }

  private track(t: TrackedTransfer, e: TransferEvent): void {
    if (applyEvent(t, e)) {
      const v = t.view;
      // An offer turned away unseen (by policy, or while too many wait) stays out of history:
      // anyone can make offers, and they must not push real transfers out of it.
      const unseen = v.direction === 'receive' && v.state === 'declined' && !t.asked;
      if (!unseen) {
        void this.history.add({
          id: v.id,
          direction: v.direction,
          peerName: v.peer.name,
          peerId: v.peer.id,
          state: v.state,
          fileCount: v.fileCount,
          totalBytes: v.totalBytes,
          startedAt: v.startedAt,
          finishedAt: v.finishedAt ?? Date.now(),
          error: v.error,
          folder: v.folder,
        });
      }
      this.emit({ type: 'finished', transfer: { ...v } });
    }
    this.scheduleState();
  }

  private trimQueue(): void {
    const finished = [...this.transfers.values()].filter((t) => isFinal(t.view.state));
    for (const t of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_IN_QUEUE))) this.transfers.delete(t.view.id);
  }

  private emit(e: UiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // One broken listener (a closed window, a dead socket) must not stop the others.
      }
    }
  }

  /** Pushes the state at most every stateIntervalMs: progress of many transfers coalesces. */
  private scheduleState(): void {
    if (this.stateTimer || this.stopped) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.emit({ type: 'state', state: this.state() });
    }, this.options.stateIntervalMs ?? 200);
  }

  private state(): AppState {
    return {
      device: this.deviceView(),
      peers: this.peerViews(),
      offers: [...this.offers.values()].map((o) => o.view),
      transfers: [...this.transfers.values()].map((t) => ({ ...t.view, peer: { ...t.view.peer } })).reverse(),
      settings: this.settingsView(),
      trusted: this.trust.list().map((d) => ({ ...d })),
    };
  }

  private deviceView(): DeviceView {
    const bound = this.options.overrides?.host;
    // Listening on one address: that is the only one others can reach us at.
    const addresses =
      bound && bound !== '0.0.0.0' && bound !== '::'
        ? [bound]
        : Object.values(os.networkInterfaces())
            .flat()
            .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4' && !a.internal)
            .map((a) => a.address);
    return {
      id: this.identity.deviceId,
      name: this.identity.deviceName,
      platform: process.platform,
      appVersion: APP_VERSION,
      addresses,
      port: this.receiver?.port ?? null,
      visible: this.announce && this.receiver !== null,
      receiverError: this.receiverError,
    };
  }

  private settingsView(): SettingsView {
    return { ...this.settings, deviceName: this.identity.deviceName, downloadDir: this.downloadDir, secretEnabled: this.secret !== null };
  }

  private peerViews(): PeerView[] {
    const out: PeerView[] = [];
    const discovery = this.discovery;
    for (const p of discovery?.peers() ?? []) {
      const best = discovery!.addressFor(p);
      const addresses = [...new Set([best, ...p.addresses.map((a) => a.address)].filter((a): a is string => !!a))];
      out.push({ key: p.id, id: p.id, name: p.name, platform: p.platform, addresses, port: p.port, source: 'discovered', online: true, trusted: this.trust.isTrusted(p.id), manual: null });
    }
    for (const m of this.manualList) {
      const hostPort = m.host.includes(':') ? `[${m.host}]:${m.port}` : `${m.host}:${m.port}`;
      const same = m.deviceId ? out.find((p) => p.id === m.deviceId) : undefined;
      if (same) {
        same.manual = hostPort;
        continue;
      }
      out.push({
        key: m.deviceId ?? `${MANUAL_PREFIX}${hostPort}`,
        id: m.deviceId,
        name: m.deviceName ?? hostPort,
        platform: m.platform,
        addresses: [m.host],
        port: m.port,
        source: 'manual',
        online: m.state === 'reachable',
        trusted: m.deviceId ? this.trust.isTrusted(m.deviceId) : false,
        manual: hostPort,
      });
    }
    return out.sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  }
}

/** Whether a path exists and is a regular file or folder (hosts check before opening). */
export function existsPlain(p: string): boolean {
  try {
    const st = fs.lstatSync(p);
    return st.isFile() || st.isDirectory();
  } catch {
    return false;
  }
}
