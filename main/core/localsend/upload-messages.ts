// LocalSend v2's JSON as data (docs: ../shared/LOCALSEND.md, localsend/protocol README): the
// shapes of info, register and prepare-upload, and the one check of a request body before the
// server trusts it. What comes out of parseRegister / parsePrepareUpload is checked: bounded
// strings, file ids that match their keys, sizes exact in a double, every fileName a safe Ferry
// wire path (file-names.ts). Dart apps (≤ 1.17) send null for absent optional fields; both are
// accepted. Unknown fields are ignored, as LocalSend does.
//
// announce.ts has the strict forms of the same JSON for discovery (an announcement must be
// complete); a request to the server is read as LocalSend's own server reads it, where Dart apps
// may leave version, fingerprint, port and protocol out of prepare-upload's `info`.

import { MAX_MTIME, MAX_SIZE } from '../protocol/limits.js';
import { cleanDeviceName, printable } from '../protocol/wire-path.js';
import { DEVICE_TYPES, type DeviceType } from './announce.js';
import type { Registration } from './discovery-peers.js';
import { offeredPaths } from './file-names.js';
import { Refusal } from './refusal.js';

/**
 * A register body or prepare-upload's `info`, checked: the shape discovery keeps of a device
 * (alias display-safe; fingerprint as the body claims it, '' when it says none, which only a
 * client certificate proves, peer.ts; port and protocol null when not said).
 */
export type LocalSendRegister = Registration;

/** prepare-upload's answer: a token per accepted file id. */
export interface PrepareUploadResponse {
  sessionId: string;
  files: Record<string, string>;
}

/** One file of a prepare-upload, checked. */
export interface OfferedFile {
  id: string;
  /** The Ferry wire path it lands at: safe, NFC, unique within the offer. */
  path: string;
  size: number;
  fileType: string;
  /** Lower-case hex, or null when the sender gave none. */
  sha256: string | null;
  /** metadata.modified in ms since 1970, when given and valid. */
  modifiedMs: number | null;
}

export interface CheckedPrepareUpload {
  info: LocalSendRegister;
  files: OfferedFile[];
  totalBytes: number;
  /** A text message (one text/plain file with its text in `preview`): the text. */
  text: string | null;
}

/** Bounds on what a stranger can make the server parse and hold. */
export const LOCALSEND_LIMITS = {
  /** prepare-upload's body: ~25,000 files of typical phone names with sha256 and metadata. */
  maxPrepareBytes: 8 * 1024 * 1024,
  /** register and anything else with a JSON body. */
  maxSmallJsonBytes: 64 * 1024,
  /** Files in one prepare-upload. */
  maxFiles: 20_000,
  maxShortString: 256,
} as const;

type Obj = Record<string, unknown>;

function bad(message: string): Refusal {
  return new Refusal(400, 'BAD_MESSAGE', message);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, where: string, key: string, max: number = LOCALSEND_LIMITS.maxShortString): string {
  const v = o[key];
  if (typeof v !== 'string') throw bad(`${where}.${key} must be a string`);
  if (v.length > max) throw bad(`${where}.${key} is longer than ${max} characters`);
  return v;
}

/** An optional string: absent and null both read as null. */
function optStr(o: Obj, where: string, key: string, max: number = LOCALSEND_LIMITS.maxShortString): string | null {
  return o[key] === undefined || o[key] === null ? null : str(o, where, key, max);
}

function deviceType(v: unknown): DeviceType {
  const t = typeof v === 'string' ? v.toLowerCase() : '';
  return DEVICE_TYPES.find((d) => d === t) ?? 'desktop';
}

/** The parsed JSON of a register body (or prepare-upload's `info`). */
export function parseRegister(v: unknown, where = 'register'): LocalSendRegister {
  if (!isObj(v)) throw bad(`${where} must be a JSON object`);
  // Dart apps may leave it out of prepare-upload (a v1 leftover); a certificate may still say who it is.
  const fingerprint = optStr(v, where, 'fingerprint') ?? '';
  const port = v.port;
  if (port !== undefined && port !== null && !(Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535)) {
    throw bad(`${where}.port must be a TCP port`);
  }
  const protocol = v.protocol;
  if (protocol !== undefined && protocol !== null && protocol !== 'http' && protocol !== 'https') {
    throw bad(`${where}.protocol must be "http" or "https"`);
  }
  return {
    alias: cleanDeviceName(str(v, where, 'alias')),
    version: printable(optStr(v, where, 'version', 16) ?? '2.0'),
    deviceModel: nullIfEmpty(printable(optStr(v, where, 'deviceModel') ?? '')),
    deviceType: deviceType(v.deviceType),
    fingerprint,
    port: typeof port === 'number' ? port : null,
    protocol: protocol === 'http' || protocol === 'https' ? protocol : null,
    download: v.download === true,
  };
}

function nullIfEmpty(s: string): string | null {
  return s === '' ? null : s;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** The parsed JSON of a prepare-upload body: the sender, and its files with their landing paths. */
export function parsePrepareUpload(v: unknown): CheckedPrepareUpload {
  if (!isObj(v)) throw bad('the body must be a JSON object');
  const info = parseRegister(v.info, 'info');
  const files = v.files;
  if (!isObj(files)) throw bad('files must be an object of file id → file');
  const ids = Object.keys(files);
  if (ids.length === 0) throw bad('Request must contain at least one file');
  if (ids.length > LOCALSEND_LIMITS.maxFiles) {
    throw new Refusal(413, 'LIMIT_EXCEEDED', `more than ${LOCALSEND_LIMITS.maxFiles} files in one transfer; send them in parts`);
  }
  const raw = ids.map((id) => fileDto(id, files[id]));
  const paths = offeredPaths(raw.map((f) => f.fileName));
  let totalBytes = 0;
  const checked = raw.map((f, i): OfferedFile => {
    totalBytes += f.size;
    return { id: f.id, path: paths[i]!, size: f.size, fileType: f.fileType, sha256: f.sha256, modifiedMs: f.modifiedMs };
  });
  if (totalBytes > MAX_SIZE) throw bad('the files add up to more bytes than can be counted exactly');
  const only = raw.length === 1 ? raw[0]! : null;
  const text = only && /^text\/plain\b/i.test(only.fileType) && only.preview !== null ? only.preview : null;
  return { info, files: checked, totalBytes, text };
}

interface RawFile {
  id: string;
  fileName: string;
  size: number;
  fileType: string;
  sha256: string | null;
  preview: string | null;
  modifiedMs: number | null;
}

function fileDto(key: string, v: unknown): RawFile {
  const where = `files[${JSON.stringify(printable(key.slice(0, 64)))}]`;
  if (key.length === 0 || key.length > LOCALSEND_LIMITS.maxShortString) throw bad(`a file id must have 1 to 256 characters`);
  if (!isObj(v)) throw bad(`${where} must be an object`);
  // Dart apps give out tokens by the dto's id, 1.18 by the key: the two must be one.
  if (v.id !== key) throw bad(`${where}.id must equal its key`);
  // Bounded by the body's size; wirePathProblem refuses anything over MAX_PATH_BYTES.
  const fileName = str(v, where, 'fileName', 64 * 1024);
  const size = v.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw bad(`${where}.size must be a whole number of bytes`);
  const sha = v.sha256 ?? v.hash;
  let sha256: string | null = null;
  if (typeof sha === 'string' && HEX64.test(sha)) sha256 = sha.toLowerCase();
  // A sha256 we cannot read would leave the file unverified while the sender thinks it is checked.
  else if (v.sha256 !== undefined && v.sha256 !== null) throw bad(`${where}.sha256 must be 64 hex digits`);
  const preview = v.preview;
  return {
    id: key,
    fileName,
    size,
    fileType: printable(optStr(v, where, 'fileType') ?? ''),
    sha256,
    preview: typeof preview === 'string' ? preview : null,
    modifiedMs: modified(v.metadata),
  };
}

/** metadata.modified (RFC 3339) in ms; anything unreadable is ignored, not refused. */
function modified(metadata: unknown): number | null {
  if (!isObj(metadata) || typeof metadata.modified !== 'string' || metadata.modified.length > 64) return null;
  const ms = Date.parse(metadata.modified);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_MTIME ? ms : null;
}
