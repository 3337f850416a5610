// The WebSocket side of `ferry serve`: each browser tab is a client that sends contract calls
// ({id, call, args}) and receives their replies and every UiEvent. A client that falls behind
// skips state pushes (each is complete) rather than making the server buffer without end; one
// that stops answering pings is dropped.

import type * as http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WsEvent, WsReply, WsRequest, WsRequestId } from '../../core/contract/commands.js';
import type { UiEvent } from '../../core/contract/index.js';
import { FerryError, toFerryError } from '../../core/errors.js';
import { publicError } from './http-replies.js';

/** Requests are small (the largest is sendPaths with its paths); a bigger message closes the socket. */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
const MAX_CLIENTS = 16;
const MAX_IN_FLIGHT = 64;
/** A client this far behind gets state pushes skipped (the latest one follows when it catches up). */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;
const STATE_RETRY_MS = 250;

interface Client {
  ws: WebSocket;
  alive: boolean;
  inFlight: number;
  /** A state push skipped because the client was behind; sent once it catches up. */
  pendingState: string | null;
  retryTimer: NodeJS.Timeout | null;
}

/** Runs one call (already parsed JSON, not yet checked) and returns its result or throws. */
export type RunCall = (call: unknown, args: unknown) => Promise<unknown>;

export class WsClients {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false });
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly run: RunCall) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get full(): boolean {
    return this.clients.size >= MAX_CLIENTS;
  }

  /** Takes over an HTTP upgrade the server has already checked. */
  accept(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  broadcast(e: UiEvent): void {
    const text = JSON.stringify({ event: e } satisfies WsEvent);
    for (const c of this.clients) {
      if (e.type === 'state' && c.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        // Each state is complete: a slow client may skip some, as long as it gets the latest.
        c.pendingState = text;
        this.retryState(c);
        continue;
      }
      if (e.type === 'state') c.pendingState = null;
      this.send(c, text);
    }
  }

  /** Says goodbye to every client (close frames); terminate() drops whoever is still there. */
  close(reason: string): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) {
      if (c.retryTimer) clearTimeout(c.retryTimer);
      c.ws.close(1001, reason);
    }
  }

  terminate(): void {
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
  }

  private connected(ws: WebSocket): void {
    const client: Client = { ws, alive: true, inFlight: 0, pendingState: null, retryTimer: null };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (client.retryTimer) clearTimeout(client.retryTimer);
      this.clients.delete(client);
    });
    ws.on('message', (data, isBinary) => {
      client.alive = true;
      // Text frames arrive as one Buffer (the server's binaryType is nodebuffer); others are not ours.
      void this.message(client, isBinary || !Buffer.isBuffer(data) ? null : data.toString('utf8'));
    });
  }

  private async message(client: Client, text: string | null): Promise<void> {
    let msg: unknown;
    try {
      if (text === null) throw new FerryError('BAD_JSON', 'messages are JSON text');
      try {
        msg = JSON.parse(text);
      } catch {
        throw new FerryError('BAD_JSON', 'a message is not valid JSON');
      }
    } catch (err) {
      return this.answer(client, null, toFerryError(err));
    }
    const m = msg as { [F in keyof WsRequest]?: unknown };
    const id =
      typeof m?.id === 'number' && Number.isSafeInteger(m.id) ? m.id : typeof m?.id === 'string' && m.id.length <= 64 ? m.id : null;
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || id === null) {
      return this.answer(client, null, new FerryError('BAD_MESSAGE', 'a message is {id, call, args}; id a number or a short string'));
    }
    if (client.inFlight >= MAX_IN_FLIGHT)
      return this.answer(client, id, new FerryError('LIMIT_EXCEEDED', `at most ${MAX_IN_FLIGHT} requests at once`));
    client.inFlight++;
    try {
      const result = await this.run(m.call, m.args);
      this.send(client, JSON.stringify({ id, ok: true, result } satisfies WsReply));
    } catch (err) {
      this.answer(client, id, toFerryError(err));
    } finally {
      client.inFlight--;
    }
  }

  private answer(client: Client, id: WsRequestId | null, e: FerryError): void {
    this.send(client, JSON.stringify({ id, ok: false, error: publicError(e) } satisfies WsReply));
  }

  private send(client: Client, text: string): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(text);
  }

  private retryState(c: Client): void {
    if (c.retryTimer) return;
    c.retryTimer = setTimeout(() => {
      c.retryTimer = null;
      if (c.pendingState === null) return;
      if (c.ws.bufferedAmount > MAX_BUFFERED_BYTES) return this.retryState(c);
      const text = c.pendingState;
      c.pendingState = null;
      this.send(c, text);
    }, STATE_RETRY_MS);
  }

  private beat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
