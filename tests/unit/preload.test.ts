// The built preload (dist/preload/index.js) run the way Electron runs a sandboxed preload: a
// CommonJS script whose `require` knows 'electron' only, here a stub that captures what the
// script exposes through contextBridge and what it sends through ipcRenderer.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import vm from 'node:vm';
import { COMMAND_NAMES, type DroppedFile, type FerryBridge, type UiEvent } from '../../main/core/contract/index.js';
import { COMMAND_CHANNELS, EVENT_CHANNEL, HOST_CHANNELS, type IpcReply } from '../../main/hosts/electron/channels.js';
import { REPO } from '../helpers.js';

const BUNDLE = join(REPO, 'dist', 'preload', 'index.js');

interface Loaded {
  bridge: FerryBridge;
  exposedAs: string[];
  required: string[];
  invokes: Array<{ channel: string; args: unknown[] }>;
  ipcRenderer: EventEmitter;
  /** The next replies ipcRenderer.invoke gives (default: ok with null). */
  replies: IpcReply[];
  paths: Map<File, string>;
}

function load(): Loaded {
  const code = readFileSync(BUNDLE, 'utf8');
  const required: string[] = [];
  const invokes: Loaded['invokes'] = [];
  const replies: IpcReply[] = [];
  const paths = new Map<File, string>();
  const exposed: Array<[string, unknown]> = [];
  const ipcRenderer = Object.assign(new EventEmitter(), {
    async invoke(channel: string, ...args: unknown[]) {
      invokes.push({ channel, args });
      return replies.shift() ?? { ok: true, value: null };
    },
    send() {
      throw new Error('the bridge must not use ipcRenderer.send');
    },
    sendSync() {
      throw new Error('the bridge must not use ipcRenderer.sendSync');
    },
  });
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]) },
    ipcRenderer,
    webUtils: { getPathForFile: (f: File) => paths.get(f) ?? '' },
  };
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id} (a sandboxed preload can only require 'electron')`);
  };
  // The Node globals a non-sandboxed script would see are shadowed: the bundle must not need them.
  const run = vm.compileFunction(code, ['require', 'module', 'exports', 'process', 'Buffer', 'global', '__dirname', '__filename'], {
    filename: BUNDLE,
  });
  const module = { exports: {} };
  run(sandboxRequire, module, module.exports, undefined, undefined, undefined, undefined, undefined);
  assert.equal(exposed.length, 1, 'exposeInMainWorld is called once');
  return { bridge: exposed[0]![1] as FerryBridge, exposedAs: exposed.map(([k]) => k), required, invokes, ipcRenderer, replies, paths };
}

describe('the built preload', () => {
  test('is current and self-contained: one CommonJS file that requires electron and nothing else', () => {
    const built = statSync(BUNDLE).mtimeMs;
    for (const src of ['preload/index.ts', 'main/hosts/electron/channels.ts', 'main/core/contract/commands.ts']) {
      assert.ok(statSync(join(REPO, src)).mtimeMs <= built + 1000, `${src} changed after the bundle was built: run npm run build:preload`);
    }
    const code = readFileSync(BUNDLE, 'utf8');
    const requires = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g)].map((m) => m[2]);
    assert.deepEqual(requires, ['electron']);
    assert.doesNotMatch(code, /^\s*import\s|\bimport\s*\(/m, 'no ES module syntax (a sandboxed preload is a script)');
    assert.deepEqual(load().required, ['electron']);
  });

  test("exposes exactly the FerryBridge's members as window.ferry", () => {
    const { bridge, exposedAs } = load();
    assert.deepEqual(exposedAs, ['ferry']);
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
    assert.deepEqual(bridge.host, { kind: 'electron', nativePickers: true, openFiles: true });
    for (const key of expected.filter((k) => k !== 'host')) assert.equal(typeof bridge[key as keyof FerryBridge], 'function', key);
  });

  test('every command goes to its own channel with its arguments and resolves to the reply value', async () => {
    const l = load();
    const sample: Record<string, unknown[]> = {
      getTransferFiles: ['t1'],
      sendPaths: ['peer', ['/a', '/b']],
      answerOffer: ['o1', 'accept'],
      cancelTransfer: ['t1'],
      retryTransfer: ['t1'],
      dismissTransfer: ['t1'],
      addManualPeer: ['10.0.0.2:33779'],
      removeManualPeer: ['10.0.0.2:33779'],
      untrustDevice: ['dev'],
      updateSettings: [{ notifications: false }],
      setSecret: [null],
    };
    for (const name of COMMAND_NAMES) {
      l.replies.push({ ok: true, value: { answerTo: name } });
      const fn = l.bridge[name] as (...a: unknown[]) => Promise<unknown>;
      assert.deepEqual(await fn(...(sample[name] ?? [])), { answerTo: name });
      assert.deepEqual(l.invokes.at(-1), { channel: COMMAND_CHANNELS[name], args: sample[name] ?? [] });
    }
    assert.equal(l.invokes.length, COMMAND_NAMES.length);
  });

  test('a failed call rejects with a plain {code, message}, which survives the contextBridge', async () => {
    const l = load();
    l.replies.push({ ok: false, error: { code: 'CONNECT_FAILED', message: 'that device is no longer on the network' } });
    await assert.rejects(l.bridge.sendPaths('peer', ['/a']), (err: unknown) => {
      assert.ok(!(err instanceof Error), 'not an Error: the bridge would keep only its message');
      assert.deepEqual(err, { code: 'CONNECT_FAILED', message: 'that device is no longer on the network' });
      return true;
    });
  });

  test('host calls use their own channels', async () => {
    const l = load();
    l.replies.push({ ok: true, value: { transferId: 'x' } });
    assert.deepEqual(await l.bridge.pickAndSend('peer', 'folder'), { transferId: 'x' });
    l.replies.push({ ok: true, value: '/home/u/In' });
    assert.equal(await l.bridge.pickFolder(), '/home/u/In');
    await l.bridge.openReceived('t1', 'a.txt', 'show');
    assert.deepEqual(l.invokes, [
      { channel: HOST_CHANNELS.pickAndSend, args: ['peer', 'folder'] },
      { channel: HOST_CHANNELS.pickFolder, args: [] },
      { channel: HOST_CHANNELS.openReceived, args: ['t1', 'a.txt', 'show'] },
    ]);
  });

  test('onEvent hands the listener the UiEvent only, and its return value unsubscribes', () => {
    const l = load();
    const got: unknown[][] = [];
    const off = l.bridge.onEvent((...args: unknown[]) => void got.push(args));
    const event = { type: 'offer', offer: { id: 'o1' } } as unknown as UiEvent;
    const ipcEvent = { sender: { secret: 'the IpcRendererEvent carries ipcRenderer itself' }, ports: [] };
    l.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.length, 1, 'one argument');
    assert.equal(got[0]![0], event);
    assert.equal(l.ipcRenderer.listenerCount(EVENT_CHANNEL), 1);
    off();
    assert.equal(l.ipcRenderer.listenerCount(EVENT_CHANNEL), 0);
    l.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, event);
    assert.equal(got.length, 1);
  });

  test('dropped files become paths; a dropped folder is sent once, as the folder', async () => {
    const l = load();
    const file = (p: string | null, name = 'f'): File => {
      const f = new File(['x'], name);
      if (p !== null) l.paths.set(f, p);
      return f;
    };
    const dropped: DroppedFile[] = [
      { file: file('/home/u/notes.txt'), relativePath: 'notes.txt' },
      { file: file('/home/u/Pictures/holiday/img1.jpg'), relativePath: 'holiday/img1.jpg' },
      { file: file('/home/u/Pictures/holiday/2024/img2.jpg'), relativePath: 'holiday/2024/img2.jpg' },
      // A folder dropped as itself (Chromium's dataTransfer.files lists it): its own path.
      { file: file('/home/u/Music'), relativePath: 'Music' },
      // Windows paths.
      { file: file('C:\\Users\\u\\Desktop\\proj\\src\\a.ts'), relativePath: 'proj/src/a.ts' },
      // A path that does not end in the relative path (resolved through a link): the file itself.
      { file: file('/mnt/data/real/img3.jpg'), relativePath: 'album/img3.jpg' },
      // Made up in the page: no path, skipped.
      { file: file(null), relativePath: 'ghost.txt' },
    ];
    await l.bridge.sendDropped('peer-1', dropped);
    assert.deepEqual(l.invokes, [
      {
        channel: COMMAND_CHANNELS.sendPaths,
        args: [
          'peer-1',
          ['/home/u/notes.txt', '/home/u/Pictures/holiday', '/home/u/Music', 'C:\\Users\\u\\Desktop\\proj', '/mnt/data/real/img3.jpg'],
        ],
      },
    ]);
  });

  test('a drop with nothing on disk is refused without a call', async () => {
    const l = load();
    await assert.rejects(l.bridge.sendDropped('peer', [{ file: new File(['x'], 'a'), relativePath: 'a' }]), (err: unknown) => {
      assert.equal((err as { code: string }).code, 'IO_ERROR');
      return true;
    });
    assert.deepEqual(l.invokes, []);
  });
});
