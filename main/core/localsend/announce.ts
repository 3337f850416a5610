// LocalSend's device descriptions (protocol v2, docs in ../shared/LOCALSEND.md): the multicast
// announce, the register request and the info response, with the one gate each passes when it
// comes from the network, and the builders for Ferry's own. Nothing here touches a socket.

import { FerryError } from '../errors.js';
import { printable } from '../protocol/wire-path.js';

/**
 * The version Ferry claims. "2.1" is the last version the protocol repository documents and
 * what LocalSend 1.15–1.17 send; 1.18 sends "2.2", an undocumented marker of its own, while
 * accepting any version string from others. Claiming 2.1 promises exactly what Ferry
 * implements (v2 routes, PIN, per-file metadata) and nothing an app might later read into
 * "2.2"; an app only switches to v1 routes for a missing version or "1.0".
 */
export const LOCALSEND_VERSION = '2.1';
/** LocalSend's UDP port, and its apps' default TCP port. */
export const LOCALSEND_PORT = 53317;
/** What Ferry shows as its model in LocalSend apps' device lists. */
export const FERRY_DEVICE_MODEL = 'Ferry';

/** Largest announce datagram read. LocalSend's are a few hundred bytes; more is not one of theirs. */
export const MAX_DATAGRAM_BYTES = 8 * 1024;
/** Longest alias, in characters, after trimming (LocalSend's own names are far shorter). */
export const MAX_ALIAS_CHARS = 128;
/** deviceModel is a phone model or OS name ("Samsung", "Linux"); a label, never a paragraph. */
export const MAX_MODEL_CHARS = 64;
/** With plain HTTP the fingerprint is a random token, not a hash: bounded, printable ASCII. */
export const MAX_HTTP_FINGERPRINT_CHARS = 128;

export const DEVICE_TYPES = ['mobile', 'desktop', 'web', 'headless', 'server'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export type LocalSendProtocol = 'http' | 'https';

/** What every description shares (LocalSend's InfoDto). */
export interface InfoResponse {
  alias: string;
  /** "major.minor", e.g. "2.1". */
  version: string;
  deviceModel: string | null;
  deviceType: DeviceType;
  /**
   * With https: SHA-256 of the device's DER certificate, 64 hex digits, normalised to lower case
   * (1.18 writes upper case, Ferry lower; they are the same fingerprint). With http: an opaque token.
   */
  fingerprint: string;
  /** Whether its web share page is on (Ferry's never is). */
  download: boolean;
}

/** POST /api/localsend/v2/register, and prepare-upload's `info`: an InfoResponse plus where its server listens. */
export interface RegisterRequest extends InfoResponse {
  port: number;
  protocol: LocalSendProtocol;
}

/** The UDP datagram on the multicast group. */
export interface Announce extends RegisterRequest {
  /** true asks everyone to answer; false is an answer, and is never answered. */
  announce: boolean;
}

/** Ferry's side of every description. */
export interface OwnDescription {
  alias: string;
  /** Ferry's device id: the SHA-256 of its DER certificate, lower-case hex (LocalIdentity.deviceId). */
  fingerprint: string;
  /** TCP port of Ferry's LocalSend server. */
  port: number;
}

// ---- validation: what arrives from the network ----

const HEX64 = /^[0-9a-fA-F]{64}$/;
const VERSION = /^([0-9]{1,4})\.([0-9]{1,4})$/;
/** Controls, bidi overrides and isolates, line separators, lone surrogates: nothing a name needs, and all of it can disguise one. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const TOKEN = /^[\x21-\x7e]+$/;

function bad(what: string, message: string): never {
  throw new FerryError('BAD_MESSAGE', `LocalSend ${what}: ${message}`);
}

function objectOf(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(what, 'not a JSON object');
  return v as Record<string, unknown>;
}

/** Dart apps write absent optional fields as null: both mean "not given". */
function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function label(r: Record<string, unknown>, key: string, max: number, what: string): string {
  const v = r[key];
  if (typeof v !== 'string') bad(what, given(v) ? `${key} must be a string` : `${key} is missing`);
  const trimmed = v.trim();
  if (trimmed === '') bad(what, `${key} is empty`);
  // Code points, not UTF-16 units: an emoji is one character to the person who typed it.
  if ([...trimmed].length > max) bad(what, `${key} is longer than ${max} characters`);
  if (UNPRINTABLE.test(trimmed)) bad(what, `${key} "${printable(trimmed.slice(0, max))}" holds control or direction characters`);
  return trimmed;
}

function versionOf(r: Record<string, unknown>, what: string): string {
  const v = r.version;
  if (!given(v)) bad(what, 'version is missing (a LocalSend v1 app, 1.8 or older, which Ferry does not speak)');
  if (typeof v !== 'string' || !VERSION.test(v))
    bad(what, `version must look like "2.1", not ${printable(JSON.stringify(v).slice(0, 40))}`);
  return v;
}

/** The major number of a validated version ("2.1" → 2). */
export function majorVersion(version: string): number {
  return Number(VERSION.exec(version)?.[1] ?? 0);
}

function fingerprintOf(r: Record<string, unknown>, protocol: LocalSendProtocol, what: string): string {
  const v = r.fingerprint;
  if (typeof v !== 'string') bad(what, given(v) ? 'fingerprint must be a string' : 'fingerprint is missing');
  if (protocol === 'https') {
    if (!HEX64.test(v)) bad(what, 'fingerprint must be the 64 hex digits of a SHA-256 (the device uses https)');
    return v.toLowerCase();
  }
  if (v.length === 0 || v.length > MAX_HTTP_FINGERPRINT_CHARS || !TOKEN.test(v)) {
    bad(what, `fingerprint must be 1–${MAX_HTTP_FINGERPRINT_CHARS} printable ASCII characters`);
  }
  return v;
}

function deviceTypeOf(r: Record<string, unknown>, what: string): DeviceType {
  const v = r.deviceType;
  if (!given(v)) return 'desktop';
  if (typeof v !== 'string') bad(what, 'deviceType must be a string');
  // A type from a newer app is still a device: LocalSend itself shows unknown ones as desktops.
  return (DEVICE_TYPES as readonly string[]).includes(v) ? (v as DeviceType) : 'desktop';
}

function optionalBoolean(r: Record<string, unknown>, key: string, what: string): boolean {
  const v = r[key];
  if (!given(v)) return false;
  if (typeof v !== 'boolean') bad(what, `${key} must be true or false`);
  return v;
}

function protocolOf(r: Record<string, unknown>, what: string): LocalSendProtocol {
  const v = r.protocol;
  if (v === 'http' || v === 'https') return v;
  return bad(
    what,
    given(v) ? `protocol must be "http" or "https", not ${printable(JSON.stringify(v).slice(0, 40))}` : 'protocol is missing',
  );
}

function portOf(r: Record<string, unknown>, what: string): number {
  const v = r.port;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
    bad(what, given(v) ? 'port must be a whole number from 1 to 65535' : 'port is missing');
  }
  return v;
}

function infoFields(r: Record<string, unknown>, protocol: LocalSendProtocol, what: string): InfoResponse {
  const model = r.deviceModel;
  return {
    alias: label(r, 'alias', MAX_ALIAS_CHARS, what),
    version: versionOf(r, what),
    deviceModel: given(model) ? label(r, 'deviceModel', MAX_MODEL_CHARS, what) : null,
    deviceType: deviceTypeOf(r, what),
    fingerprint: fingerprintOf(r, protocol, what),
    download: optionalBoolean(r, 'download', what),
  };
}

/**
 * The answer to register and to GET /info. Ferry only ever receives it over HTTPS, so its
 * fingerprint must be a certificate hash (the caller compares it with the certificate's).
 */
export function validateInfoResponse(v: unknown): InfoResponse {
  const what = 'device info';
  return infoFields(objectOf(v, what), 'https', what);
}

export function validateRegisterRequest(v: unknown, what = 'register request'): RegisterRequest {
  const r = objectOf(v, what);
  // The protocol decides what a valid fingerprint is, so it is read first.
  const protocol = protocolOf(r, what);
  return { ...infoFields(r, protocol, what), port: portOf(r, what), protocol };
}

export function validateAnnounce(v: unknown): Announce {
  const what = 'announcement';
  const r = objectOf(v, what);
  // v1 apps wrote `announcement`; 1.17 writes both keys; either set to true asks for an answer.
  const v2 = optionalBoolean(r, 'announce', what);
  const v1 = optionalBoolean(r, 'announcement', what);
  return { ...validateRegisterRequest(r, what), announce: v2 || v1 };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A UDP payload from the multicast group → an Announce, or FerryError BAD_MESSAGE saying why not. */
export function parseAnnounceDatagram(bytes: Uint8Array): Announce {
  if (bytes.length > MAX_DATAGRAM_BYTES) bad('announcement', `${bytes.length} bytes, more than the ${MAX_DATAGRAM_BYTES} allowed`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    bad('announcement', 'not UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    bad('announcement', 'not JSON');
  }
  return validateAnnounce(parsed);
}

/** Fingerprints as LocalSend compares them: 1.18 writes upper-case hex, Ferry lower. */
export function sameFingerprint(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

// ---- Ferry's own descriptions ----

/**
 * Always protocol "https" (Ferry serves LocalSend only over TLS, with its device certificate,
 * so that its fingerprint can be pinned) and download false (Ferry has no web share page).
 * deviceModel and deviceType are always written, never null: 1.18's parser takes no nulls.
 */
export function ownInfo(own: OwnDescription): InfoResponse {
  return {
    alias: own.alias,
    version: LOCALSEND_VERSION,
    deviceModel: FERRY_DEVICE_MODEL,
    deviceType: 'desktop',
    fingerprint: own.fingerprint.toLowerCase(),
    download: false,
  };
}

export function ownRegisterRequest(own: OwnDescription): RegisterRequest {
  return { ...ownInfo(own), port: own.port, protocol: 'https' };
}

/**
 * Both keys, as LocalSend 1.17 writes them: v1-era listeners read `announcement`, later ones
 * `announce`.
 */
export function ownAnnounceDatagram(own: OwnDescription, announce: boolean): Buffer {
  return Buffer.from(JSON.stringify({ ...ownRegisterRequest(own), announcement: announce, announce }), 'utf8');
}
