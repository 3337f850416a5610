// The contract in a browser, for the UI as `ferry serve` serves it: commands as requests over
// one WebSocket, events pushed back on it, and dropped or picked files uploaded to the daemon
// (a browser cannot hand over paths), streamed from the File itself, never read whole.
//
// Wire format: WsRequest, WsReply and WsEvent in main/core/contract/commands.ts, which the other
// end (main/hosts/web/ws-clients.ts) uses too. Dropped files go as POST
// /api/upload?token&batch&path&mtime (body: the file; main/hosts/web/serve-http.ts; empty
// folders with &dir=1 and no body), then the serve call sendBatch(peerKey, batch): uploads.ts.
//
// When the daemon goes away the UI hears it at once (a 'connection' event), calls fail at once
// instead of waiting, and the connection comes back by itself when the daemon does.

import {
  COMMANDS,
  remote,
  SERVE_CALLS,
  type AppState,
  type BridgeEvent,
  type Commands,
  type DroppedFile,
  type FerryBridge,
  type HostCapabilities,
  type SendResultView,
  type ServeCalls,
  type WsCallName,
  type WsRequest,
  type WsServerMessage,
} from '../contract.js';
import { i18n } from '../i18n/setup.js';
import { BridgeError } from './bridge-error.js';
import { pickFiles } from './pick-files.js';
import { Uploads } from './uploads.js';

const TOKEN_KEY = 'ferry.serve.token';
/** A call made before the first connection waits this long for it. */
const WAIT_FOR_CONNECTION_MS = 15_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5_000;

const HOST: HostCapabilities = { kind: 'browser', nativePickers: false, openFiles: false };

/**
 * The access token `ferry serve` printed in the link. Kept for this tab (a reload still
 * works) and removed from the address bar, so it is not in screenshots, history or bookmarks.
 */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage disabled: this page load still works, a reload needs the link again.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

// The bridge's own failures, in the window's language when they happen (marked translated: the
// UI shows them as they are, not as their code's sentence).
const lost = (): BridgeError => new BridgeError('CONNECTION_LOST', i18n.t('app.bridge.lost'), true);

const noToken = (code: 'AUTH_REQUIRED' | 'AUTH_FAILED'): BridgeError => new BridgeError(code, i18n.t('app.bridge.noToken'), true);

/** One WebSocket to the daemon, reconnected with backoff; requests matched to replies by id. */
class Connection {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private waiters: Array<{ go: () => void; fail: (e: Error) => void }> = [];
  private readonly listeners = new Set<(e: BridgeEvent) => void>();
  private attempt = 0;
  private fatal: BridgeError | null = null;
  /** Once connected, a lost connection fails calls at once: the UI shows why, and comes back by itself. */
  private everConnected = false;

  constructor(private readonly token: string | null) {
    if (!token) this.fatal = noToken('AUTH_REQUIRED');
    else this.connect();
  }

  onEvent(listener: (e: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async request(call: WsCallName, args: unknown[]): Promise<unknown> {
    await this.ready();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      try {
        this.ws!.send(JSON.stringify({ id, call, args } satisfies WsRequest));
      } catch {
        this.pending.delete(id);
        reject(new BridgeError('CONNECTION_LOST', i18n.t('app.bridge.lostRequest'), true));
      }
    });
  }

  private ready(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.ws?.readyState === WebSocket.OPEN) return Promise.resolve();
    if (this.everConnected) return Promise.reject(lost());
    return new Promise((resolve, reject) => {
      const waiter = {
        go: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new BridgeError('CONNECTION_LOST', i18n.t('app.bridge.notConnected'), true));
      }, WAIT_FOR_CONNECTION_MS);
      this.waiters.push(waiter);
    });
  }

  private connect(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}/api/ws?token=${encodeURIComponent(this.token!)}`);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.everConnected = true;
      this.attempt = 0;
      this.emit({ type: 'connection', connected: true });
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.go();
      // Events were missed while away: hand the UI a fresh state straight away.
      void this.request('getState', []).then(
        (state) => this.emit({ type: 'state', state: state as AppState }),
        () => {},
      );
    };
    ws.onmessage = (m) => this.message(m.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // A request in flight may or may not have run; the caller decides whether to try again.
      for (const p of this.pending.values()) p.reject(lost());
      this.pending.clear();
      if (opened) {
        this.emit({ type: 'connection', connected: false });
        this.retry();
      } else void this.checkRefusal();
    };
  }

  /** A handshake that never opened: a wrong token is final, a daemon that is down is not. */
  private async checkRefusal(): Promise<void> {
    try {
      const res = await fetch(`/api/session?token=${encodeURIComponent(this.token!)}`, { cache: 'no-store' });
      if (res.status === 401 || res.status === 403) {
        this.fatal = noToken('AUTH_FAILED');
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w.fail(this.fatal);
        return;
      }
    } catch {
      // The daemon is not answering at all: keep trying.
    }
    this.retry();
  }

  private retry(): void {
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt++;
    setTimeout(() => this.connect(), delay);
  }

  private message(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(data) as WsServerMessage;
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    if ('event' in msg) {
      this.emit(msg.event);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok === true) p.resolve(msg.result);
    // The engine's error: the UI says it in the window's language by its code (errorText).
    else p.reject(new BridgeError(String(msg.error?.code ?? 'INTERNAL'), String(msg.error?.message ?? i18n.t('app.bridge.requestFailed'))));
  }

  emit(e: BridgeEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('a Ferry event listener failed', err);
      }
    }
  }
}

export function createWsBridge(): FerryBridge {
  const token = takeToken();
  const conn = new Connection(token);
  const commands = remote<Commands>(COMMANDS, (name, args) => conn.request(name, args));
  const serve = remote<ServeCalls>(SERVE_CALLS, (name, args) => conn.request(name, args));

  const uploads = new Uploads((list) => conn.emit({ type: 'uploads', uploads: list }));
  // The name shown on an upload's row: the last state the UI heard.
  let lastState: AppState | null = null;
  conn.onEvent((e) => {
    if (e.type === 'state') lastState = e.state;
  });

  const sendDropped = async (peerKey: string, files: DroppedFile[], emptyDirs: string[] = []): Promise<SendResultView> => {
    if (files.length === 0 && emptyDirs.length === 0) throw new BridgeError('BAD_MESSAGE', i18n.t('app.bridge.nothingToSend'), true);
    if (!token) throw noToken('AUTH_REQUIRED');
    const batch = randomId();
    const peerName = lastState?.peers.find((p) => p.key === peerKey)?.name ?? i18n.t('app.bridge.theDevice');
    try {
      await uploads.run({ token, batch, peerKey, peerName, files, emptyDirs });
    } catch (err) {
      void serve.discardBatch(batch).catch(() => {});
      throw err;
    }
    return serve.sendBatch(peerKey, batch);
  };

  const bridge = {
    host: HOST,
    ...commands,
    onEvent: (listener) => conn.onEvent(listener),
    sendDropped,
    cancelUpload: (id) => uploads.cancel(id),
    // No await before click(): the picker needs the user's click to still count as one.
    pickAndSend: async (peerKey, kind) => {
      const files = await pickFiles(kind);
      return files ? sendDropped(peerKey, files) : null;
    },
    openReceived: async () => {
      throw new BridgeError('BAD_MESSAGE', i18n.t('app.bridge.noOpenReceived'), true);
    },
    // The page opens a message's link itself (an <a target="_blank">, MessagesPanel): nothing for the daemon to do.
    openTextLink: async () => {
      throw new BridgeError('BAD_MESSAGE', i18n.t('app.bridge.noOpenLink'), true);
    },
    pickFolder: async () => null,
  } satisfies FerryBridge;
  return bridge;
}
