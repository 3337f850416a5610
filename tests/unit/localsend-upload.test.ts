// LocalSend's prepare-upload and register bodies checked on their own, without a server: what
// passes (as LocalSend 1.17 and 1.18 apps write them), what is refused and with which status,
// where each fileName lands, and the receive PIN's answers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offeredPaths } from '../../main/core/localsend/file-names.js';
import { PinGate } from '../../main/core/localsend/pin.js';
import { Refusal } from '../../main/core/localsend/refusal.js';
import { LOCALSEND_LIMITS, parsePrepareUpload, parseRegister } from '../../main/core/localsend/upload-messages.js';
import { UNSAFE_PATHS } from '../helpers.ts';

const INFO_118 = {
  alias: 'Nice Orange',
  version: '2.2',
  deviceModel: 'Pixel 8',
  deviceType: 'mobile',
  fingerprint: 'AB'.repeat(32),
  port: 53317,
  protocol: 'https',
  download: false,
};

function file(id: string, fileName: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, fileName, size: 3, fileType: 'image/jpeg', ...extra };
}

function body(files: Record<string, unknown>[], info: unknown = INFO_118): unknown {
  return { info, files: Object.fromEntries(files.map((f) => [f.id, f])) };
}

function refused(status: number, pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof Refusal, String(err));
    assert.equal(err.status, status);
    assert.match(err.message, pattern);
    return true;
  };
}

test('a 1.18 prepare-upload passes: sha256 lower-cased, metadata.modified read, the sender as it said', () => {
  const sha = 'A1'.repeat(32);
  const p = parsePrepareUpload(
    body([
      file('f1', 'Photos/2024/a.jpg', { sha256: sha, metadata: { modified: '2024-05-01T10:00:00.000Z', accessed: null } }),
      file('f2', 'b.txt', { size: 0, fileType: 'text/plain', sha256: null, preview: null }),
    ]),
  );
  assert.deepEqual(p.files, [
    {
      id: 'f1',
      path: 'Photos/2024/a.jpg',
      size: 3,
      fileType: 'image/jpeg',
      sha256: sha.toLowerCase(),
      modifiedMs: Date.parse('2024-05-01T10:00:00.000Z'),
    },
    { id: 'f2', path: 'b.txt', size: 0, fileType: 'text/plain', sha256: null, modifiedMs: null },
  ]);
  assert.equal(p.totalBytes, 3);
  assert.equal(p.text, null);
  assert.equal(p.info.alias, 'Nice Orange');
  assert.equal(p.info.deviceType, 'mobile');
  assert.equal(p.info.port, 53317);
  assert.equal(p.info.protocol, 'https');
});

test('a Dart app (≤ 1.17) writes nulls and may leave the v2 fields out: all of it passes', () => {
  const p = parsePrepareUpload(
    body([file('x', 'a.jpg', { hash: null, preview: null, metadata: null })], {
      alias: 'Old phone',
      version: null,
      deviceModel: null,
      deviceType: null,
      fingerprint: null,
      port: null,
      protocol: null,
      download: null,
    }),
  );
  assert.equal(p.info.version, '2.0');
  assert.equal(p.info.deviceModel, null);
  assert.equal(p.info.deviceType, 'desktop');
  assert.equal(p.info.fingerprint, '');
  assert.equal(p.info.port, null);
  assert.equal(p.info.protocol, null);
  assert.equal(p.files[0]!.sha256, null);
  // 1.17's `hash`, when it is a sha256, is checked like 1.18's sha256.
  assert.equal(parsePrepareUpload(body([file('x', 'a.jpg', { hash: 'ff'.repeat(32) })])).files[0]!.sha256, 'ff'.repeat(32));
});

test('unknown device types read as desktop, case does not matter, and the alias is made safe to show', () => {
  assert.equal(parseRegister({ ...INFO_118, deviceType: 'toaster' }).deviceType, 'desktop');
  assert.equal(parseRegister({ ...INFO_118, deviceType: 'MOBILE' }).deviceType, 'mobile');
  assert.equal(parseRegister({ ...INFO_118, alias: '\u001b[31mEvil\u202e' }).alias, '[31mEvil');
});

test('a text message is one text/plain file with its text in preview', () => {
  const p = parsePrepareUpload(body([file('t', 'message.txt', { size: 5, fileType: 'text/plain', preview: 'hello' })]));
  assert.equal(p.text, 'hello');
  const two = parsePrepareUpload(
    body([
      file('t', 'message.txt', { fileType: 'text/plain', preview: 'hello' }),
      file('u', 'other.txt', { fileType: 'text/plain', preview: 'x' }),
    ]),
  );
  assert.equal(two.text, null);
});

test('malformed bodies are refused with 400 and a reason', () => {
  assert.throws(() => parsePrepareUpload([]), refused(400, /JSON object/));
  assert.throws(() => parsePrepareUpload({ info: INFO_118, files: {} }), refused(400, /at least one file/));
  assert.throws(() => parsePrepareUpload({ info: INFO_118, files: [] }), refused(400, /files must be an object/));
  assert.throws(() => parsePrepareUpload({ files: { a: file('a', 'a') } }), refused(400, /info must be a JSON object/));
  assert.throws(() => parsePrepareUpload(body([file('a', 'a.jpg')], { ...INFO_118, alias: 7 })), refused(400, /alias must be a string/));
  assert.throws(() => parsePrepareUpload(body([file('a', 'a.jpg')], { ...INFO_118, port: 70000 })), refused(400, /port/));
  assert.throws(() => parsePrepareUpload(body([file('a', 'a.jpg')], { ...INFO_118, protocol: 'ftp' })), refused(400, /protocol/));
  assert.throws(() => parsePrepareUpload({ info: INFO_118, files: { a: file('b', 'a.jpg') } }), refused(400, /id must equal its key/));
  for (const size of [-1, 1.5, '3', 2 ** 53, null]) {
    assert.throws(() => parsePrepareUpload(body([file('a', 'a.jpg', { size })])), refused(400, /size/), String(size));
  }
  assert.throws(() => parsePrepareUpload(body([file('a', 'a.jpg', { sha256: 'abc' })])), refused(400, /sha256/));
  assert.throws(() => parsePrepareUpload(body([file('a', 7)])), refused(400, /fileName must be a string/));
  // Sizes that are each exact but add up past what a double counts exactly.
  const big = Number.MAX_SAFE_INTEGER - 1;
  assert.throws(() => parsePrepareUpload(body([file('a', 'a', { size: big }), file('b', 'b', { size: big })])), refused(400, /add up/));
});

test('more files than the cap is 413', () => {
  const files = Array.from({ length: LOCALSEND_LIMITS.maxFiles + 1 }, (_, i) => file(`f${i}`, `f${i}`));
  assert.throws(() => parsePrepareUpload(body(files)), refused(413, /more than/));
});

test('every path Ferry refuses is refused as a LocalSend fileName, with 400 and PATH_UNSAFE', () => {
  for (const [name, why] of UNSAFE_PATHS) {
    assert.throws(
      () => parsePrepareUpload(body([file('ok', 'fine.jpg'), file('bad', name)])),
      (err) => err instanceof Refusal && err.status === 400 && err.code === 'PATH_UNSAFE',
      `${why}: ${JSON.stringify(name)}`,
    );
  }
});

test('the same name twice is numbered, never refused; a file where a folder must be moves aside', () => {
  assert.deepEqual(offeredPaths(['IMG.jpg', 'IMG.jpg', 'IMG (1).jpg', 'IMG.jpg']), [
    'IMG.jpg',
    'IMG (2).jpg',
    'IMG (1).jpg',
    'IMG (3).jpg',
  ]);
  // NFD and NFC spellings are one name on disk.
  assert.deepEqual(offeredPaths(['caf\u00e9.txt', 'cafe\u0301.txt']), ['caf\u00e9.txt', 'caf\u00e9 (1).txt']);
  assert.deepEqual(offeredPaths(['a', 'a/b.txt']), ['a (1)', 'a/b.txt']);
  assert.deepEqual(offeredPaths(['x/y', 'x/y/z']), ['x/y (1)', 'x/y/z']);
  // The temporary names of Ferry's and this server's clean-up are never a final name.
  assert.deepEqual(offeredPaths(['.0123456789abcdef01234567.localsend-part']), ['.0123456789abcdef01234567 (1).localsend-part']);
  assert.deepEqual(offeredPaths(['.0123456789abcdef01234567.ferry-part']), ['.0123456789abcdef01234567 (1).ferry-part']);
});

test('numbering 20,000 files of one name stays fast', () => {
  const started = performance.now();
  const paths = offeredPaths(Array.from({ length: 20_000 }, () => 'same.jpg'));
  assert.equal(new Set(paths).size, 20_000);
  assert.equal(paths[19_999], 'same (19999).jpg');
  assert.ok(performance.now() - started < 2_000);
});

test('a register body: a 1.18 one passes; its fingerprint is only a claim until a certificate proves it', () => {
  const r = parseRegister(INFO_118);
  assert.equal(r.fingerprint, INFO_118.fingerprint);
  assert.throws(() => parseRegister('x'), refused(400, /JSON object/));
  assert.throws(() => parseRegister({ ...INFO_118, fingerprint: 'x'.repeat(300) }), refused(400, /longer than/));
});

test('the PIN: none set lets everyone in; missing → 401, wrong → 401, three wrong from an address → 429 for a while', () => {
  let now = 0;
  const gate = new PinGate(null, () => now);
  gate.check(null, '10.0.0.1');
  gate.set('1234');
  assert.throws(() => gate.check(null, '10.0.0.1'), refused(401, /PIN required/));
  assert.throws(() => gate.check('0000', '10.0.0.1'), refused(401, /Invalid PIN/));
  gate.check('1234', '10.0.0.1'); // a success forgets the failures
  for (let i = 0; i < 3; i++) assert.throws(() => gate.check('0000', '10.0.0.1'), refused(401, /Invalid PIN/));
  assert.throws(() => gate.check('1234', '10.0.0.1'), refused(429, /Too many/));
  gate.check('1234', '10.0.0.2'); // others are not locked out
  now += 5 * 60_000 + 1;
  gate.check('1234', '10.0.0.1');
});
