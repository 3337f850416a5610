// The frame codec on its own: whatever way TCP slices the byte stream, the decoder yields
// the same headers and bodies, and anything malformed fails with a stable code, for good.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FerryError } from '../../main/core/errors.js';
import { encodeFrame, encodeHeaderBefore, FrameDecoder, parseHeader, type FrameSink } from '../../main/core/protocol/frame.js';
import { MAX_HEADER_BYTES } from '../../main/core/protocol/limits.js';

interface Decoded {
  header: Record<string, unknown>;
  body: Buffer | null;
}

/** A sink that records every frame, taking a `data` frame's body length from its header like Connection does. */
function recorder(): { sink: FrameSink; frames: Decoded[] } {
  const frames: Decoded[] = [];
  let parts: Buffer[] | null = null;
  const sink: FrameSink = {
    header(value) {
      assert.equal(parts, null, 'a header arrived inside a body');
      const length = value.type === 'data' ? (value.length as number) : 0;
      frames.push({ header: value, body: null });
      if (length > 0) parts = [];
      return length;
    },
    body(chunk) {
      assert.ok(parts, 'body bytes outside a body');
      parts.push(Buffer.from(chunk)); // the chunk is a view into the caller's buffer
    },
    bodyEnd() {
      assert.ok(parts, 'bodyEnd outside a body');
      frames.at(-1)!.body = Buffer.concat(parts);
      parts = null;
    },
  };
  return { sink, frames };
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing split can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A varied stream: small and large headers, bodies of 1 byte to 200 KiB, non-ASCII text. */
function sampleStream(): { bytes: Buffer; expected: Decoded[] } {
  const rnd = prng(7);
  const expected: Decoded[] = [];
  const pieces: Buffer[] = [];
  for (let i = 0; i < 60; i++) {
    let header: Record<string, unknown>;
    let body: Buffer | null = null;
    switch (i % 4) {
      case 0:
        header = { type: 'hello', n: i, name: `gerät ✓ 😀 ${i}` };
        break;
      case 1: {
        const length = i === 5 ? 200 * 1024 : 1 + Math.floor(rnd() * 5000);
        body = Buffer.alloc(length, i);
        body[0] = 0xff; // bodies are bytes, not text
        header = { type: 'data', file: i, offset: 0, length };
        break;
      }
      case 2:
        header = { type: 'files', entries: Array.from({ length: 1 + (i % 50) }, (_, k) => ({ path: `d/${k}.txt`, size: k, mtime: 0 })) };
        break;
      default:
        header = { type: 'data', file: i, offset: 0, length: 1 };
        body = Buffer.from([i]);
    }
    expected.push({ header, body });
    pieces.push(encodeFrame(header));
    if (body) pieces.push(body);
  }
  return { bytes: Buffer.concat(pieces), expected };
}

function decodeInSlices(bytes: Buffer, cuts: number[]): Decoded[] {
  const { sink, frames } = recorder();
  const decoder = new FrameDecoder(sink);
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    decoder.push(bytes.subarray(start, cut));
    start = cut;
  }
  assert.equal(decoder.midFrame, false, 'the stream ended mid-frame');
  return frames;
}

function framePrefix(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length >>> 0, 0);
  return b;
}

function rawFrame(headerBytes: Buffer | string): Buffer {
  const h = typeof headerBytes === 'string' ? Buffer.from(headerBytes, 'utf8') : headerBytes;
  return Buffer.concat([framePrefix(h.length), h]);
}

function failsWith(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof FerryError && err.code === code, `expected ${code}`);
}

function decoderFor(): { decoder: FrameDecoder; frames: Decoded[] } {
  const { sink, frames } = recorder();
  return { decoder: new FrameDecoder(sink), frames };
}

test('encodeFrame writes a big-endian length then the JSON header, and parseHeader reads it back', () => {
  const header = { type: 'hello', name: 'Zoë’s laptop 💻', list: [1, 2, 3], nested: { a: null } };
  const frame = encodeFrame(header);
  const len = frame.readUInt32BE(0);
  assert.equal(len, frame.length - 4);
  assert.equal(len, Buffer.byteLength(JSON.stringify(header), 'utf8'));
  assert.deepEqual(parseHeader(frame.subarray(4)), header);

  const { decoder, frames } = decoderFor();
  decoder.push(frame);
  assert.deepEqual(frames, [{ header, body: null }]);
});

test('encodeFrame refuses a header above the cap instead of producing an undecodable frame', () => {
  failsWith(() => encodeFrame({ pad: 'x'.repeat(MAX_HEADER_BYTES) }), 'INTERNAL');
});

test('a stream of frames decodes identically whether it arrives whole, byte by byte, or at random split points', () => {
  const { bytes, expected } = sampleStream();

  const whole = decodeInSlices(bytes, []);
  assert.deepEqual(whole, expected);

  const byteByByte = decodeInSlices(
    bytes,
    Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
  );
  assert.deepEqual(byteByByte, expected);

  for (const seed of [1, 2, 3, 42, 1234]) {
    const rnd = prng(seed);
    const cuts = new Set<number>();
    const count = 5 + Math.floor(rnd() * 400);
    while (cuts.size < count) cuts.add(1 + Math.floor(rnd() * (bytes.length - 1)));
    const sliced = decodeInSlices(
      bytes,
      [...cuts].sort((a, b) => a - b),
    );
    assert.deepEqual(sliced, expected, `split points from seed ${seed}`);
  }

  // Cuts placed exactly around every frame boundary and inside every length prefix.
  const edges: number[] = [];
  let pos = 0;
  for (const f of expected) {
    for (const d of [1, 2, 3, 4]) edges.push(pos + d);
    pos += encodeFrame(f.header).length + (f.body?.length ?? 0);
    edges.push(pos - 1);
  }
  const boundaryCuts = [...new Set(edges.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  assert.deepEqual(decodeInSlices(bytes, boundaryCuts), expected);
});

test('midHeader and midFrame report a frame that has only partly arrived', () => {
  const { decoder, frames } = decoderFor();
  const frame = Buffer.concat([encodeFrame({ type: 'data', length: 3 }), Buffer.from('abc')]);
  assert.equal(decoder.midHeader, false);
  decoder.push(frame.subarray(0, 2)); // half a length prefix
  assert.equal(decoder.midHeader, true);
  decoder.push(frame.subarray(2, 10)); // the prefix and part of the header
  assert.equal(decoder.midHeader, true);
  decoder.push(frame.subarray(10, frame.length - 2)); // the header and one body byte
  assert.equal(decoder.midHeader, false);
  assert.equal(decoder.midFrame, true);
  decoder.push(frame.subarray(frame.length - 2));
  assert.equal(decoder.midFrame, false);
  assert.deepEqual(frames, [{ header: { type: 'data', length: 3 }, body: Buffer.from('abc') }]);
});

test('a header of exactly the cap is accepted', () => {
  const skeleton = JSON.stringify({ type: 'x', pad: '' });
  const header = { type: 'x', pad: 'p'.repeat(MAX_HEADER_BYTES - Buffer.byteLength(skeleton)) };
  const frame = encodeFrame(header);
  assert.equal(frame.length - 4, MAX_HEADER_BYTES);
  const { decoder, frames } = decoderFor();
  decoder.push(frame);
  assert.deepEqual(frames, [{ header, body: null }]);
});

test('a length prefix of 0 is BAD_FRAME', () => {
  const { decoder } = decoderFor();
  failsWith(() => decoder.push(Buffer.from([0, 0, 0, 0])), 'BAD_FRAME');
});

test('a length prefix above 65536 is BAD_FRAME as soon as the prefix is read, without waiting for the header', () => {
  for (const len of [MAX_HEADER_BYTES + 1, 0xffffffff]) {
    const { decoder } = decoderFor();
    failsWith(() => decoder.push(framePrefix(len)), 'BAD_FRAME');
  }
  // Also when the prefix itself trickles in.
  const { decoder } = decoderFor();
  const prefix = framePrefix(MAX_HEADER_BYTES + 1);
  decoder.push(prefix.subarray(0, 3));
  failsWith(() => decoder.push(prefix.subarray(3)), 'BAD_FRAME');
});

test('a header that is not valid UTF-8 is BAD_JSON', () => {
  const cases = [
    Buffer.from([0x7b, 0xff, 0x7d]), // a byte that never occurs in UTF-8
    Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), // overlong "/"
    Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // a UTF-16 surrogate
    Buffer.concat([Buffer.from('{"type":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]), // truncated sequence
  ];
  for (const bytes of cases) {
    const { decoder } = decoderFor();
    failsWith(() => decoder.push(rawFrame(bytes)), 'BAD_JSON');
  }
});

test('a header that is not JSON is BAD_JSON', () => {
  for (const text of ['hello', '{type: "hello"}', '{"type":"hello"', "{'type':'hello'}", '{"a":1} {"b":2}', ' ']) {
    const { decoder } = decoderFor();
    failsWith(() => decoder.push(rawFrame(text)), 'BAD_JSON');
  }
});

test('a header that is JSON but not an object (array, number, string, null, boolean) is BAD_JSON', () => {
  for (const text of ['[{"type":"hello"}]', '[]', '42', '1e400', '"hello"', 'null', 'true']) {
    const { decoder, frames } = decoderFor();
    failsWith(() => decoder.push(rawFrame(text)), 'BAD_JSON');
    assert.equal(frames.length, 0);
  }
});

test('after a failure the decoder keeps failing with the same error and decodes nothing more', () => {
  const { decoder, frames } = decoderFor();
  decoder.push(encodeFrame({ type: 'first' }));
  let first: unknown;
  try {
    decoder.push(rawFrame('not json'));
  } catch (err) {
    first = err;
  }
  assert.ok(first instanceof FerryError && first.code === 'BAD_JSON');
  for (let i = 0; i < 3; i++) {
    assert.throws(
      () => decoder.push(encodeFrame({ type: 'second' })),
      (err) => err === first,
    );
  }
  assert.deepEqual(
    frames.map((f) => f.header.type),
    ['first'],
  );
});

test('an error thrown by the sink for one header fails the decoder for good', () => {
  let calls = 0;
  const decoder = new FrameDecoder({
    header: () => {
      calls++;
      throw new FerryError('UNKNOWN_TYPE', 'no such type');
    },
    body: () => {},
    bodyEnd: () => {},
  });
  const two = Buffer.concat([encodeFrame({ type: 'a' }), encodeFrame({ type: 'b' })]);
  failsWith(() => decoder.push(two), 'UNKNOWN_TYPE');
  failsWith(() => decoder.push(encodeFrame({ type: 'c' })), 'UNKNOWN_TYPE');
  assert.equal(calls, 1, 'the frame after the failing one must not be parsed');
});

test('a non-FerryError from the sink becomes INTERNAL rather than escaping raw', () => {
  const decoder = new FrameDecoder({
    header: () => {
      throw new TypeError('boom');
    },
    body: () => {},
    bodyEnd: () => {},
  });
  failsWith(() => decoder.push(encodeFrame({ type: 'a' })), 'INTERNAL');
});

test('a 64 KiB header dripped one byte at a time decodes in linear time', () => {
  const skeleton = JSON.stringify({ type: 'x', pad: '' });
  const header = { type: 'x', pad: 'd'.repeat(MAX_HEADER_BYTES - Buffer.byteLength(skeleton)) };
  const frame = encodeFrame(header);
  const { decoder, frames } = decoderFor();
  const started = performance.now();
  for (let i = 0; i < frame.length; i++) decoder.push(frame.subarray(i, i + 1));
  const ms = performance.now() - started;
  assert.deepEqual(frames, [{ header, body: null }]);
  // Linear work is a few tens of ms; re-copying the partial header on each byte would be
  // ~2 GiB of copying and take seconds.
  assert.ok(ms < 1000, `dripping a 64 KiB header took ${ms.toFixed(0)} ms`);
});

test('a header written in place before its body makes the same bytes as encodeFrame + body', () => {
  const body = Buffer.from('hello, world');
  const header = { type: 'data', file: 3, offset: 9_007_199_254_740_000, length: body.length, note: 'é' };
  const buf = Buffer.alloc(200 + body.length, 0xee);
  body.copy(buf, 200);
  const start = encodeHeaderBefore(header, buf, 200);
  assert.ok(start > 0);
  const inPlace = buf.subarray(start, 200 + body.length);
  assert.deepEqual(inPlace, Buffer.concat([encodeFrame(header), body]));
  assert.equal(buf[start - 1], 0xee, 'nothing before the frame is touched');
  const { sink, frames } = recorder();
  new FrameDecoder(sink).push(inPlace);
  assert.deepEqual(frames, [{ header, body }]);
  // No room: says so (-1) and writes nothing; an oversized header is still refused.
  const tight = Buffer.alloc(20 + body.length, 0xee);
  assert.equal(encodeHeaderBefore(header, tight, 20), -1);
  assert.ok(tight.subarray(0, 20).every((b) => b === 0xee));
  const huge = Buffer.alloc(MAX_HEADER_BYTES + 100);
  assert.throws(
    () => encodeHeaderBefore({ type: 'data', pad: 'x'.repeat(MAX_HEADER_BYTES) }, huge, huge.length),
    (e: unknown) => e instanceof FerryError && e.code === 'INTERNAL',
  );
});
