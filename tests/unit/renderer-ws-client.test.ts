// The browser's bridge under `ferry serve` (renderer/src/bridge/ws-client.ts), run in Node
// with the few browser globals it touches faked: a WebSocket that records what is sent, an
// XMLHttpRequest and a fetch that take uploads. It must expose every command of the table, send
// each as the shared WsRequest, settle it from the WsReply with the same id, report uploads and
// the connection as they change, and fail calls at once while the daemon is away.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  COMMAND_NAMES,
  type BridgeEvent,
  type FerryBridge,
  type UiEvent,
  type UploadView,
  type WsReply,
  type WsRequest,
  type WsServerMessage,
} from '../../main/core/contract/index.js';
import { sleep } from '../helpers.js';

class FakeWebSocket {
  static readonly OPEN = 1;
  static readonly all: FakeWebSocket[] = [];
  readyState = 0;
  readonly sent: WsRequest[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;

  close(): void {
    this.readyState = 3;
    this.onclose?.();
  }

  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text) as WsRequest);
  }

  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
  }

  /** What the daemon would send. */
  push(m: WsServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }

  /** The requests sent since `from`, once they are there. */
  async requests(from: number, count: number): Promise<WsRequest[]> {
    for (let i = 0; i < 200 && this.sent.length < from + count; i++) await sleep(5);
    return this.sent.slice(from, from + count);
  }
}

const uploads: string[] = [];
let uploadStatus = 200;
/** Uploads wait for this before they finish (a test holds them to see them in progress). */
let uploadGate: Promise<void> = Promise.resolve();

/** Just what uploads.ts uses: open, setRequestHeader, send(File), upload.onprogress, onload/onerror/onabort. */
class FakeXMLHttpRequest {
  url = '';
  status = 0;
  responseText = '';
  readonly upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  private aborted = false;
  open(_method: string, url: string): void {
    this.url = url;
  }
  setRequestHeader(): void {}
  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }
  send(body: File): void {
    uploads.push(this.url);
    this.upload.onprogress?.({ loaded: Math.floor(body.size / 2) });
    void uploadGate.then(() => {
      if (this.aborted) return;
      this.status = uploadStatus;
      this.responseText =
        uploadStatus === 200
          ? JSON.stringify({ ok: true })
          : JSON.stringify({ ok: false, error: { code: 'NO_SPACE', message: 'not enough disk space' } });
      this.onload?.();
    });
  }
}

const saved: Record<string, unknown> = {};
const GLOBALS = ['window', 'sessionStorage', 'WebSocket', 'fetch', 'XMLHttpRequest'] as const;

before(() => {
  for (const g of GLOBALS) saved[g] = (globalThis as Record<string, unknown>)[g];
  const store = new Map<string, string>();
  Object.assign(globalThis, {
    window: { location: new URL('http://127.0.0.1:41234/?token=tok'), history: { state: null, replaceState: () => {} } },
    sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    WebSocket: FakeWebSocket,
    XMLHttpRequest: FakeXMLHttpRequest,
    fetch: async (url: string) => {
      uploads.push(url);
      if (uploadStatus === 200) return new Response(JSON.stringify({ ok: true }), { status: 200 });
      return new Response(JSON.stringify({ ok: false, error: { code: 'NO_SPACE', message: 'not enough disk space' } }), {
        status: uploadStatus,
      });
    },
  });
});

after(() => Object.assign(globalThis, saved));

/** A bridge on an open fake socket, with the state request it makes on connecting answered. */
async function connected(): Promise<{ bridge: FerryBridge; ws: FakeWebSocket; events: BridgeEvent[] }> {
  // Loaded by URL: the file's DOM types are the renderer's tsconfig's business, not the tests'.
  const url = new URL('../../renderer/src/bridge/ws-client.ts', import.meta.url).href;
  const { createWsBridge } = (await import(url)) as { createWsBridge: () => FerryBridge };
  const bridge = createWsBridge();
  const ws = FakeWebSocket.all.at(-1)!;
  assert.equal(ws.url, 'ws://127.0.0.1:41234/api/ws?token=tok');
  const events: BridgeEvent[] = [];
  bridge.onEvent((e) => events.push(e));
  ws.open();
  const [hello] = await ws.requests(0, 1);
  assert.deepEqual(hello, { id: 1, call: 'getState', args: [] });
  ws.push({ id: 1, ok: true, result: { device: 'fresh', peers: [{ key: 'peer-1', name: 'Bob' }] } });
  await sleep(0);
  assert.deepEqual(events, [
    { type: 'connection', connected: true },
    { type: 'state', state: { device: 'fresh', peers: [{ key: 'peer-1', name: 'Bob' }] } },
  ]);
  return { bridge, ws, events };
}

describe('the WebSocket bridge', () => {
  test('exposes every command of the table, and nothing but the FerryBridge', async () => {
    const { bridge } = await connected();
    const expected = [
      ...COMMAND_NAMES,
      'host',
      'sendDropped',
      'cancelUpload',
      'pickAndSend',
      'openReceived',
      'openTextLink',
      'pickFolder',
      'onEvent',
    ].sort();
    assert.deepEqual(Object.keys(bridge).sort(), expected);
    assert.deepEqual(bridge.host, { kind: 'browser', nativePickers: false, openFiles: false });
    // A message's link opens from the page itself (an <a target="_blank">): no host call for it here.
    await assert.rejects(bridge.openTextLink('t1'), { name: 'FerryError', code: 'BAD_MESSAGE' });
  });

  test('sends every command as {id, call, args} and resolves it with the reply of the same id', async () => {
    const { bridge, ws } = await connected();
    for (const name of COMMAND_NAMES) {
      const args = [`arg of ${name}`];
      const from = ws.sent.length;
      const pending = (bridge[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      const [req] = await ws.requests(from, 1);
      assert.deepEqual({ call: req!.call, args: req!.args }, { call: name, args });
      ws.push({ id: req!.id, ok: true, result: { answerTo: name } } satisfies WsReply);
      assert.deepEqual(await pending, { answerTo: name });
    }
  });

  test('a refusal rejects with its code; an event reaches the listeners', async () => {
    const { bridge, ws, events } = await connected();
    const from = ws.sent.length;
    const pending = bridge.cancelTransfer('t1');
    const [req] = await ws.requests(from, 1);
    ws.push({ id: req!.id, ok: false, error: { code: 'BAD_MESSAGE', message: 'bad arguments for cancelTransfer' } });
    await assert.rejects(pending, { name: 'FerryError', code: 'BAD_MESSAGE', message: 'bad arguments for cancelTransfer' });
    const offer = { type: 'offer', offer: { id: 'o1' } } as unknown as UiEvent;
    ws.push({ event: offer });
    assert.deepEqual(events.at(-1), offer);
  });

  test('dropped files are uploaded into a batch, then sent with sendBatch; a failed upload discards the batch', async () => {
    const { bridge, ws } = await connected();
    uploadStatus = 200;
    uploads.length = 0;
    let from = ws.sent.length;
    const sending = bridge.sendDropped('peer-1', [{ file: new File(['hello'], 'a.txt'), relativePath: '/holiday/a.txt' }]);
    const [send] = await ws.requests(from, 1);
    assert.equal(uploads.length, 1);
    const query = new URL(uploads[0]!, 'http://x').searchParams;
    assert.equal(query.get('path'), 'holiday/a.txt');
    const batch = query.get('batch')!;
    assert.deepEqual({ call: send!.call, args: send!.args }, { call: 'sendBatch', args: ['peer-1', batch] });
    ws.push({ id: send!.id, ok: true, result: { transferId: 'tid' } });
    assert.deepEqual(await sending, { transferId: 'tid' });

    uploadStatus = 507;
    from = ws.sent.length;
    await assert.rejects(bridge.sendDropped('peer-1', [{ file: new File(['x'], 'b.txt'), relativePath: 'b.txt' }]), { code: 'NO_SPACE' });
    const [discard] = await ws.requests(from, 1);
    const failedBatch = new URL(uploads.at(-1)!, 'http://x').searchParams.get('batch');
    assert.deepEqual({ call: discard!.call, args: discard!.args }, { call: 'discardBatch', args: [failedBatch] });
  });

  test('an upload is listed from the start with its bytes, a second identical one is refused, Cancel stops it', async () => {
    const { bridge, ws, events } = await connected();
    uploadStatus = 200;
    let release!: () => void;
    uploadGate = new Promise((r) => (release = r));
    const big = new File([new Uint8Array(1000)], 'film.mp4');
    const files = [{ file: big, relativePath: 'film.mp4' }];
    const from = ws.sent.length;
    const first = bridge.sendDropped('peer-1', files);
    await sleep(200);
    const listed = events.filter((e): e is { type: 'uploads'; uploads: UploadView[] } => e.type === 'uploads');
    const last = listed.at(-1)!.uploads;
    assert.equal(last.length, 1);
    assert.equal(last[0]!.peerName, 'Bob');
    assert.deepEqual(last[0]!.label, { first: 'film.mp4', firstIsDir: false, count: 1 });
    assert.equal(last[0]!.totalBytes, 1000);
    assert.equal(last[0]!.sentBytes, 500, 'progress from the upload reaches the row');
    await assert.rejects(bridge.sendDropped('peer-1', files), { code: 'INVALID_STATE' });
    release();
    // The refused one threw its empty batch away (discardBatch); the first goes on to sendBatch.
    const sent = await ws.requests(from, 2);
    const send = sent.find((r) => r.call === 'sendBatch');
    assert.deepEqual(
      sent.map((r) => r.call),
      ['discardBatch', 'sendBatch'],
    );
    ws.push({ id: send!.id, ok: true, result: { transferId: 't-film' } });
    assert.deepEqual(await first, { transferId: 't-film' });
    assert.deepEqual((events.at(-1) as { uploads: UploadView[] }).uploads, [], 'the row goes once the transfer exists');

    uploadGate = new Promise(() => {}); // never finishes by itself
    const stopped = bridge.sendDropped('peer-1', [{ file: new File(['abc'], 'c.txt'), relativePath: 'c.txt' }]);
    await sleep(20);
    const id = (events.at(-1) as { uploads: UploadView[] }).uploads[0]!.id;
    bridge.cancelUpload(id);
    await assert.rejects(stopped, { code: 'CANCELLED' });
    uploadGate = Promise.resolve();
  });

  test('empty folders go as folders (dir=1, no body) into the batch they belong to', async () => {
    const { bridge, ws } = await connected();
    uploadStatus = 200;
    uploads.length = 0;
    const from = ws.sent.length;
    const sending = bridge.sendDropped('peer-1', [{ file: new File(['x'], 'a.txt'), relativePath: 'Trip/a.txt' }], ['Trip/empty']);
    const [send] = await ws.requests(from, 1);
    const dir = uploads.map((u) => new URL(u, 'http://x').searchParams).find((q) => q.get('dir') === '1');
    assert.equal(dir?.get('path'), 'Trip/empty');
    ws.push({ id: send!.id, ok: true, result: { transferId: 'tid' } });
    await sending;
  });

  test('a lost connection is reported at once, calls fail at once instead of waiting, and it comes back', async () => {
    const { bridge, ws, events } = await connected();
    ws.close();
    assert.deepEqual(events.at(-1), { type: 'connection', connected: false });
    const started = Date.now();
    await assert.rejects(bridge.updateSettings({ deviceName: 'x' }), { code: 'CONNECTION_LOST' });
    assert.ok(Date.now() - started < 1000, 'not held until a timeout');
    // The bridge reconnects by itself (backoff from 250 ms) and asks for a fresh state.
    let next: FakeWebSocket | undefined;
    for (let i = 0; i < 100 && !next; i++) {
      await sleep(20);
      next = FakeWebSocket.all.at(-1) !== ws ? FakeWebSocket.all.at(-1) : undefined;
    }
    assert.ok(next, 'a new WebSocket was opened');
    next.open();
    assert.deepEqual(events.at(-1), { type: 'connection', connected: true });
    const [hello] = await next.requests(0, 1);
    assert.equal(hello!.call, 'getState');
  });
});
