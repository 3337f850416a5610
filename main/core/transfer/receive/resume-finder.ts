// What the receiver already holds of an accepted offer: partial files of an interrupted run,
// files it remembers saving, and namesakes on disk from an earlier run. Also the claims that
// keep one session at a time on a partial file, and the sweep of partials nobody came back for.

import type { Hash } from 'node:crypto';
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { EMPTY_MD5, inside, md5Prefix, PART_NAME } from '../disk.js';
import type { Held, InFile } from './in-file.js';
import type { ReceiverShared, Superseding } from './shared.js';

/** How long an interrupted transfer's partial file waits for its sender to come back. */
export const PARTIAL_TTL_MS = 7 * 24 * 3600 * 1000;
const COMPLETED_CACHE_MAX = 100_000;
// Partials whose md5 state is kept; beyond, the oldest is read again if its sender comes back.
const PREFIXES_MAX = 64;

/** The partial files one session writes: no other session touches them, and the sweep leaves them. */
export class PartialClaims {
  private taken: readonly string[] = [];
  private released = false;

  constructor(
    private readonly claims: Map<string, Superseding>,
    private readonly owner: Superseding,
  ) {}

  /** Takes these partial files, from an older connection of the same sender if need be. */
  async take(paths: readonly string[]): Promise<void> {
    const older = new Set<Superseding>();
    for (const p of paths) {
      const owner = this.claims.get(p);
      if (owner && owner !== this.owner) older.add(owner);
    }
    for (const s of older) await s.supersede();
    // Closed meanwhile: a claim now would outlive the session.
    if (this.released) return;
    for (const p of paths) this.claims.set(p, this.owner);
    this.taken = paths;
  }

  release(): void {
    this.released = true;
    for (const p of this.taken) {
      if (this.claims.get(p) === this.owner) this.claims.delete(p);
    }
  }
}

/**
 * Remembers the md5 state of a partial file its session just stopped writing (every byte
 * flushed and the file closed), so that a resume of a big file starts at once instead of
 * reading gigabytes back first. Kept only when the file holds exactly the bytes hashed.
 */
export async function rememberPrefix(shared: ReceiverShared, partPath: string, hash: Hash, bytes: number): Promise<void> {
  const st = await lstatOrNull(partPath);
  if (!st?.isFile() || st.nlink !== 1 || st.size !== bytes || bytes === 0) return;
  const p = shared.prefixes;
  p.delete(partPath);
  if (p.size >= PREFIXES_MAX) {
    const oldest = p.keys().next();
    if (!oldest.done) p.delete(oldest.value);
  }
  p.set(partPath, { hash: hash.copy(), size: st.size, dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
}

/** The md5 state after a partial's bytes: remembered when the file is untouched since, else read. */
async function prefixOf(shared: ReceiverShared, partPath: string, st: Stats): Promise<Hash> {
  const known = shared.prefixes.get(partPath);
  shared.prefixes.delete(partPath); // one use: the next stop remembers anew
  const same =
    known &&
    known.size === st.size &&
    known.dev === st.dev &&
    known.ino === st.ino &&
    known.mtimeMs === st.mtimeMs &&
    known.ctimeMs === st.ctimeMs;
  return same ? known.hash.copy() : md5Prefix(partPath, st.size);
}

/**
 * Remembers a saved file under its resume key, so a retried offer finds it held. One flat
 * string per file, the md5's 32 hex digits then the name: a receiver keeps up to 100,000 of
 * them for as long as it runs, and an object of four fields with its own strings took about
 * 250 bytes a file where this takes under 100 (size and mtime are part of the key).
 */
export function rememberCompleted(shared: ReceiverShared, partPath: string, md5: string, name: string): void {
  const c = shared.completed;
  if (c.size >= COMPLETED_CACHE_MAX) {
    const oldest = c.keys().next();
    if (!oldest.done) c.delete(oldest.value);
  }
  // join, not +: V8 would keep `md5 + name` as a pair pointing at both strings.
  c.set(partPath, [md5, name].join(''));
}

const MD5_HEX = 32;

/** A saved file remembered under this resume key: its md5 and the name it was saved under. */
function completedAt(shared: ReceiverShared, partPath: string): { md5: string; name: string } | null {
  const saved = shared.completed.get(partPath);
  return saved === undefined ? null : { md5: saved.slice(0, MD5_HEX), name: saved.slice(MD5_HEX) };
}

/**
 * Sets what we already hold of each file: a partial from an interrupted run, or the whole
 * file from an earlier one. One directory listing per folder keeps this cheap for offers of
 * many files; only names that are there get a closer look. Stops early once `signal` aborts.
 * `root` is where this transfer lands: the download folder, or the one the person chose.
 */
export async function findHeld(shared: ReceiverShared, root: string, files: readonly InFile[], signal: AbortSignal): Promise<void> {
  const listings = new Map<string, Promise<Set<string> | null>>();
  const list = (parts: readonly string[]): Promise<Set<string> | null> => {
    const key = parts.join('/');
    let p = listings.get(key);
    if (!p) {
      p = listFolder(shared, root, parts);
      listings.set(key, p);
    }
    return p;
  };
  for (const f of files) {
    const names = await list(f.folder);
    if (signal.aborted) return;
    // No real folder there: nothing of this offer can be in it (and a link is never trusted).
    // Most files of a new offer have neither a partial, a record nor a namesake: skip them fast.
    const worthALook = names !== null && (names.has(path.basename(f.partPath)) || names.has(f.name) || shared.completed.has(f.partPath));
    f.held = worthALook ? await heldOf(shared, root, f, names) : null;
  }
}

/** Names in root/parts…, or null if it does not exist or any step is not a real folder. */
async function listFolder(shared: ReceiverShared, root: string, parts: readonly string[]): Promise<Set<string> | null> {
  // Synchronous metadata calls: cheaper than thread-pool round trips, folder after folder.
  for (let i = 1; i <= parts.length; i++) {
    const st = lstatSync(inside(root, parts.slice(0, i)), { throwIfNoEntry: false });
    if (!st?.isDirectory()) return null; // missing, or a link we will refuse to write through
  }
  const dir = parts.length > 0 ? inside(root, parts) : root;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  await sweepStalePartials(shared, dir, names);
  return new Set(names.map((n) => n.normalize('NFC')));
}

/**
 * Partials nobody came back for are removed when we pass by their folder: those untouched
 * for PARTIAL_TTL and not held by a transfer in progress (this offer's own are claimed).
 */
async function sweepStalePartials(shared: ReceiverShared, dir: string, names: readonly string[]): Promise<void> {
  const cutoff = Date.now() - PARTIAL_TTL_MS;
  for (const name of names) {
    if (!PART_NAME.test(name)) continue;
    const p = path.join(dir, name);
    if (shared.claims.has(p)) continue;
    const st = await lstatOrNull(p);
    if (st?.isFile() && st.mtimeMs < cutoff) await fs.rm(p, { force: true }).catch(() => {});
  }
}

async function heldOf(shared: ReceiverShared, root: string, f: InFile, names: Set<string>): Promise<Held | null> {
  const size = f.entry.size;
  if (names.has(path.basename(f.partPath))) {
    const partial = await lstatOrNull(f.partPath);
    if (partial && partial.isFile() && partial.nlink === 1 && partial.size > 0 && partial.size <= size) {
      const hash = await prefixOf(shared, f.partPath, partial);
      return { kind: 'partial', offset: partial.size, md5: hash.copy().digest('hex'), hash };
    }
  }
  // A file held whole is answered as held, empty ones too: a retried or repeated transfer
  // then ends with one copy of each file, never a "name (1)" of what is already there.
  const done = completedAt(shared, f.partPath);
  if (done) {
    const st = await lstatOrNull(path.join(f.dir, done.name));
    // Unchanged since we saved it (we stamped the sender's mtime): the md5 still holds.
    if (st?.isFile() && st.size === size && sameMtime(st.mtimeMs, f.entry.mtime)) {
      return { kind: 'present', offset: size, md5: done.md5, name: done.name };
    }
  }
  // The same file may have arrived in an earlier run of this receiver: same name, size and mtime.
  if (!names.has(f.name)) return null;
  const finalPath = inside(root, [...f.folder, f.name]);
  const st = await lstatOrNull(finalPath);
  if (st?.isFile() && st.size === size && sameMtime(st.mtimeMs, f.entry.mtime)) {
    const md5 = size === 0 ? EMPTY_MD5 : (await md5Prefix(finalPath, size)).digest('hex');
    return { kind: 'present', offset: size, md5, name: path.basename(finalPath) };
  }
  return null;
}

/**
 * A stamped mtime reads back within a millisecond of what was set: file systems store
 * seconds and nanoseconds, and the conversion from milliseconds is not exact.
 */
function sameMtime(statMs: number, wireMs: number): boolean {
  return Math.abs(statMs - wireMs) < 1;
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch {
    return null;
  }
}
