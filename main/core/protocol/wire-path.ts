// What a path may look like on the wire: relative, POSIX separators, and portable to every
// file system Ferry runs on. The receiver rejects anything else; the sender makes names
// portable (see portableName) before offering them, so a transfer that works between two
// Linux machines also works to Windows.

import { MAX_COMPONENT_BYTES, MAX_NAME_CHARS, MAX_PATH_BYTES, MAX_PATH_DEPTH } from './limits.js';

// C0 and C1 controls, DEL, characters Windows forbids, and bidi overrides that can disguise
// an extension ("gpj.exe" shown as "exe.jpg").
// Lone UTF-16 surrogates too: they cannot be stored as names and would collide as U+FFFD.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\/:*?"<>|\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

function isReserved(component: string): boolean {
  const dot = component.indexOf('.');
  const stem = (dot < 0 ? component : component.slice(0, dot)).trimEnd();
  // No device name is longer than "conout$": most names end the check here.
  return stem.length <= 7 && RESERVED.test(stem);
}

// An offer of 100,000 files repeats each folder's path in every file's: a folder (its NFC
// form) whose components passed is remembered, and the files in it have only their own
// name checked. Bounded, so distinct folders only ever refill it.
const FOLDERS_PASSED_MAX = 4096;
const foldersPassed = new Set<string>();

/** Why a single path component is not acceptable, or null if it is. */
export function componentProblem(c: string): string | null {
  if (c.length === 0) return 'empty path component';
  if (c === '.' || c === '..') return `"${c}" component`;
  if (FORBIDDEN.test(c)) return 'forbidden character (control, \\ : * ? " < > | or bidi override)';
  if (c.endsWith('.') || c.endsWith(' ')) return 'component ends with a dot or space';
  if (isReserved(c)) return 'reserved device name';
  if (Buffer.byteLength(c, 'utf8') > MAX_COMPONENT_BYTES) return `component longer than ${MAX_COMPONENT_BYTES} bytes`;
  return null;
}

/** Why a wire path is not acceptable, or null if it is. */
export function wirePathProblem(p: string): string | null {
  if (p.length === 0) return 'empty path';
  if (Buffer.byteLength(p, 'utf8') > MAX_PATH_BYTES) return `path longer than ${MAX_PATH_BYTES} bytes`;
  if (p.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(p)) return 'drive letter';
  // Receivers store the NFC form: it must pass too (NFC can lengthen a component).
  const nfc = p.normalize('NFC');
  if (nfc !== p && Buffer.byteLength(nfc, 'utf8') > MAX_PATH_BYTES) return `path longer than ${MAX_PATH_BYTES} bytes`;
  const parts = nfc.split('/');
  if (parts.length > MAX_PATH_DEPTH) return `path deeper than ${MAX_PATH_DEPTH} levels`;
  const cut = nfc.lastIndexOf('/');
  const folder = cut > 0 ? nfc.slice(0, cut) : null;
  const folderPassed = folder !== null && foldersPassed.has(folder);
  for (let i = folderPassed ? parts.length - 1 : 0; i < parts.length; i++) {
    const problem = componentProblem(parts[i]!);
    if (problem) return problem;
  }
  if (folder !== null && !folderPassed) {
    if (foldersPassed.size >= FOLDERS_PASSED_MAX) foldersPassed.clear();
    foldersPassed.add(folder);
  }
  return null;
}

/** A version of a local file name that passes componentProblem (for the sender). */
export function portableName(name: string): string {
  const nfc = name.normalize('NFC');
  if (componentProblem(nfc) === null) return nfc;
  let out = fitComponent(nfc.replace(FORBIDDEN_ALL, '_'));
  if (isReserved(out)) {
    // Right after the device name ("CON_.txt"), where a later shortening cannot remove it.
    const at = out.split('.')[0]!.trimEnd().length;
    out = fitComponent(`${out.slice(0, at)}_${out.slice(at)}`);
  }
  return out;
}

// Shortening comes first: cutting a long name can expose a trailing dot or space.
function fitComponent(name: string): string {
  const out = truncateUtf8(name, MAX_COMPONENT_BYTES).replace(/[. ]+$/u, (m) => '_'.repeat(m.length));
  return out === '' ? '_' : out;
}

/** Shortens a name to at most maxBytes of UTF-8, keeping its extension and whole characters. */
export function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = [...name.slice(0, name.length - ext.length)];
  while (stem.length > 0 && Buffer.byteLength(stem.join('') + ext, 'utf8') > maxBytes) stem.pop();
  return stem.join('') + ext;
}

/** Display-safe form of untrusted text: control and bidi characters never reach a terminal raw. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

export function printable(s: string): string {
  if (!UNPRINTABLE.test(s)) return s;
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu, (ch) => {
    const hex = ch.codePointAt(0)!.toString(16).padStart(2, '0');
    return `\\x${hex}`;
  });
}

/**
 * A device name fit to show and to announce: without control characters and bidi overrides,
 * trimmed, at most MAX_NAME_CHARS UTF-16 units (the protocol's unit) without splitting a
 * character; an empty result becomes "Ferry device".
 */
export function cleanDeviceName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu, '').trim();
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length > MAX_NAME_CHARS) break;
    out += ch;
  }
  return out || 'Ferry device';
}
