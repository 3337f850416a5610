// Every message of protocol 1.x, its fields and their limits. validateMessage is the one
// gate between bytes from the network and the rest of the engine: what passes it is trusted.

import { FerryError, isErrorCode, type ErrorCode } from '../errors.js';
import {
  MAX_CHUNK_BYTES,
  MAX_HEADER_BYTES,
  MAX_ENTRIES_PER_FRAME,
  MAX_MESSAGE_CHARS,
  MAX_MTIME,
  MAX_NAME_CHARS,
  MAX_OFFER_ENTRIES,
  MAX_SHORT_STRING,
  MAX_SIZE,
  MAX_TEXT_BYTES,
} from './limits.js';
import { printable, wirePathProblem } from './wire-path.js';

export interface Hello {
  type: 'hello';
  protocol: string;
  deviceId: string;
  deviceName: string;
  platform: string;
  appVersion: string;
  /** 32 fresh random bytes, hex: this side's contribution to a shared-secret proof. */
  nonce: string;
  /** 'secret': this side requires both to prove the shared secret before any offer. */
  auth: 'none' | 'secret';
}
/** A shared-secret proof (HMAC-SHA256, hex), see security/secret.ts. */
export interface Auth {
  type: 'auth';
  proof: string;
}
export interface Offer {
  type: 'offer';
  transferId: string;
  entryCount: number;
  totalBytes: number;
}
export interface FileEntry {
  path: string;
  size: number;
  mtime: number;
}
export interface DirEntry {
  path: string;
  dir: true;
}
export type Entry = FileEntry | DirEntry;
export interface Files {
  type: 'files';
  entries: Entry[];
}
export type Answer =
  /**
   * refusedCount (1.1): failing verdicts that follow the resume points, for files not to
   * send. Sent only to 1.1 senders; read as 0 when absent.
   */
  | { type: 'answer'; transferId: string; accept: true; resumeCount: number; refusedCount?: number }
  | { type: 'answer'; transferId: string; accept: false; code: ErrorCode; message: string };
export interface ResumePoint {
  file: number;
  offset: number;
  md5: string;
}
export interface Resume {
  type: 'resume';
  entries: ResumePoint[];
}
export interface Data {
  type: 'data';
  file: number;
  offset: number;
  length: number;
}
export interface FileEnd {
  type: 'file-end';
  file: number;
  md5: string;
}
export interface FileError {
  type: 'file-error';
  file: number;
  code: ErrorCode;
  message: string;
}
export type Verdict =
  { type: 'verdict'; file: number; ok: true } | { type: 'verdict'; file: number; ok: false; code: ErrorCode; message: string };
export interface End {
  type: 'end';
}
/** Protocol 1.1, receiver → sender: file data bytes (data bodies) read on this connection so far. */
export interface Received {
  type: 'received';
  bytes: number;
}
/**
 * Protocol 1.2, sender → receiver, in place of an offer: a text message. Its `bytes` bytes of
 * UTF-8 are the frame's body (see MAX_TEXT_BYTES for why not a JSON string).
 */
export interface TextMessage {
  type: 'text';
  transferId: string;
  bytes: number;
}
export interface Cancel {
  type: 'cancel';
  message: string;
}
export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
}

export type Message =
  | Hello
  | Auth
  | Offer
  | Files
  | Answer
  | Resume
  | Data
  | FileEnd
  | FileError
  | Verdict
  | End
  | Received
  | TextMessage
  | Cancel
  | ErrorMessage;
export type MessageType = Message['type'];

/** How many raw bytes follow a message's header: a `data` frame's file bytes, a `text` frame's text. */
export function bodyLength(m: Message): number {
  return m.type === 'data' ? m.length : m.type === 'text' ? m.bytes : 0;
}

/**
 * A `hello.protocol` as numbers: "1.1" → 1 and 1. The parts are decimal numbers, so "01.0"
 * is 1.0 and "1.10" is newer than "1.9".
 */
export function protocolVersion(v: string): { major: number; minor: number } {
  const [major, minor] = v.split('.').map((n) => Number.parseInt(n, 10));
  return { major: major!, minor: minor! };
}

export function isDir(e: Entry): e is DirEntry {
  return (e as DirEntry).dir === true;
}

// ---- field readers: each throws BAD_MESSAGE naming the field ----

type Obj = Record<string, unknown>;

function bad(type: string, field: string, why: string): FerryError {
  return new FerryError('BAD_MESSAGE', `${type}.${field} ${why}`);
}

function str(o: Obj, t: string, f: string, max: number, pattern?: RegExp): string {
  const v = o[f];
  if (typeof v !== 'string') throw bad(t, f, 'must be a string');
  if (v.length > max) throw bad(t, f, `is longer than ${max} characters`);
  if (pattern && !pattern.test(v)) throw bad(t, f, `does not match ${pattern.source}`);
  return v;
}

function int(o: Obj, t: string, f: string, min: number, max: number): number {
  const v = o[f];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(t, f, 'must be an integer');
  if (v < min || v > max) throw bad(t, f, `must be in ${min}..${max}`);
  return v;
}

function bool(o: Obj, t: string, f: string): boolean {
  const v = o[f];
  if (typeof v !== 'boolean') throw bad(t, f, 'must be a boolean');
  return v;
}

function oneOf<T extends string>(o: Obj, t: string, f: string, values: readonly T[]): T {
  const v = o[f];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw bad(t, f, `must be one of ${values.join(', ')}`);
  return v as T;
}

function code(o: Obj, t: string): ErrorCode {
  const v = str(o, t, 'code', MAX_SHORT_STRING);
  // A code from a newer peer that we do not know is still an error: keep its message.
  return isErrorCode(v) ? v : 'INTERNAL';
}

function arr(o: Obj, t: string, f: string, max: number): unknown[] {
  const v = o[f];
  if (!Array.isArray(v)) throw bad(t, f, 'must be an array');
  if (v.length === 0 || v.length > max) throw bad(t, f, `must hold 1..${max} items`);
  return v;
}

function obj(v: unknown, t: string, f: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(t, f, 'must be an object');
  return v as Obj;
}

// Room left in a frame for the message's own fields around a list of entries.
const FRAME_BUDGET = MAX_HEADER_BYTES - 1024;

const HEX64 = /^[0-9a-f]{64}$/;
const MD5 = /^[0-9a-f]{32}$/;
const TRANSFER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION = /^[0-9]{1,4}\.[0-9]{1,4}$/;

function entry(v: unknown): Entry {
  const e = obj(v, 'files', 'entries[]');
  // No character cap of its own: wirePathProblem bounds the length in bytes, so every
  // unacceptable path is reported the same way (PATH_UNSAFE).
  const path = str(e, 'files.entries[]', 'path', MAX_HEADER_BYTES);
  const problem = wirePathProblem(path);
  // The message reaches logs and terminals: quote the path through printable (JSON escaping
  // leaves C1 controls and bidi overrides raw).
  if (problem) throw new FerryError('PATH_UNSAFE', `unsafe path "${printable(path)}": ${problem}`);
  if (e.dir !== undefined) {
    if (e.dir !== true) throw bad('files.entries[]', 'dir', 'must be true when present');
    return { path, dir: true };
  }
  return {
    path,
    size: int(e, 'files.entries[]', 'size', 0, MAX_SIZE),
    mtime: int(e, 'files.entries[]', 'mtime', -MAX_MTIME, MAX_MTIME),
  };
}

function resumePoint(v: unknown): ResumePoint {
  const e = obj(v, 'resume', 'entries[]');
  return {
    file: int(e, 'resume.entries[]', 'file', 0, MAX_OFFER_ENTRIES - 1),
    offset: int(e, 'resume.entries[]', 'offset', 1, MAX_SIZE),
    md5: str(e, 'resume.entries[]', 'md5', 32, MD5),
  };
}

/** Checks a decoded header against the message schema; throws FerryError on any deviation. */
export function validateMessage(o: Obj): Message {
  const t = o.type;
  switch (t) {
    case 'hello':
      return {
        type: t,
        protocol: str(o, t, 'protocol', 9, VERSION),
        deviceId: str(o, t, 'deviceId', 64, HEX64),
        deviceName: str(o, t, 'deviceName', MAX_NAME_CHARS),
        platform: str(o, t, 'platform', 32),
        appVersion: str(o, t, 'appVersion', 32),
        nonce: str(o, t, 'nonce', 64, HEX64),
        auth: oneOf(o, t, 'auth', ['none', 'secret'] as const),
      };
    case 'auth':
      return { type: t, proof: str(o, t, 'proof', 64, HEX64) };
    case 'offer':
      return {
        type: t,
        transferId: str(o, t, 'transferId', 64, TRANSFER_ID),
        entryCount: int(o, t, 'entryCount', 1, MAX_OFFER_ENTRIES),
        totalBytes: int(o, t, 'totalBytes', 0, MAX_SIZE),
      };
    case 'files':
      return { type: t, entries: arr(o, t, 'entries', MAX_ENTRIES_PER_FRAME).map(entry) };
    case 'answer': {
      const transferId = str(o, t, 'transferId', 64, TRANSFER_ID);
      if (bool(o, t, 'accept')) {
        const resumeCount = int(o, t, 'resumeCount', 0, MAX_OFFER_ENTRIES);
        // Absent (a 1.0 receiver, or one with nothing to refuse) reads as none.
        const refusedCount = o.refusedCount === undefined ? 0 : int(o, t, 'refusedCount', 0, MAX_OFFER_ENTRIES);
        return { type: t, transferId, accept: true, resumeCount, refusedCount };
      }
      return { type: t, transferId, accept: false, code: code(o, t), message: str(o, t, 'message', MAX_MESSAGE_CHARS) };
    }
    case 'resume':
      return { type: t, entries: arr(o, t, 'entries', MAX_ENTRIES_PER_FRAME).map(resumePoint) };
    case 'data':
      return {
        type: t,
        file: int(o, t, 'file', 0, MAX_OFFER_ENTRIES - 1),
        offset: int(o, t, 'offset', 0, MAX_SIZE),
        length: int(o, t, 'length', 1, MAX_CHUNK_BYTES),
      };
    case 'file-end':
      return { type: t, file: int(o, t, 'file', 0, MAX_OFFER_ENTRIES - 1), md5: str(o, t, 'md5', 32, MD5) };
    case 'file-error':
      return {
        type: t,
        file: int(o, t, 'file', 0, MAX_OFFER_ENTRIES - 1),
        code: code(o, t),
        message: str(o, t, 'message', MAX_MESSAGE_CHARS),
      };
    case 'verdict': {
      const file = int(o, t, 'file', 0, MAX_OFFER_ENTRIES - 1);
      if (bool(o, t, 'ok')) return { type: t, file, ok: true };
      return { type: t, file, ok: false, code: code(o, t), message: str(o, t, 'message', MAX_MESSAGE_CHARS) };
    }
    case 'end':
      return { type: t };
    case 'received':
      return { type: t, bytes: int(o, t, 'bytes', 0, MAX_SIZE) };
    case 'text':
      // Empty or over the limit is a field out of range, refused before any of the body is read.
      return { type: t, transferId: str(o, t, 'transferId', 64, TRANSFER_ID), bytes: int(o, t, 'bytes', 1, MAX_TEXT_BYTES) };
    case 'cancel':
      return { type: t, message: o.message === undefined ? '' : str(o, t, 'message', MAX_MESSAGE_CHARS) };
    case 'error':
      return { type: t, code: code(o, t), message: str(o, t, 'message', MAX_MESSAGE_CHARS) };
    default:
      if (typeof t !== 'string') throw new FerryError('BAD_MESSAGE', 'header has no string "type"');
      throw new FerryError('UNKNOWN_TYPE', `unknown message type "${printable(t.slice(0, MAX_SHORT_STRING))}"`);
  }
}

/**
 * Groups list items so each group's frame stays well under MAX_HEADER_BYTES
 * (at most MAX_ENTRIES_PER_FRAME items and FRAME_BUDGET bytes of JSON).
 */
export function* inFrames<T>(items: readonly T[]): Generator<T[]> {
  let group: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
    if (group.length > 0 && (group.length === MAX_ENTRIES_PER_FRAME || bytes + size > FRAME_BUDGET)) {
      yield group;
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += size;
  }
  if (group.length > 0) yield group;
}
