// One sending socket per network interface, and the shared listening socket: how discovery
// reaches a network. Each link records what happened to it (joined the group? sends failing?)
// in an InterfaceStatus, because "why can't I see my other computer" is answered by these.

import * as dgram from 'node:dgram';
import type { InterfaceStatus, Problem, SendStatus } from '../contract/discovery-status.js';
import type { NetInterface } from './interfaces.js';

/** Where and how a link sends: the same for every interface. */
export interface LinkSettings {
  group: string;
  port: number;
  /** Send to the multicast group. */
  multicast: boolean;
  /** Also send to the interface's subnet broadcast address. */
  broadcast: boolean;
}

const HINTS: Record<string, string> = {
  EADDRINUSE: 'another program holds the discovery port without sharing it',
  EADDRNOTAVAIL: 'the address is gone from this interface',
  ENETUNREACH: 'no route for multicast or broadcast on this interface',
  EHOSTUNREACH: 'no route for multicast or broadcast on this interface',
  ENETDOWN: 'the interface is down',
  ENODEV: 'the interface is gone',
  EPERM: 'blocked by a firewall or not permitted',
  EACCES: 'blocked by a firewall or not permitted',
  ENOBUFS: 'the system is out of buffers or multicast memberships',
};

export function problem(err: unknown): Problem {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'ERROR';
  const hint = HINTS[code];
  const message = e?.message ?? String(err);
  return { code, message: hint ? `${hint} (${message})` : message };
}

function sendStatus(): SendStatus {
  return { sent: 0, failed: 0, lastError: null };
}

export function closeSocket(s: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      s.close(() => resolve());
    } catch {
      resolve(); // never bound, or closed already
    }
  });
}

/** The shared listening socket, bound to the discovery port with address reuse (every instance on a machine shares it). */
export async function bindListener(
  port: number,
  onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void,
  onError: (p: Problem) => void,
): Promise<dgram.Socket | null> {
  const rx = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  rx.on('message', onMessage);
  const ok = await new Promise<boolean>((resolve) => {
    rx.once('error', (err) => {
      onError(problem(err));
      resolve(false);
    });
    rx.bind({ port, address: '0.0.0.0' }, () => resolve(true));
  });
  rx.removeAllListeners('error');
  rx.on('error', (err) => onError(problem(err)));
  rx.unref();
  if (ok) return rx;
  await closeSocket(rx);
  return null;
}

/** One interface's sending socket, and its membership of the group on the listening socket. */
export class InterfaceLink {
  readonly status: InterfaceStatus;
  /** Resolves true once the socket can send, false when it never will. */
  readonly ready: Promise<boolean>;
  private readonly socket: dgram.Socket;

  constructor(
    readonly iface: NetInterface,
    private readonly rx: dgram.Socket | null,
    private readonly settings: LinkSettings,
  ) {
    const status: InterfaceStatus = {
      ...iface,
      joined: false,
      joinError: null,
      bindError: null,
      sends: { multicast: sendStatus(), broadcast: iface.broadcast && settings.broadcast ? sendStatus() : null },
      heard: 0,
    };
    this.status = status;
    if (rx && settings.multicast) {
      try {
        rx.addMembership(settings.group, iface.address);
        status.joined = true;
      } catch (err) {
        // EADDRINUSE here means already joined on this interface (another address of it).
        status.joinError = problem(err);
      }
    }
    const socket = dgram.createSocket({ type: 'udp4' });
    socket.unref();
    this.socket = socket;
    this.ready = new Promise<boolean>((resolve) => {
      socket.once('error', (err) => {
        status.bindError = problem(err);
        resolve(false);
      });
      // Bound to the interface's address, so peers see us at the address they can reach
      // and the OS sends out of this interface.
      socket.bind({ address: iface.address, port: 0 }, () => {
        socket.removeAllListeners('error');
        socket.on('error', (err) => (status.sends.multicast.lastError = problem(err)));
        try {
          socket.setMulticastInterface(iface.address);
          socket.setMulticastTTL(1);
          socket.setMulticastLoopback(true); // other instances on this machine hear us
          socket.setBroadcast(true);
          resolve(true);
        } catch (err) {
          status.bindError = problem(err);
          resolve(false);
        }
      });
    });
  }

  /** Sends to the group and, where the network has one, the subnet broadcast address. Never throws: failures are counted. */
  async send(bytes: Buffer): Promise<void> {
    if (!(await this.ready)) return;
    const targets: Array<[string, SendStatus]> = [];
    const { multicast, broadcast } = this.status.sends;
    if (this.settings.multicast) targets.push([this.settings.group, multicast]);
    if (broadcast && this.iface.broadcast) targets.push([this.iface.broadcast, broadcast]);
    await Promise.all(targets.map(([to, st]) => this.sendTo(bytes, to, st)));
  }

  async close(): Promise<void> {
    if (this.rx && this.status.joined) {
      try {
        this.rx.dropMembership(this.settings.group, this.iface.address);
      } catch {
        // The interface is gone, and the membership with it.
      }
    }
    await this.ready;
    await closeSocket(this.socket);
  }

  private sendTo(bytes: Buffer, to: string, st: SendStatus): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.send(bytes, this.settings.port, to, (err) => {
          if (err) {
            st.failed++;
            st.lastError = problem(err);
          } else st.sent++;
          resolve();
        });
      } catch (err) {
        // A socket closed under us (an interface going away mid-send).
        st.failed++;
        st.lastError = problem(err);
        resolve();
      }
    });
  }
}

/**
 * Brings the links up to date with the interfaces wanted now (Wi-Fi joining, a VPN starting):
 * closes and forgets each link whose interface went or changed its address, and returns the
 * wanted interfaces that have no link yet, for the caller to open its own kind of link on.
 */
export function dropStaleLinks(links: Map<string, InterfaceLink>, use: readonly NetInterface[]): NetInterface[] {
  const wanted = new Map(use.map((i) => [i.name, i]));
  for (const [name, link] of links) {
    const now = wanted.get(name);
    if (!now || now.address !== link.iface.address || now.netmask !== link.iface.netmask) {
      links.delete(name);
      void link.close();
    }
  }
  return use.filter((i) => !links.has(i.name));
}
