// The message schema and the wire-path rules: validateMessage is the one gate between the
// network and the engine, so every field's type and range is pinned here, and every way a
// sender-chosen path could escape the download folder or misbehave on some file system.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FerryError } from '../../main/core/errors.js';
import { encodeFrame, parseHeader } from '../../main/core/protocol/frame.js';
import {
  MAX_CHUNK_BYTES,
  MAX_ENTRIES_PER_FRAME,
  MAX_HEADER_BYTES,
  MAX_OFFER_ENTRIES,
  MAX_MTIME,
  MAX_SIZE,
  MAX_TEXT_BYTES,
} from '../../main/core/protocol/limits.js';
import {
  bodyLength,
  inFrames,
  protocolVersion,
  validateMessage,
  type FileEntry,
  type ResumePoint,
} from '../../main/core/protocol/messages.js';
import { componentProblem, portableName, printable, wirePathProblem } from '../../main/core/protocol/wire-path.js';
import { LONG_PATH_4096, UNSAFE_PATHS } from '../helpers.js';

type Json = Record<string, unknown>;

const DEVICE_ID = '0123456789abcdef'.repeat(4);
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** One valid example of every message type (and both shapes of answer and verdict). */
const VALID: Record<string, Json> = {
  hello: {
    type: 'hello',
    protocol: '1.0',
    deviceId: DEVICE_ID,
    deviceName: 'Zoë’s laptop',
    platform: 'linux',
    appVersion: '0.1.0',
    nonce: 'a1'.repeat(32),
    auth: 'none',
  },
  auth: { type: 'auth', proof: 'b2'.repeat(32) },
  offer: { type: 'offer', transferId: 'Ab_9-xYz', entryCount: 2, totalBytes: 10 },
  files: {
    type: 'files',
    entries: [
      { path: 'photos/a.jpg', size: 10, mtime: 1_700_000_000_000 },
      { path: 'photos', dir: true },
    ],
  },
  'answer (accept)': { type: 'answer', transferId: 'Ab_9-xYz', accept: true, resumeCount: 1, refusedCount: 0 },
  'answer (accept, 1.1 refusals)': { type: 'answer', transferId: 'Ab_9-xYz', accept: true, resumeCount: 0, refusedCount: 2 },
  'answer (decline)': { type: 'answer', transferId: 'Ab_9-xYz', accept: false, code: 'DECLINED', message: 'not now' },
  resume: { type: 'resume', entries: [{ file: 0, offset: 5, md5: MD5 }] },
  data: { type: 'data', file: 0, offset: 0, length: 1 },
  'file-end': { type: 'file-end', file: 0, md5: MD5 },
  'file-error': { type: 'file-error', file: 3, code: 'SOURCE_CHANGED', message: 'modified while sending' },
  'verdict (ok)': { type: 'verdict', file: 0, ok: true },
  'verdict (failed)': { type: 'verdict', file: 0, ok: false, code: 'CHECKSUM_MISMATCH', message: 'md5 differs' },
  end: { type: 'end' },
  received: { type: 'received', bytes: 1_048_576 },
  text: { type: 'text', transferId: 'Ab_9-xYz', bytes: 12 },
  cancel: { type: 'cancel', message: 'changed my mind' },
  error: { type: 'error', code: 'BAD_FRAME', message: 'header length 0' },
};

/** Validates what a peer would send: JSON text through the real header parser. */
function fromWire(text: string): ReturnType<typeof validateMessage> {
  return validateMessage(parseHeader(Buffer.from(text, 'utf8')));
}

function clone(o: Json): Json {
  return structuredClone(o);
}

/** Sets (or deletes, for undefined) a field; "entries.0.size" reaches into a list. */
function withField(base: Json, field: string, value: unknown): Json {
  const o = clone(base);
  const keys = field.split('.');
  let target: Record<string, unknown> = o;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return o;
}

// JSON cannot say NaN or Infinity, but 1e400 parses to Infinity: a marker is replaced in the text.
const INF = '__INFINITY__';
const NEG_INF = '__NEG_INFINITY__';
function toWireText(o: Json): string {
  return JSON.stringify(o).replace(`"${INF}"`, '1e400').replace(`"${NEG_INF}"`, '-1e400');
}

function rejects(o: Json, code: string, why: string): void {
  const text = toWireText(o);
  assert.throws(
    () => fromWire(text),
    (err: unknown) => err instanceof FerryError && err.code === code,
    `${why}: expected ${code} for ${text.slice(0, 200)}`,
  );
}

function accepts(o: Json, why: string): void {
  const text = toWireText(o);
  assert.doesNotThrow(() => fromWire(text), `${why}: ${text.slice(0, 200)}`);
}

test('every message type accepts a valid example and returns exactly its fields', () => {
  for (const [name, example] of Object.entries(VALID)) {
    assert.deepEqual(fromWire(JSON.stringify(example)), example, name);
  }
  assert.deepEqual(fromWire('{"type":"cancel"}'), { type: 'cancel', message: '' }, 'cancel without a message');
});

test('protocol versions compare as decimal numbers: 01.0 is 1.0, and 1.10 is newer than 1.9', () => {
  assert.deepEqual(protocolVersion('1.1'), { major: 1, minor: 1 });
  assert.deepEqual(protocolVersion('01.0'), { major: 1, minor: 0 });
  assert.deepEqual(protocolVersion('0001.0010'), { major: 1, minor: 10 });
  assert.ok(protocolVersion('1.10').minor > protocolVersion('1.9').minor);
  assert.deepEqual(protocolVersion('9999.9999'), { major: 9999, minor: 9999 });
});

test('an accepting answer without refusedCount (a 1.0 receiver) reads as none; a declining one ignores it', () => {
  const base = VALID['answer (accept, 1.1 refusals)']!;
  accepts(withField(base, 'refusedCount', MAX_OFFER_ENTRIES), 'refusedCount = max');
  for (const v of [-1, 0.5, MAX_OFFER_ENTRIES + 1, '1', null, true, INF])
    rejects(withField(base, 'refusedCount', v), 'BAD_MESSAGE', `refusedCount = ${String(v)}`);
  const m = fromWire('{"type":"answer","transferId":"t","accept":true,"resumeCount":0}');
  assert.deepEqual(m, { type: 'answer', transferId: 't', accept: true, resumeCount: 0, refusedCount: 0 });
  assert.deepEqual(fromWire('{"type":"answer","transferId":"t","accept":false,"code":"DECLINED","message":"no","refusedCount":-4}'), {
    type: 'answer',
    transferId: 't',
    accept: false,
    code: 'DECLINED',
    message: 'no',
  });
});

test('a text message (1.2) carries its text as a body of 1 to 64 KiB bytes, never in the header', () => {
  assert.equal(MAX_TEXT_BYTES, 64 * 1024);
  const m = fromWire('{"type":"text","transferId":"t","bytes":5,"text":"ignored"}');
  assert.deepEqual(m, { type: 'text', transferId: 't', bytes: 5 });
  assert.equal(bodyLength(m), 5);
  assert.equal(bodyLength(fromWire(JSON.stringify(VALID.data))), 1);
  for (const name of Object.keys(VALID).filter((k) => k !== 'data' && k !== 'text')) {
    assert.equal(bodyLength(fromWire(JSON.stringify(VALID[name]))), 0, name);
  }
  // Why a body: 64 KiB of newlines or control characters escaped in JSON would not fit a header.
  const escaped = JSON.stringify({ type: 'text', transferId: 't', text: '\n'.repeat(MAX_TEXT_BYTES) });
  assert.ok(Buffer.byteLength(escaped) > MAX_HEADER_BYTES);
  rejects({ type: 'text', transferId: 't', text: 'hello' }, 'BAD_MESSAGE', 'the text in the header, no bytes');
});

test('unknown extra fields are dropped, not passed on', () => {
  assert.deepEqual(fromWire('{"type":"end","extra":{"deep":[1,2]},"x":1}'), { type: 'end' });
  assert.deepEqual(fromWire(JSON.stringify({ ...VALID.data, extra: 'ignored' })), VALID.data);
});

test('a __proto__ key in a header neither pollutes Object.prototype nor reaches the message', () => {
  const m = fromWire('{"type":"offer","transferId":"t","entryCount":1,"totalBytes":0,"__proto__":{"polluted":true}}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(m).sort(), ['entryCount', 'totalBytes', 'transferId', 'type']);
});

test('an error code this version does not know is kept as an error, mapped to INTERNAL', () => {
  assert.deepEqual(fromWire('{"type":"error","code":"FROM_THE_FUTURE","message":"m"}'), {
    type: 'error',
    code: 'INTERNAL',
    message: 'm',
  });
});

test('a header without a string type is BAD_MESSAGE and an unknown type is UNKNOWN_TYPE', () => {
  rejects({}, 'BAD_MESSAGE', 'no type');
  rejects({ kind: 'hello' }, 'BAD_MESSAGE', 'no type');
  for (const t of [1, null, true, ['hello'], { hello: 1 }]) rejects({ type: t }, 'BAD_MESSAGE', 'non-string type');
  for (const t of ['HELLO', 'Hello', 'helo', '', 'hello ', 'x'.repeat(10_000), '__proto__', 'constructor', 'toString']) {
    rejects({ type: t }, 'UNKNOWN_TYPE', 'unknown type');
  }
});

// [example, field, min, max] for every integer field.
const INTEGER_FIELDS: Array<[string, string, number, number]> = [
  ['offer', 'entryCount', 1, MAX_OFFER_ENTRIES],
  ['offer', 'totalBytes', 0, MAX_SIZE],
  ['files', 'entries.0.size', 0, MAX_SIZE],
  ['files', 'entries.0.mtime', -MAX_MTIME, MAX_MTIME],
  ['answer (accept)', 'resumeCount', 0, MAX_OFFER_ENTRIES],
  ['received', 'bytes', 0, MAX_SIZE],
  ['text', 'bytes', 1, MAX_TEXT_BYTES],
  ['resume', 'entries.0.file', 0, MAX_OFFER_ENTRIES - 1],
  ['resume', 'entries.0.offset', 1, MAX_SIZE],
  ['data', 'file', 0, MAX_OFFER_ENTRIES - 1],
  ['data', 'offset', 0, MAX_SIZE],
  ['data', 'length', 1, MAX_CHUNK_BYTES],
  ['file-end', 'file', 0, MAX_OFFER_ENTRIES - 1],
  ['file-error', 'file', 0, MAX_OFFER_ENTRIES - 1],
  ['verdict (ok)', 'file', 0, MAX_OFFER_ENTRIES - 1],
  ['verdict (failed)', 'file', 0, MAX_OFFER_ENTRIES - 1],
];

test('every integer field accepts its bounds and rejects wrong types, fractions, out-of-range and infinite values', () => {
  for (const [name, field, min, max] of INTEGER_FIELDS) {
    const base = VALID[name]!;
    const what = `${name}.${field}`;
    accepts(withField(base, field, min), `${what} = min`);
    accepts(withField(base, field, max), `${what} = max`);
    const bad: unknown[] = [
      undefined, // missing
      String(min),
      null,
      true,
      [min],
      { value: min },
      // Near 2^53 doubles have no fractions, so those bounds get a fraction of their own.
      Math.abs(min) > 2 ** 52 ? -12345.5 : min + 0.5,
      max > 2 ** 52 ? 12345.5 : max - 0.5,
      min - 1,
      max + 1,
      2 ** 64,
      -(2 ** 64),
      INF,
      NEG_INF,
    ];
    if (min >= 0) bad.push(-1, -0.5);
    for (const v of bad) rejects(withField(base, field, v), 'BAD_MESSAGE', `${what} = ${String(v)}`);
  }
});

test('sizes and offsets above 2^53 - 1 are rejected, also when JSON rounds them to 2^53', () => {
  for (const big of ['9007199254740992', '9007199254740993', '18446744073709551615', '1e16']) {
    assert.throws(() => fromWire(`{"type":"offer","transferId":"t","entryCount":1,"totalBytes":${big}}`), { code: 'BAD_MESSAGE' });
    assert.throws(() => fromWire(`{"type":"data","file":0,"offset":${big},"length":1}`), { code: 'BAD_MESSAGE' });
    assert.throws(() => fromWire(`{"type":"files","entries":[{"path":"a","size":${big},"mtime":0}]}`), { code: 'BAD_MESSAGE' });
  }
  assert.doesNotThrow(() => fromWire('{"type":"data","file":0,"offset":9007199254740991,"length":1}'));
});

// [example, field, good values, bad values] for every string field.
const STRING_FIELDS: Array<[string, string, unknown[], unknown[]]> = [
  ['hello', 'protocol', ['1.0', '1.12', '9999.9999', '2.0'], ['1', '1.0.0', 'v1.0', '', '1.0\n', '12345.0', '1.x', 1, null, undefined]],
  [
    'hello',
    'deviceId',
    [DEVICE_ID, 'f'.repeat(64)],
    [DEVICE_ID.slice(1), `${DEVICE_ID}0`, DEVICE_ID.toUpperCase(), `g${DEVICE_ID.slice(1)}`, `${DEVICE_ID.slice(1)}\n`, '', 42, undefined],
  ],
  ['hello', 'deviceName', ['', 'x'.repeat(64), '😀'.repeat(32)], ['x'.repeat(65), 7, null, ['a'], undefined]],
  ['hello', 'platform', ['win32', 'p'.repeat(32)], ['p'.repeat(33), 1, undefined]],
  ['hello', 'appVersion', ['1.2.3-beta', 'v'.repeat(32)], ['v'.repeat(33), 1, undefined]],
  ['hello', 'nonce', ['0'.repeat(64)], ['0'.repeat(63), '0'.repeat(65), 'A'.repeat(64), 'z'.repeat(64), '', 1, undefined]],
  ['hello', 'auth', ['none', 'secret'], ['', 'NONE', 'password', 'secret ', 1, true, null, undefined]],
  ['auth', 'proof', ['f'.repeat(64)], ['f'.repeat(63), 'F'.repeat(64), `${'f'.repeat(63)}\n`, '', 0, undefined]],
  [
    'offer',
    'transferId',
    ['a', 'A-b_0', 't'.repeat(64)],
    ['', 't'.repeat(65), 'a/b', 'a.b', '../x', 'a b', 'é', 'a\n', 7, null, undefined],
  ],
  ['answer (accept)', 'transferId', ['x'], ['', 'a/b', 1, undefined]],
  ['text', 'transferId', ['a', 't'.repeat(64)], ['', 't'.repeat(65), 'a/b', 'a b', 7, null, undefined]],
  ['answer (decline)', 'message', ['', 'm'.repeat(1024)], ['m'.repeat(1025), 1, undefined]],
  ['answer (decline)', 'code', ['NO_SPACE', 'SOMETHING_NEW'], [1, null, 'c'.repeat(257), undefined]],
  ['file-end', 'md5', [MD5, '0'.repeat(32)], [MD5.toUpperCase(), MD5.slice(1), `${MD5}0`, `${MD5.slice(1)}g`, '', 0, undefined]],
  ['resume', 'entries.0.md5', [MD5], [MD5.toUpperCase(), MD5.slice(1), '', 5, undefined]],
  ['file-error', 'message', ['', 'm'.repeat(1024)], ['m'.repeat(1025), 1, undefined]],
  ['file-error', 'code', ['IO_ERROR'], [1, undefined]],
  ['verdict (failed)', 'message', ['m'.repeat(1024)], ['m'.repeat(1025), false, undefined]],
  ['verdict (failed)', 'code', ['CHECKSUM_MISMATCH'], [0, undefined]],
  ['cancel', 'message', ['', 'm'.repeat(1024)], ['m'.repeat(1025), 1, null]],
  ['error', 'message', ['', 'm'.repeat(1024)], ['m'.repeat(1025), {}, undefined]],
  ['error', 'code', ['TIMEOUT'], [1, [], undefined]],
];

test('every string field rejects wrong types, missing values, over-long text and bad patterns', () => {
  for (const [name, field, good, bad] of STRING_FIELDS) {
    const base = VALID[name]!;
    for (const v of good) accepts(withField(base, field, v), `${name}.${field} = ${JSON.stringify(v)}`);
    for (const v of bad) rejects(withField(base, field, v), 'BAD_MESSAGE', `${name}.${field} = ${JSON.stringify(v)}`);
  }
});

test('boolean fields accept only true and false', () => {
  for (const [name, field] of [
    ['answer (accept)', 'accept'],
    ['verdict (ok)', 'ok'],
  ] as const) {
    for (const v of ['true', 1, 0, null, undefined, [true]]) {
      rejects(withField(VALID[name]!, field, v), 'BAD_MESSAGE', `${name}.${field} = ${JSON.stringify(v)}`);
    }
  }
  // A declining answer and a failed verdict need their code and message.
  rejects({ type: 'answer', transferId: 't', accept: false }, 'BAD_MESSAGE', 'decline without code');
  rejects({ type: 'verdict', file: 0, ok: false }, 'BAD_MESSAGE', 'failed verdict without code');
});

test('entry lists must be non-empty arrays of at most 256 objects', () => {
  const file = { path: 'f', size: 0, mtime: 0 };
  for (const entries of [
    [],
    {},
    'a',
    null,
    undefined,
    Array.from({ length: MAX_ENTRIES_PER_FRAME + 1 }, (_, i) => ({ ...file, path: `f${i}` })),
  ]) {
    rejects({ type: 'files', entries }, 'BAD_MESSAGE', `files.entries = ${JSON.stringify(entries)?.slice(0, 40)}`);
  }
  accepts({ type: 'files', entries: Array.from({ length: MAX_ENTRIES_PER_FRAME }, (_, i) => ({ ...file, path: `f${i}` })) }, '256 entries');
  for (const e of ['a', 1, null, [file]]) rejects({ type: 'files', entries: [e] }, 'BAD_MESSAGE', `entry ${JSON.stringify(e)}`);
  for (const entries of [[], Array.from({ length: MAX_ENTRIES_PER_FRAME + 1 }, (_, i) => ({ file: i, offset: 1, md5: MD5 })), [5]]) {
    rejects({ type: 'resume', entries }, 'BAD_MESSAGE', 'resume entries');
  }
});

test('a file entry needs a size and mtime, a folder entry needs dir: true exactly', () => {
  rejects({ type: 'files', entries: [{ path: 'a' }] }, 'BAD_MESSAGE', 'no size');
  rejects({ type: 'files', entries: [{ path: 'a', size: 1 }] }, 'BAD_MESSAGE', 'no mtime');
  rejects({ type: 'files', entries: [{ size: 1, mtime: 0 }] }, 'BAD_MESSAGE', 'no path');
  rejects({ type: 'files', entries: [{ path: 5, size: 1, mtime: 0 }] }, 'BAD_MESSAGE', 'numeric path');
  for (const dir of [false, 'true', 1, null]) {
    rejects({ type: 'files', entries: [{ path: 'a', dir }] }, 'BAD_MESSAGE', `dir = ${JSON.stringify(dir)}`);
  }
  assert.deepEqual(fromWire('{"type":"files","entries":[{"path":"a","dir":true,"size":5}]}'), {
    type: 'files',
    entries: [{ path: 'a', dir: true }],
  });
});

// ---- wire paths ----

const SAFE_PATHS: string[] = [
  'a',
  'photos/2024/IMG 0001.jpg',
  'Zo\u00eb.txt', // NFC
  'Zoe\u0308.txt', // NFD, as macOS writes it
  'Gr\u00fc\u00dfe/\u65e5\u672c\u8a9e/\u{1f600}.png',
  ' leading space',
  'a b  c',
  '.bashrc',
  'dir/.hidden/file',
  'a.b.c',
  'a..b',
  '..a',
  '~$lock.docx',
  '#x%20',
  'CONSOLE',
  'con1',
  'lpt10',
  'nul-file.txt',
  'x'.repeat(255),
  `${'é'.repeat(127)}a`,
  '日'.repeat(85),
  '😀'.repeat(63),
  'a/'.repeat(63) + 'a',
  LONG_PATH_4096,
];

test('wirePathProblem refuses every escaping, non-portable or disguising path', () => {
  for (const [p, why] of UNSAFE_PATHS) {
    assert.notEqual(wirePathProblem(p), null, `${why}: ${JSON.stringify(p.slice(0, 80))} passed`);
  }
});

test('wirePathProblem allows ordinary names: unicode (NFC and NFD), inner spaces, dotfiles, several dots', () => {
  assert.equal(Buffer.byteLength(LONG_PATH_4096), 4096);
  for (const p of SAFE_PATHS) assert.equal(wirePathProblem(p), null, JSON.stringify(p.slice(0, 80)));
});

test("a folder that passed once spares its files nothing: each file's own name and the whole path are still checked", () => {
  assert.equal(wirePathProblem('photos/2024/ok.jpg'), null); // the folder is remembered now
  for (const [p, why] of UNSAFE_PATHS) {
    assert.notEqual(wirePathProblem(`photos/2024/${p}`), null, `${why}: ${JSON.stringify(p.slice(0, 80))} passed`);
  }
  for (const name of ['con', 'LPT1.txt', 'nul .zip', 'CONOUT$', 'conin$.log', 'com\u00b9.txt', 'a:b', 'x.', 'x ', '\u202eexe.jpg'])
    assert.notEqual(wirePathProblem(`photos/2024/${name}`), null, name);
  // Depth and length count the folder too: a path of 64 levels passes, one more does not.
  assert.equal(wirePathProblem(`${'a/'.repeat(63)}a`), null);
  assert.notEqual(wirePathProblem(`${'a/'.repeat(64)}a`), null);
  // More folders than it remembers: still every verdict right.
  for (let i = 0; i < 5000; i++) assert.equal(wirePathProblem(`f${i}/x.txt`), null);
  assert.notEqual(wirePathProblem('f4999/con'), null);
  assert.notEqual(wirePathProblem('f1/x:y'), null);
  assert.notEqual(wirePathProblem('f1/../x'), null);
});

test('an unsafe path in a files message is PATH_UNSAFE, a safe one passes', () => {
  for (const [p, why] of UNSAFE_PATHS) {
    for (const entry of [
      { path: p, size: 1, mtime: 0 },
      { path: p, dir: true },
    ]) {
      rejects({ type: 'files', entries: [{ path: 'fine', size: 0, mtime: 0 }, entry] }, 'PATH_UNSAFE', why);
    }
  }
  for (const p of SAFE_PATHS) accepts({ type: 'files', entries: [{ path: p, size: 1, mtime: 0 }] }, p.slice(0, 40));
});

// What must never reach a terminal raw: C0/C1 controls, DEL and bidi controls.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

test("errors quoting a peer's path or type never carry its control or bidi characters raw", () => {
  const nasty = ['\u001b[31mred', 'a\u009b2Jb', 'evil\u202egpj.exe', 'x\u2066y', 'bell\u0007', 'nl\nx'];
  for (const text of nasty) {
    for (const message of [{ type: 'files', entries: [{ path: text, size: 0, mtime: 0 }] }, { type: text }]) {
      assert.throws(
        () => validateMessage(message),
        (err: unknown) => err instanceof FerryError && !RAW_CONTROL.test(err.message),
        `${JSON.stringify(message)} produced an error message with raw control characters`,
      );
    }
  }
});

test('portableName turns every bad name into one that passes, and leaves good names alone', () => {
  const bad = [
    ...UNSAFE_PATHS.map(([p]) => p),
    'con .txt',
    `${'a'.repeat(254)} bb`, // shortening exposes a trailing space
    `${'a'.repeat(254)}.${'b'.repeat(30)}`, // shortening exposes a trailing dot
    `${'a'.repeat(250)}....${'b'.repeat(30)}`,
    `con.${'x'.repeat(251)}`, // reserved and already 255 bytes
    `CON${' '.repeat(250)}x.txt`, // shortening could leave "CON   .txt"
    `${'x'.repeat(300)}.txt`,
    `${'é'.repeat(200)}.jpeg`,
    `${'😀'.repeat(100)}`,
  ];
  for (const name of bad) {
    const out = portableName(name);
    assert.equal(componentProblem(out), null, `${JSON.stringify(name.slice(0, 60))} became ${JSON.stringify(out.slice(0, 60))}`);
    assert.ok(Buffer.byteLength(out) <= 255);
  }
  assert.equal(portableName(`${'x'.repeat(300)}.txt`).endsWith('.txt'), true, 'the extension survives shortening');
  for (const good of ['Zo\u00eb.txt', '.bashrc', 'a.b.c', 'IMG 0001.jpg', '日本語.txt', 'x'.repeat(255)]) {
    assert.equal(portableName(good), good);
  }
  assert.equal(portableName('Zoe\u0308.txt'), 'Zo\u00eb.txt', 'NFD names are sent as NFC');
  assert.equal(portableName('CON'), 'CON_');
  assert.equal(portableName('nul.txt'), 'nul_.txt');
  assert.equal(portableName('a:b'), 'a_b');
});

test('printable shows control and bidi characters escaped', () => {
  assert.equal(printable('a\u001b[31mb\u202ec\u009b\n'), 'a\\x1b[31mb\\x202ec\\x9b\\x0a');
  assert.equal(printable('Zoë 😀'), 'Zoë 😀');
});

// ---- grouping lists into frames ----

function fileEntries(count: number, path: (i: number) => string): FileEntry[] {
  return Array.from({ length: count }, (_, i) => ({ path: path(i), size: MAX_SIZE, mtime: -MAX_MTIME }));
}

function checkGroups<T>(items: T[], frame: (group: T[]) => object): T[][] {
  const groups = [...inFrames(items)];
  assert.deepEqual(groups.flat(), items, 'groups hold every item once, in order');
  for (const g of groups) {
    assert.ok(g.length >= 1 && g.length <= MAX_ENTRIES_PER_FRAME, `a group of ${g.length}`);
    const encoded = encodeFrame(frame(g)); // throws above the cap
    assert.ok(encoded.length - 4 <= MAX_HEADER_BYTES);
    // And the receiver accepts what the sender groups.
    assert.doesNotThrow(() => validateMessage(parseHeader(encoded.subarray(4))));
  }
  return groups;
}

test('inFrames keeps every files frame under the header cap, even with 4096-byte paths', () => {
  const ascii = fileEntries(200, (i) => LONG_PATH_4096.slice(0, -4) + String(i).padStart(4, '0'));
  const groups = checkGroups(ascii, (g) => ({ type: 'files', entries: g }));
  assert.ok(groups.length > 1);

  const wide = '日'.repeat(85);
  const threeByte = fileEntries(60, (i) => [...Array.from({ length: 15 }, () => wide), `${i}`].join('/'));
  checkGroups(threeByte, (g) => ({ type: 'files', entries: g }));
});

test('inFrames puts at most 256 entries in a frame', () => {
  const groups = checkGroups(
    fileEntries(1000, (i) => `f${i}`),
    (g) => ({ type: 'files', entries: g }),
  );
  assert.deepEqual(
    groups.map((g) => g.length),
    [256, 256, 256, 232],
  );
  const resume: ResumePoint[] = Array.from({ length: 600 }, (_, i) => ({ file: i, offset: MAX_SIZE, md5: MD5 }));
  assert.deepEqual(
    checkGroups(resume, (g) => ({ type: 'resume', entries: g })).map((g) => g.length),
    [256, 256, 88],
  );
  assert.deepEqual([...inFrames([])], []);
});
