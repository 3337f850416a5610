// The frame codec: a 4-byte big-endian length, a UTF-8 JSON header, then the raw body
// the header declares. TCP delivers arbitrary slices of that stream, so the decoder
// keeps what it has not consumed and never assumes one read is one message.

import { FerryError } from '../errors.js';
import { MAX_HEADER_BYTES } from './limits.js';

export interface FrameSink {
  /** A decoded header object; returns how many body bytes follow it (0 for none). May throw FerryError. */
  header(value: Record<string, unknown>): number;
  /** A slice of the current body (a view into the socket's buffer: copy it if kept past the call). */
  body(chunk: Buffer): void;
  /** The current body is complete. */
  bodyEnd(): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeFrame(header: object): Buffer {
  const text = JSON.stringify(header);
  // One allocation: the length prefix and the JSON written in place.
  const max = 4 + text.length * 3;
  const frame = Buffer.allocUnsafe(max);
  const n = frame.write(text, 4, 'utf8');
  if (n === 0 || n > MAX_HEADER_BYTES) throw new FerryError('INTERNAL', `refusing to encode a ${n}-byte header`);
  frame.writeUInt32BE(n, 0);
  return frame.subarray(0, 4 + n);
}

/**
 * Writes a frame's length prefix and header into `buf` right before `bodyStart`, in room the
 * caller left there, so that the frame goes out as one buffer with its body. Returns where
 * the frame starts, or -1 when the header does not fit in that room.
 */
export function encodeHeaderBefore(header: object, buf: Buffer, bodyStart: number): number {
  const text = JSON.stringify(header);
  const n = Buffer.byteLength(text, 'utf8');
  if (n > MAX_HEADER_BYTES) throw new FerryError('INTERNAL', `refusing to encode a ${n}-byte header`);
  const start = bodyStart - 4 - n;
  if (start < 0) return -1;
  buf.writeUInt32BE(n, start);
  buf.write(text, start + 4, 'utf8');
  return start;
}

export function parseHeader(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FerryError('BAD_JSON', 'header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FerryError('BAD_JSON', 'header is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FerryError('BAD_JSON', 'header must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export class FrameDecoder {
  private readonly lenBuf = Buffer.alloc(4);
  private lenHave = 0;
  private hdrBuf: Buffer | null = null;
  private hdrHave = 0;
  private bodyLeft = 0;
  private failed: FerryError | null = null;
  /** Headers decoded so far (lets a caller time each header on its own). */
  headers = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxHeader = MAX_HEADER_BYTES,
  ) {}

  /** True while part of a header has arrived and the rest has not. */
  get midHeader(): boolean {
    return this.lenHave > 0 || this.hdrBuf !== null;
  }

  /** True while part of a frame has arrived and the rest has not. */
  get midFrame(): boolean {
    return this.bodyLeft > 0 || this.lenHave > 0 || this.hdrBuf !== null;
  }

  push(chunk: Buffer): void {
    if (this.failed) throw this.failed;
    try {
      this.consume(chunk);
    } catch (err) {
      this.failed = err instanceof FerryError ? err : new FerryError('INTERNAL', String(err));
      throw this.failed;
    }
  }

  // Copies only the bytes of a header that straddles reads (into a buffer of its exact
  // size), so a peer dripping one byte at a time costs linear, not quadratic, work.
  private consume(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const avail = chunk.length - pos;
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, avail);
        this.bodyLeft -= n;
        this.sink.body(chunk.subarray(pos, pos + n));
        pos += n;
        if (this.bodyLeft === 0) this.sink.bodyEnd();
        continue;
      }
      if (this.hdrBuf) {
        const n = Math.min(this.hdrBuf.length - this.hdrHave, avail);
        chunk.copy(this.hdrBuf, this.hdrHave, pos, pos + n);
        this.hdrHave += n;
        pos += n;
        if (this.hdrHave === this.hdrBuf.length) {
          const bytes = this.hdrBuf;
          this.hdrBuf = null;
          this.hdrHave = 0;
          this.dispatch(bytes);
        }
        continue;
      }
      let len: number;
      if (this.lenHave === 0 && avail >= 4) {
        len = chunk.readUInt32BE(pos);
        pos += 4;
      } else {
        const n = Math.min(4 - this.lenHave, avail);
        chunk.copy(this.lenBuf, this.lenHave, pos, pos + n);
        this.lenHave += n;
        pos += n;
        if (this.lenHave < 4) continue;
        this.lenHave = 0;
        len = this.lenBuf.readUInt32BE(0);
      }
      if (len === 0 || len > this.maxHeader) {
        throw new FerryError('BAD_FRAME', `header length ${len} is outside 1..${this.maxHeader}`);
      }
      if (chunk.length - pos >= len) {
        const bytes = chunk.subarray(pos, pos + len);
        pos += len;
        this.dispatch(bytes);
      } else {
        this.hdrBuf = Buffer.allocUnsafe(len);
        this.hdrHave = 0;
      }
    }
  }

  private dispatch(bytes: Uint8Array): void {
    this.headers++;
    const bodyLength = this.sink.header(parseHeader(bytes));
    if (bodyLength > 0) this.bodyLeft = bodyLength;
  }
}
