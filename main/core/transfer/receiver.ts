// The receiving server: one ReceiveSession per connection, many at once (the
// socketserver ThreadingTCPServer shape, on Node's event loop), with caps on connections
// in total and per address so that a flood cannot starve real transfers.

import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import { FerryError } from '../errors.js';
import { encodeFrame } from '../protocol/frame.js';
import { HANDSHAKE_TIMEOUT_MS, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS } from '../protocol/limits.js';
import type { EventSink } from './events.js';
import type { LocalIdentity } from './identity.js';
import { ReceiveSession, type Decision, type IncomingOffer, type ReceiverShared } from './receive-session.js';

export interface ReceiverOptions {
  /** Download folder; created if missing. */
  dir: string;
  identity: LocalIdentity;
  host?: string;
  port?: number;
  decide: (offer: IncomingOffer, signal: AbortSignal) => Promise<Decision>;
  onEvent?: EventSink;
  maxConnections?: number;
  maxPerAddress?: number;
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
  reserveBytes?: number;
}

export class Receiver {
  private readonly server: net.Server;
  private readonly sessions = new Set<ReceiveSession>();
  private readonly perAddress = new Map<string, number>();
  private shared: ReceiverShared | null = null;

  constructor(private readonly options: ReceiverOptions) {
    this.server = net.createServer({ pauseOnConnect: false, noDelay: true }, (s) => this.accept(s));
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  async listen(): Promise<{ host: string; port: number }> {
    await fs.mkdir(this.options.dir, { recursive: true });
    const root = await fs.realpath(this.options.dir);
    this.shared = {
      root,
      identity: this.options.identity,
      decide: this.options.decide,
      emit: this.options.onEvent ?? (() => {}),
      claims: new Map(),
      completed: new Map(),
      reserveBytes: this.options.reserveBytes ?? 16 * 1024 * 1024,
      ...(this.options.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.options.idleTimeoutMs } : {}),
    };
    const host = this.options.host ?? '0.0.0.0';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port: this.options.port ?? 0 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.shared.emit({ event: 'listening', host, port: this.port });
    return { host, port: this.port };
  }

  /** Cancels every transfer in progress (partials stay for a resume) and stops listening. */
  async close(): Promise<void> {
    const closing = new Promise<void>((r) => this.server.close(() => r()));
    const sessions = [...this.sessions];
    for (const s of sessions) s.cancel('the receiver is shutting down');
    await Promise.all(sessions.map((s) => s.closed));
    await closing;
  }

  private accept(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '?';
    const count = this.perAddress.get(address) ?? 0;
    const max = this.options.maxConnections ?? MAX_CONNECTIONS;
    const maxPer = this.options.maxPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS;
    if (this.sessions.size >= max || count >= maxPer) {
      const err = new FerryError('TOO_MANY_CONNECTIONS', 'the receiver is at its connection limit; try again shortly');
      socket.on('error', () => {});
      socket.end(encodeFrame({ type: 'error', code: err.code, message: err.message }));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    this.perAddress.set(address, count + 1);
    const session = new ReceiveSession(socket, this.shared!, this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    this.sessions.add(session);
    void session.closed.then(() => {
      this.sessions.delete(session);
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    });
  }
}
