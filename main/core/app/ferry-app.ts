// The engine as one object for every host (the desktop app, `ferry serve`, the `ferry`
// command): receiving, discovery and manual peers, trust, settings, history and the transfer
// queue, with the contract's commands in and its events out. Two protocols run side by side,
// each a Transport: Ferry's own and LocalSend's (for its apps and phones); the queue, prompts
// and history do not tell them apart. Hosts differ only in the options they start it with and
// in how an offer is put to a person (the asker). Plain Node.

import * as path from 'node:path';
import type {
  AppState,
  Commands,
  FileView,
  OfferChoice,
  HistoryEntry,
  PartialsView,
  PeerView,
  Remote,
  SendResultView,
  SettingsPatch,
  SettingsView,
  UiEvent,
} from '../contract/index.js';
import type { DiscoverySnapshot } from '../discovery/discovery.js';
import { FerryError } from '../errors.js';
import { localSendTransport } from '../localsend/transport.js';
import { loadIdentity, saveDeviceName, type LocalIdentity } from '../security/identity.js';
import { generateSecret, loadStoredSecret, storeSecret } from '../security/secret.js';
import { WaitingOffers } from '../security/waiting-offers.js';
import { History } from '../store/history-store.js';
import { TrustStore } from '../store/trust-store.js';
import type { EventSink, TransferEvent } from '../model/events.js';
import { ferryTransport } from '../transfer/ferry-transport.js';
import { PeerDirectory, type SendTarget } from './peer-directory.js';
import { Receivers } from './receivers.js';
import { Sending, type SendOptions, type SendWhat } from './sending.js';
import { ReceivedTexts } from './texts.js';
import { PinAsks } from './pin-asks.js';
import type { FerryAppOptions, StartedSend } from './app-options.js';
import { deviceView } from './device-view.js';
import { SettingsStore } from './settings-store.js';
import { createDownloadDir } from './settings-state.js';
import { TransferQueue } from './transfer-queue.js';
import { historyEntryOf, type TrackedTransfer } from './transfers.js';
import type { Transport } from '../model/transport.js';
import { UiEventHub } from './ui-events.js';
import { UiOffers } from './ui-offers.js';

export type { SendTarget } from './peer-directory.js';
export type { FerryAppOptions, StartedSend } from './app-options.js';

export class FerryApp implements Remote<Commands> {
  private identity!: LocalIdentity;
  private settings!: SettingsStore;
  private secret: Buffer | null = null;
  private trust!: TrustStore;
  private history!: History;
  private peers!: PeerDirectory;
  private receivers!: Receivers;
  private readonly queue: TransferQueue;
  private readonly uiOffers: UiOffers;
  private readonly waiting = new WaitingOffers();
  private readonly transport: Transport;
  private readonly localsend: Transport;
  private readonly pins: PinAsks;
  private readonly texts = new ReceivedTexts();
  private sending!: Sending;
  private readonly events: UiEventHub;
  private readonly transferListeners = new Set<EventSink>();
  private probeTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(private readonly options: FerryAppOptions) {
    this.transport = options.transport ?? ferryTransport;
    this.localsend = localSendTransport({
      onRegister: (d) => this.peers.registered(d),
      pin: () => this.localsendPin,
      ownPort: () => this.receivers.localsend.port,
    });
    if (options.onTransferEvent) this.transferListeners.add(options.onTransferEvent);
    this.events = new UiEventHub(() => this.state(), options.stateIntervalMs ?? 200);
    this.pins = new PinAsks(() => this.events.stateChanged());
    this.queue = new TransferQueue({ finished: (t) => this.finished(t), changed: () => this.events.stateChanged() });
    this.uiOffers = new UiOffers({
      shown: (offer) => this.events.emit({ type: 'offer', offer }),
      changed: () => this.events.stateChanged(),
    });
  }

  static async start(options: FerryAppOptions): Promise<FerryApp> {
    const app = new FerryApp(options);
    await app.init();
    return app;
  }

  private async init(): Promise<void> {
    const o = this.options.overrides ?? {};
    const dir = this.options.configDir;
    this.identity = await loadIdentity(dir, o.deviceName);
    this.settings = await SettingsStore.load(dir, this.options.overrides ?? {}, this.options.desktop === true);
    this.secret = o.secret !== undefined ? o.secret : await loadStoredSecret(dir);
    this.trust = await TrustStore.load(dir);
    this.history = new History(dir);
    if (this.options.history !== false) await this.history.load();
    this.peers = new PeerDirectory({
      configDir: dir,
      identity: this.identity,
      trust: this.trust,
      probe: (host, port, signal, protocol) =>
        (protocol === 'localsend' ? this.localsend : this.transport).probe(host, port, this.identity, signal),
      changed: () => this.events.stateChanged(),
    });
    await this.peers.load(this.options.manualPeers ?? []);
    this.receivers = new Receivers({
      ferry: this.transport,
      localsend: this.localsend,
      receives: this.options.receive !== false,
      queue: this.queue,
      waiting: this.waiting,
      asker: this.options.asker ?? this.uiOffers.ask,
      trusted: () => this.events.stateChanged(),
      track: (e) => this.track(e),
      settings: () => {
        const s = this.settings.effective;
        return {
          dir: s.downloadDir,
          host: this.overrides.host ?? '0.0.0.0',
          port: s.port,
          exactPort: this.options.exactPort ?? false,
          secret: this.secret,
          policy: s.acceptPolicy,
          identity: this.identity,
          trust: this.trust,
          localsend: s.localsend,
          localsendPort: s.localsendPort,
        };
      },
    });
    this.sending = new Sending({
      ferry: this.transport,
      localsend: this.localsend,
      queue: this.queue,
      peers: this.peers,
      pins: this.pins,
      identity: () => this.identity,
      secret: () => this.secret,
      trust: () => this.trust,
      track: (e) => this.track(e),
    });
    await this.receivers.start();
    this.announceListening();
    await this.startDiscovery();
    if (this.options.probeManualPeers !== false) {
      void this.peers.probeManual();
      this.probeTimer = setInterval(() => void this.peers.probeManual(), this.options.probeIntervalMs ?? 20_000);
      this.probeTimer.unref();
    }
  }

  /** Stops receiving and announcing (a goodbye goes out); transfers in progress are cancelled. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.queue.abortAll();
    this.uiOffers.declineAll('the receiver is shutting down');
    await this.peers.stop();
    await this.receivers.stop();
    // Transfers cut short above are written to history as they end: before the host goes on.
    await this.history.flushed();
    this.events.close();
  }

  onEvent(listener: (e: UiEvent) => void): () => void {
    return this.events.on(listener);
  }

  onTransferEvent(listener: EventSink): () => void {
    this.transferListeners.add(listener);
    return () => this.transferListeners.delete(listener);
  }

  // ---- queries ----

  async getState(): Promise<AppState> {
    return this.state();
  }

  async getDiscoveryStatus(): Promise<DiscoverySnapshot | null> {
    return this.peers.snapshot();
  }

  async getHistory(): Promise<HistoryEntry[]> {
    return this.history.list();
  }

  async getTransferFiles(transferId: string): Promise<FileView[]> {
    const t = this.queue.get(transferId);
    if (!t) throw new FerryError('NOT_FOUND', 'no such transfer');
    return [...t.files.values()].map((f) => ({ ...f }));
  }

  // ---- commands ----

  async sendPaths(peerKey: string, paths: string[]): Promise<SendResultView> {
    return this.sending.sendTo(peerKey, { paths });
  }

  async sendText(peerKey: string, text: string): Promise<SendResultView> {
    return this.sending.sendTo(peerKey, { text });
  }

  async dismissText(id: string): Promise<void> {
    this.texts.dismiss(id);
    this.events.stateChanged();
  }

  async retryTransfer(transferId: string): Promise<SendResultView> {
    // The same transfer id and files: Ferry's receiver resumes what it already holds.
    return this.sending.retry(transferId);
  }

  async answerOffer(offerId: string, answer: 'accept' | 'decline' | 'always', choice: OfferChoice | null = null): Promise<void> {
    if (answer !== 'decline' && choice?.folder) {
      // `--dir` confines where files go for this run.
      if (this.settings.effective.fixed.includes('downloadDir')) {
        throw new FerryError('INVALID_STATE', 'The download folder was set on the command line that started Ferry; files go there');
      }
      // Another folder must be one Ferry can write to, made if missing, before the sender is told yes.
      await createDownloadDir(choice.folder);
    }
    this.uiOffers.answer(offerId, answer, choice);
  }

  async cancelTransfer(transferId: string): Promise<void> {
    const t = this.queue.get(transferId);
    if (!t || this.queue.isFinal(transferId)) return;
    if (t.view.direction === 'send') t.abort?.abort();
    else if (!this.uiOffers.decline(transferId)) this.receivers.cancel(transferId);
  }

  async dismissTransfer(transferId: string): Promise<void> {
    this.queue.dismiss(transferId);
  }

  async clearHistory(): Promise<void> {
    await this.history.clear();
  }

  async addManualPeer(hostPort: string): Promise<void> {
    await this.peers.addManual(hostPort);
    this.events.stateChanged();
  }

  async removeManualPeer(hostPort: string): Promise<void> {
    await this.peers.removeManual(hostPort);
    this.events.stateChanged();
  }

  async trustDevice(deviceId: string): Promise<void> {
    const peer = this.peers.views().find((p) => p.id === deviceId);
    if (!peer) throw new FerryError('NOT_FOUND', 'That device is no longer listed');
    await this.trust.add(deviceId, peer.name);
    this.events.stateChanged();
  }

  async untrustDevice(deviceId: string): Promise<void> {
    await this.trust.remove(deviceId);
    this.events.stateChanged();
  }

  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    const { before, after, deviceName } = await this.settings.change(patch);
    if (deviceName !== undefined) {
      const renamed = await saveDeviceName(this.options.configDir, this.identity, deviceName);
      // The receiver and discovery hold this object: the new name goes out from now on.
      this.identity.deviceName = renamed.deviceName;
      this.peers.renamed(renamed.deviceName);
    }
    const moved = before.downloadDir !== after.downloadDir;
    const ferryMoved = moved || before.port !== after.port;
    const localsendMoved = moved || before.localsend !== after.localsend || before.localsendPort !== after.localsendPort;
    await this.receivers.restart({ ferry: ferryMoved, localsend: localsendMoved });
    if (ferryMoved || localsendMoved) this.announceListening();
    if (ferryMoved || localsendMoved || before.announce !== after.announce || deviceName !== undefined) await this.startDiscovery();
    this.events.stateChanged();
    return this.settingsView();
  }

  async createDownloadDir(dir: string): Promise<SettingsView> {
    await createDownloadDir(dir);
    return this.updateSettings({ downloadDir: dir });
  }

  async getPartials(): Promise<PartialsView> {
    return this.receivers.ferry.partials(null);
  }

  async discardPartials(transferId: string | null): Promise<PartialsView> {
    await this.receivers.ferry.discardPartials(transferId);
    const t = transferId === null ? null : this.queue.get(transferId);
    if (t) t.view.partialBytes = (await this.receivers.ferry.partials(transferId)).bytes;
    this.events.stateChanged();
    return this.receivers.ferry.partials(null);
  }

  async setSecret(secret: string | null): Promise<SettingsView> {
    this.secret = await storeSecret(this.options.configDir, secret);
    this.receivers.update({ secret: this.secret });
    this.events.stateChanged();
    return this.settingsView();
  }

  async generateSecret(): Promise<string> {
    return generateSecret();
  }

  async setLocalSendPin(pin: string | null): Promise<SettingsView> {
    await this.settings.setLocalSendPin(pin);
    this.receivers.update({ pin });
    this.events.stateChanged();
    return this.settingsView();
  }

  async answerPin(transferId: string, pin: string | null): Promise<void> {
    this.pins.answer(transferId, pin);
  }

  // ---- for hosts ----

  /** The devices listed once `until` holds or timeoutMs is up (PeerDirectory.lookFor). */
  findPeers(timeoutMs: number, until?: (peers: PeerView[]) => boolean, signal?: AbortSignal): Promise<PeerView[]> {
    return this.peers.lookFor(timeoutMs, until, signal);
  }

  /** Sends paths, a selection already collected, or a text to a device (Sending.send). */
  send(target: SendTarget, what: SendWhat, opts: SendOptions = {}): Promise<StartedSend> {
    return this.sending.send(target, what, opts);
  }

  /** The link of a received text message, for a host to open (only such links are opened). */
  receivedLink(textId: string): string | null {
    return this.texts.get(textId)?.link ?? null;
  }

  /**
   * The absolute path of a file this device received in `transferId` (as savedAs names it),
   * or null: only such files may be opened or shown by a host.
   */
  resolveReceived(transferId: string, savedAs: string): string | null {
    const t = this.queue.get(transferId);
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

  private get overrides(): NonNullable<FerryAppOptions['overrides']> {
    return this.options.overrides ?? {};
  }

  private get announce(): boolean {
    return this.settings.effective.announce;
  }

  private get localsendOn(): boolean {
    return this.settings.effective.localsend;
  }

  private get localsendPin(): string | null {
    return this.settings.localsendPin;
  }

  private async startDiscovery(): Promise<void> {
    if (this.options.discovery === false) return;
    const d = this.options.discovery ?? {};
    const port = this.announce ? (this.receivers.ferry.port ?? undefined) : undefined;
    await this.peers.startDiscovery(d, port);
    if (!this.localsendOn) return this.peers.stopLocalSendDiscovery();
    await this.peers.startLocalSendDiscovery(
      { ...(d.interfaces ? { interfaces: d.interfaces } : {}), ...this.options.localsendDiscovery },
      this.receivers.localsend.port ?? undefined,
      // Without receiving, only `ferry send`/`peers` looking: announcing makes LocalSend apps
      // register with our passive server, which is how they are found.
      this.options.receive === false || this.announce,
    );
  }

  /** Receivers.listeningEvent: one 'listening' for both protocols, once both listen. */
  private announceListening(): void {
    const e = this.receivers.listeningEvent(this.overrides.host ?? '0.0.0.0');
    if (e) this.emitTransfer(e);
  }

  /** Every engine event: to the queue (which folds it into its views) and the transfer listeners. */
  private track(e: TransferEvent): void {
    if (e.event === 'listening') return; // announceListening speaks for both receivers
    this.emitTransfer(e);
  }

  private emitTransfer(e: TransferEvent): void {
    this.queue.apply(e);
    if (e.event === 'text' && e.direction === 'receive') this.textArrived(e.transferId, e.text);
    for (const l of this.transferListeners) l(e);
  }

  private textArrived(transferId: string, text: string): void {
    const t = this.queue.get(transferId);
    const view = this.texts.add({
      id: transferId,
      peer: t ? { ...t.view.peer } : { id: null, name: '?', address: null },
      protocol: t?.view.protocol ?? 'ferry',
      text,
    });
    this.events.emit({ type: 'text', text: view });
    this.events.stateChanged();
  }

  private finished(t: TrackedTransfer): void {
    const entry = historyEntryOf(t);
    if (entry && this.options.history !== false) void this.history.add(entry);
    if (t.view.direction === 'receive' && t.view.state !== 'done') {
      // What a resume would start from, which the person may rather delete.
      void this.receivers.ferry.partials(t.view.id).then(({ bytes }) => {
        t.view.partialBytes = bytes;
        if (bytes > 0) this.events.stateChanged();
      });
    }
    this.events.emit({ type: 'finished', transfer: { ...t.view } });
  }

  private state(): AppState {
    return {
      device: deviceView({
        identity: this.identity,
        host: this.options.overrides?.host,
        port: this.receivers.ferry.port,
        announce: this.announce,
        problem: this.receivers.ferry.problem,
        localsend: this.receivers.localsendStatus(),
      }),
      peers: this.peers.views(),
      offers: this.uiOffers.views(),
      transfers: this.queue.views(),
      settings: this.settingsView(),
      trusted: this.trust.list().map((d) => ({ ...d })),
      texts: this.texts.views(),
    };
  }

  private settingsView(): SettingsView {
    return {
      ...this.settings.effective,
      deviceName: this.identity.deviceName,
      secretEnabled: this.secret !== null,
    };
  }
}
