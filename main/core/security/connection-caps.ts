// The TCP connections of a TLS server (Ferry's receiver, the LocalSend server): capped in total
// and per address before any TLS work is done, so that a flood costs no handshakes and cannot
// starve real transfers, and cut if their handshake does not finish in time.

import type * as net from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * TCP connections, capped in total and per address before any TLS work is done (a flood costs
 * no handshakes), and cut if their handshake does not finish in time: Node's own
 * handshakeTimeout never fires for a peer that sends nothing at all.
 */
export class Connections {
  private readonly raw = new Set<net.Socket>();
  private readonly perAddress = new Map<string, number>();
  private readonly handshaking = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly caps: { maxConnections: number; maxPerAddress: number },
    private readonly handshakeMs: number,
  ) {}

  get count(): number {
    return this.raw.size;
  }

  admit(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '?';
    const n = this.perAddress.get(address) ?? 0;
    if (this.raw.size >= this.caps.maxConnections || n >= this.caps.maxPerAddress) return void socket.destroy();
    this.raw.add(socket);
    this.perAddress.set(address, n + 1);
    const key = `${address}|${socket.remotePort}`;
    const timer = setTimeout(() => socket.destroy(), this.handshakeMs);
    timer.unref();
    this.handshaking.set(key, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.handshaking.delete(key);
      this.raw.delete(socket);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    });
  }

  secured(socket: TLSSocket): void {
    const key = `${socket.remoteAddress ?? '?'}|${socket.remotePort}`;
    clearTimeout(this.handshaking.get(key));
    this.handshaking.delete(key);
  }

  destroyAll(): void {
    for (const s of this.raw) s.destroy();
  }
}
