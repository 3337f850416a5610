// Where LocalSend discovery hears and speaks: the shared listening socket on the UDP port (bound
// with address reuse, so a LocalSend app on this computer keeps hearing too) and one sending
// socket per IPv4 interface, with the group joined on each. Ferry's own discovery's sockets and
// interface choice (discovery/links.ts, interfaces.ts), pointed at LocalSend's group.

import type * as dgram from 'node:dgram';
import * as os from 'node:os';
import type { InterfaceStatus, Problem } from '../contract/discovery-status.js';
import {
  interfaceFor,
  selectInterfaces,
  type InterfaceChoice,
  type InterfaceTable,
  type SkippedInterface,
} from '../discovery/interfaces.js';
import { bindListener, closeSocket, dropStaleLinks, InterfaceLink } from '../discovery/links.js';

export interface GroupSocketsOptions {
  group: string;
  port: number;
  interfaces?: InterfaceChoice;
  networkInterfaces?: () => InterfaceTable;
  onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void;
}

export class GroupSockets {
  private readonly links = new Map<string, InterfaceLink>();
  private skipped: SkippedInterface[] = [];
  private rx: dgram.Socket | null = null;
  private listenError: Problem | null = null;
  private closed = false;

  constructor(private readonly options: GroupSocketsOptions) {}

  /** Binds the listening socket; a failure (the port held without sharing) is kept for status(), not thrown. */
  async listen(): Promise<void> {
    const rx = await bindListener(this.options.port, this.options.onMessage, (p) => (this.listenError = p));
    if (rx && this.closed) await closeSocket(rx);
    else this.rx = rx;
  }

  /**
   * Follows interfaces coming and going (Wi-Fi joining, a VPN starting). Returns how many
   * links are new: a network joined now has not heard our announcements yet.
   */
  async refresh(): Promise<number> {
    if (this.closed) return 0;
    const table = (this.options.networkInterfaces ?? os.networkInterfaces)();
    const { use, skipped } = selectInterfaces(table, this.options.interfaces);
    this.skipped = skipped;
    const fresh = dropStaleLinks(this.links, use);
    const { group, port } = this.options;
    // Multicast only: LocalSend neither sends nor expects subnet broadcasts.
    const opened = fresh.map((iface) => new InterfaceLink(iface, this.rx, { group, port, multicast: true, broadcast: false }));
    for (const link of opened) this.links.set(link.iface.name, link);
    await Promise.all(opened.map((l) => l.ready));
    return opened.length;
  }

  /** To the group on every interface. Never throws: failures are counted per interface. */
  async sendAll(bytes: Buffer): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.send(bytes)));
  }

  /** To the group on the network `address` is on (every network when none matches). */
  async sendToward(bytes: Buffer, address: string): Promise<void> {
    const links = [...this.links.values()];
    const on = links.filter((l) => interfaceFor(address, [l.iface]));
    await Promise.all((on.length > 0 ? on : links).map((l) => l.send(bytes)));
  }

  /** Counts a datagram heard from `address` on the interface whose network holds it. */
  heard(address: string): void {
    for (const link of this.links.values()) {
      if (interfaceFor(address, [link.iface])) {
        link.status.heard++;
        return;
      }
    }
  }

  status(): { listen: { ok: boolean; error: Problem | null }; interfaces: InterfaceStatus[]; skipped: SkippedInterface[] } {
    return {
      listen: { ok: this.rx !== null, error: this.listenError },
      interfaces: [...this.links.values()].map((l) => l.status),
      skipped: this.skipped,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.links.values()].map((l) => l.close()));
    this.links.clear();
    if (this.rx) await closeSocket(this.rx);
    this.rx = null;
  }
}
