// Receiving over both protocols: Ferry's receiver and LocalSend's server, each a Receiving of
// its transport, started, moved and stopped together as settings say, with the one
// 'listening' event that names both ports and what the header and troubleshooting view show.

import type { LocalSendStatusView } from '../contract/index.js';
import type { TransferEvent } from '../model/events.js';
import type { Transport } from '../model/transport.js';
import { Receiving, type ReceivingDeps, type ReceivingSettings } from './receiving.js';

/** What both receivers go by, read afresh at each start and each offer. */
export interface ReceiversSettings extends ReceivingSettings {
  /** Speak LocalSend (its server on localsendPort); `port` and `exactPort` are Ferry's. */
  localsend: boolean;
  localsendPort: number;
}

export interface ReceiversDeps extends Omit<ReceivingDeps, 'transport' | 'settings' | 'portTaken' | 'passive'> {
  ferry: Transport;
  localsend: Transport;
  settings: () => ReceiversSettings;
  /**
   * False for `ferry send` and `ferry peers`: no Ferry receiver, and LocalSend's server only
   * passive, for LocalSend apps to register with (how 1.18 answers an announcement) and to post
   * a receiver's cancel to.
   */
  receives: boolean;
}

export class Receivers {
  readonly ferry: Receiving;
  readonly localsend: Receiving;

  constructor(private readonly deps: ReceiversDeps) {
    const { ferry, localsend, settings, receives, ...shared } = deps;
    this.ferry = new Receiving({ ...shared, transport: ferry, settings: () => settings() });
    this.localsend = new Receiving({
      ...shared,
      transport: localsend,
      // A LocalSend app on this computer holds 53317 first: devices still reach us on another
      // port through discovery, but their subnet scans look at 53317 only.
      portTaken: (asked, got) =>
        `LocalSend's port ${asked} is in use by another program (perhaps a LocalSend app on this computer); LocalSend devices that find this one by discovery reach it on port ${got}, but a subnet scan will miss it`,
      passive: !receives,
      settings: () => {
        const s = settings();
        return { ...s, port: receives ? s.localsendPort : 0, exactPort: false };
      },
    });
  }

  private get localsendOn(): boolean {
    return this.deps.settings().localsend;
  }

  async start(): Promise<void> {
    if (this.deps.receives) await this.ferry.start();
    if (this.localsendOn) await this.localsend.start();
  }

  /** Starts again what a settings change moved (the folder, a port, LocalSend on or off). */
  async restart(which: { ferry: boolean; localsend: boolean }): Promise<void> {
    if (which.ferry && this.deps.receives) {
      await this.ferry.stop();
      await this.ferry.start();
    }
    if (which.localsend) {
      await this.localsend.stop();
      if (this.localsendOn) await this.localsend.start();
    }
  }

  async stop(): Promise<void> {
    await this.ferry.stop();
    await this.localsend.stop();
  }

  /** Cancels an incoming transfer, whichever protocol carries it. */
  cancel(transferId: string): void {
    this.ferry.cancel(transferId);
    this.localsend.cancel(transferId);
  }

  update(changes: { secret?: Buffer | null; pin?: string | null }): void {
    if (changes.secret !== undefined) this.ferry.update({ secret: changes.secret });
    this.localsend.update(changes);
  }

  /**
   * One 'listening' event for both protocols, once both listen (FerryApp holds the Ferry
   * receiver's own back), so that a script reading the first one learns both ports.
   */
  listeningEvent(host: string): TransferEvent | null {
    const port = this.ferry.port;
    if (port === null) return null;
    const localsendPort = this.deps.receives && this.localsendOn ? this.localsend.port : null;
    return { event: 'listening', host, port, localsendPort };
  }

  /** LocalSend's server as the header and troubleshooting view show it; null while it is off. */
  localsendStatus(): LocalSendStatusView | null {
    if (!this.deps.receives || !this.localsendOn) return null;
    return { port: this.localsend.port, problem: this.localsend.problem };
  }
}
