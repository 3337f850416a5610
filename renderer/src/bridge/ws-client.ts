// The contract in a browser, for the UI as `ferry serve` serves it: commands as requests over
// one WebSocket, events pushed back on it, and dropped or picked files uploaded to the daemon
// (a browser cannot hand over paths), streamed from the File itself, never read whole.
//
// Wire format: WsRequest, WsReply and WsEvent in main/core/contract/commands.ts, which the other
// end (main/hosts/web/ws-clients.ts) uses too. Dropped files go as POST
// /api/upload?token&batch&path&mtime (body: the file; main/hosts/web/serve-http.ts), then the
// serve call sendBatch(peerKey, batch).

import {
  COMMANDS,
  remote,
  SERVE_CALLS,
  type AppState,
  type Commands,
  type DroppedFile,
  type FerryBridge,
  type HostCapabilities,
  type SendResultView,
  type ServeCalls,
  type UiEvent,
  type WsCallName,
  type WsRequest,
  type WsServerMessage,
} from '../contract.js';

const TOKEN_KEY = 'ferry.serve.token';
/** A call made while disconnected waits this long for the connection to come (back). */
const WAIT_FOR_CONNECTION_MS = 15_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5_000;
/** Files uploaded at once: enough to hide per-request latency, few enough to keep the order. */
const PARALLEL_UPLOADS = 3;

const HOST: HostCapabilities = { kind: 'browser', nativePickers: false, openFiles: false };

/** Rejections carry the engine's error code, like a FerryError does in the other hosts. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FerryError';
  }
}

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

const NO_TOKEN_MESSAGE =
  'This page has no valid access key. Open the link that “ferry serve” printed in its terminal (it ends in ?token=…).';

/** One WebSocket to the daemon, reconnected with backoff; requests matched to replies by id. */
class Connection {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private waiters: Array<{ go: () => void; fail: (e: Error) => void }> = [];
  private readonly listeners = new Set<(e: UiEvent) => void>();
  private attempt = 0;
  private fatal: BridgeError | null = null;

  constructor(private readonly token: string | null) {
    if (!token) this.fatal = new BridgeError('AUTH_REQUIRED', NO_TOKEN_MESSAGE);
    else this.connect();
  }

  onEvent(listener: (e: UiEvent) => void): () => void {
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
        reject(new BridgeError('CONNECTION_LOST', 'lost the connection to ferry serve'));
      }
    });
  }

  private ready(): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.ws?.readyState === WebSocket.OPEN) return Promise.resolve();
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
        reject(new BridgeError('CONNECTION_LOST', 'not connected to ferry serve (is it still running?)'));
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
      this.attempt = 0;
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
      for (const p of this.pending.values()) p.reject(new BridgeError('CONNECTION_LOST', 'lost the connection to ferry serve'));
      this.pending.clear();
      if (opened) this.retry();
      else void this.checkRefusal();
    };
  }

  /** A handshake that never opened: a wrong token is final, a daemon that is down is not. */
  private async checkRefusal(): Promise<void> {
    try {
      const res = await fetch(`/api/session?token=${encodeURIComponent(this.token!)}`, { cache: 'no-store' });
      if (res.status === 401 || res.status === 403) {
        this.fatal = new BridgeError('AUTH_FAILED', NO_TOKEN_MESSAGE);
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
    else p.reject(new BridgeError(String(msg.error?.code ?? 'INTERNAL'), String(msg.error?.message ?? 'the request failed')));
  }

  private emit(e: UiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('a Ferry event listener failed', err);
      }
    }
  }
}

/** Uploads files into one staging batch, a few at a time; the first failure stops the rest. */
async function uploadAll(token: string, batch: string, files: DroppedFile[]): Promise<void> {
  const abort = new AbortController();
  let next = 0;
  const first: { failure: Error | null } = { failure: null };
  const worker = async (): Promise<void> => {
    while (first.failure === null && next < files.length) {
      const f = files[next++]!;
      try {
        await uploadOne(token, batch, f, abort.signal);
      } catch (err) {
        first.failure ??= err instanceof Error ? err : new BridgeError('INTERNAL', String(err));
        abort.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, files.length) }, worker));
  if (first.failure !== null) throw first.failure;
}

async function uploadOne(token: string, batch: string, f: DroppedFile, signal: AbortSignal): Promise<void> {
  // DataTransfer entries say "/folder/file"; the wire wants "folder/file".
  const rel = (f.relativePath || f.file.name).replace(/^\/+/, '');
  const query = new URLSearchParams({ token, batch, path: rel, mtime: String(Math.trunc(f.file.lastModified)) });
  let res: Response;
  try {
    // A File body is streamed from disk by the browser, with its size as Content-Length.
    res = await fetch(`/api/upload?${query.toString()}`, {
      method: 'POST',
      body: f.file,
      headers: { 'Content-Type': 'application/octet-stream' },
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw new BridgeError('CANCELLED', `${rel}: upload stopped`);
    throw new BridgeError('CONNECTION_LOST', `${rel}: the upload to ferry serve failed (${(err as Error).message})`);
  }
  if (res.ok) return;
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = ((await res.json()) as { error?: typeof error }).error;
  } catch {
    // Not our JSON (a proxy, a crash): the status says enough.
  }
  const code = typeof error?.code === 'string' ? error.code : 'IO_ERROR';
  const message = typeof error?.message === 'string' ? error.message : `upload failed (HTTP ${res.status})`;
  throw new BridgeError(code, `${rel}: ${message}`);
}

export function createWsBridge(): FerryBridge {
  const token = takeToken();
  const conn = new Connection(token);
  const commands = remote<Commands>(COMMANDS, (name, args) => conn.request(name, args));
  const serve = remote<ServeCalls>(SERVE_CALLS, (name, args) => conn.request(name, args));

  const sendDropped = async (peerKey: string, files: DroppedFile[]): Promise<SendResultView> => {
    if (files.length === 0) throw new BridgeError('BAD_MESSAGE', 'nothing to send');
    if (!token) throw new BridgeError('AUTH_REQUIRED', NO_TOKEN_MESSAGE);
    const batch = randomId();
    try {
      await uploadAll(token, batch, files);
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
    // No await before click(): the picker needs the user's click to still count as one.
    pickAndSend: (peerKey, kind) =>
      new Promise<SendResultView | null>((resolve, reject) => {
        const input = document.createElement('input');
        input.type = 'file';
        input.multiple = true;
        if (kind === 'folder') input.webkitdirectory = true;
        input.style.display = 'none';
        document.body.append(input);
        let settled = false;
        const done = (picked: File[] | null): void => {
          if (settled) return;
          settled = true;
          input.remove();
          if (!picked || picked.length === 0) return resolve(null);
          // A folder's files carry "folder/sub/name" in webkitRelativePath.
          const files = picked.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
          sendDropped(peerKey, files).then(resolve, reject);
        };
        input.addEventListener('change', () => done(input.files ? [...input.files] : null));
        input.addEventListener('cancel', () => done(null));
        input.click();
      }),
    openReceived: async () => {
      throw new BridgeError(
        'BAD_MESSAGE',
        'opening received files is not available in the browser; they are in the download folder of the computer running ferry serve',
      );
    },
    pickFolder: async () => null,
  } satisfies FerryBridge;
  return bridge;
}
