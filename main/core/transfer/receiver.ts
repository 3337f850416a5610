// The receiving server: one ReceiveSession per connection, many at once (the
// socketserver ThreadingTCPServer shape, on Node's event loop), with caps on connections
// in total and per address so that a flood cannot starve real transfers. Every connection
// is TLS 1.3; the caps apply to raw TCP connections, before any handshake work is done.

import * as fs from 'node:fs/promises';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { makeFolders } from '../folders.js';
import { HANDSHAKE_TIMEOUT_MS, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS } from '../protocol/limits.js';
import { AuthBackoff } from '../security/auth-backoff.js';
import { Connections } from '../security/connection-caps.js';
import { serverTlsOptions } from '../security/tls.js';
import type { TrustView } from '../store/trust-store.js';
import type { EventSink } from '../model/events.js';
import type { LocalIdentity } from './identity.js';
import { ReceiveSession } from './receive/session.js';
import type { ReceiverShared } from './receive/shared.js';
import { allPartials, discardAllPartials, discardPartialsOf, partialsOf, type PartialsSummary } from './receive/partials.js';
import type { Decision, IncomingOffer } from '../model/transport.js';

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
  /** Shared-secret mode: only devices that prove they know it may offer anything. */
  secret?: Buffer | null;
  /** Pinned devices, for the offer's `trusted` flag and identity-change warnings. */
  trust?: TrustView | null;
}

export class Receiver {
  private readonly server: tls.Server;
  private readonly sessions = new Set<ReceiveSession>();
  /** Raw TCP connections: capped, and timed until their TLS handshake finishes. */
  private readonly connections: Connections;
  private shared: ReceiverShared | null = null;
  /** TLS handshakes that failed (not TLS, wrong version, timed out): for diagnostics. */
  handshakeFailures = 0;

  constructor(private readonly options: ReceiverOptions) {
    const handshakeMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    // No TLS yet when a connection is over the caps, so no error frame can be sent: the sender
    // sees the connection refused during the handshake and retries with backoff.
    this.connections = new Connections(
      { maxConnections: options.maxConnections ?? MAX_CONNECTIONS, maxPerAddress: options.maxPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS },
      handshakeMs,
    );
    this.server = tls.createServer(serverTlsOptions(options.identity.tls, handshakeMs), (s) => this.accept(s));
    // Counted and capped before the handshake: a flood must not cost a handshake each.
    this.server.on('connection', (s: net.Socket) => this.connections.admit(s));
    this.server.on('tlsClientError', () => {
      this.handshakeFailures++;
    });
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** TCP connections held, including those still in their TLS handshake. */
  get openConnections(): number {
    return this.connections.count;
  }

  async listen(): Promise<{ host: string; port: number }> {
    await makeFolders(this.options.dir);
    const root = await fs.realpath(this.options.dir);
    this.shared = {
      root,
      identity: this.options.identity,
      decide: this.options.decide,
      emit: this.options.onEvent ?? (() => {}),
      claims: new Map(),
      streaming: new Set(),
      completed: new Map(),
      prefixes: new Map(),
      partialsByTransfer: new Map(),
      textsTaken: new Map(),
      reserveBytes: this.options.reserveBytes ?? 16 * 1024 * 1024,
      secret: this.options.secret ?? null,
      trust: this.options.trust ?? null,
      backoff: new AuthBackoff(),
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

  /** Cancels one incoming transfer (its partials stay for a resume); false if none has that id. */
  cancelTransfer(transferId: string, message = 'cancelled by the receiver'): boolean {
    const session = [...this.sessions].find((s) => s.currentTransferId === transferId);
    session?.cancel(message);
    return session !== undefined;
  }

  /** The partial files one transfer left, or (null) all of them in the download folder. */
  async partials(transferId: string | null): Promise<PartialsSummary> {
    if (!this.shared) return { files: 0, bytes: 0 };
    if (transferId === null) return allPartials(this.shared);
    // A transfer that just stopped may still be writing what arrived last: count once it closed.
    await Promise.all([...this.sessions].filter((s) => s.currentTransferId === transferId).map((s) => s.closed));
    return partialsOf(this.shared, transferId);
  }

  /** Deletes them (those a running transfer is writing stay). */
  async discardPartials(transferId: string | null): Promise<void> {
    if (!this.shared) return;
    if (transferId !== null) await Promise.all([...this.sessions].filter((s) => s.currentTransferId === transferId).map((s) => s.closed));
    await (transferId === null ? discardAllPartials(this.shared) : discardPartialsOf(this.shared, transferId));
  }

  /** Settings that apply to connections from now on (those in progress keep theirs). */
  update(changes: { secret?: Buffer | null }): void {
    if (!this.shared) return;
    if (changes.secret !== undefined) this.shared.secret = changes.secret;
  }

  /** Cancels every transfer in progress (partials stay for a resume) and stops listening. */
  async close(): Promise<void> {
    const closing = new Promise<void>((r) => this.server.close(() => r()));
    const sessions = [...this.sessions];
    for (const s of sessions) s.cancel('the receiver is shutting down');
    await Promise.all(sessions.map((s) => s.closed));
    // What is left is still in its handshake (or never started one).
    this.connections.destroyAll();
    await closing;
  }

  private accept(socket: tls.TLSSocket): void {
    this.connections.secured(socket);
    // The server takes connections only once listen() has set up what sessions share.
    if (!this.shared) return void socket.destroy();
    const session = new ReceiveSession(socket, this.shared, this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    this.sessions.add(session);
    void session.closed.then(() => this.sessions.delete(session));
  }
}
