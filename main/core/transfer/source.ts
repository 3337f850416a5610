// Turns the paths a user picked into an offer's entries: folders keep their tree (empty
// ones included), names are made portable for every receiver's file system, and each
// file remembers the local path it is read from.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { FerryError } from '../errors.js';
import { MAX_MTIME, MAX_OFFER_ENTRIES, MAX_OFFER_PATH_BYTES } from '../protocol/limits.js';
import type { FileEntry } from '../protocol/messages.js';
import { portableName, wirePathProblem } from '../protocol/wire-path.js';
import { numberedName } from './disk.js';
import type { Source } from '../model/transport.js';

// The walk uses synchronous calls: a stat costs microseconds, a thread-pool round trip
// costs more, and a folder of 100,000 files is walked in well under a second.
export async function collectSource(paths: readonly string[]): Promise<Source> {
  const src: Source = { entries: [], locals: [], totalBytes: 0, fileCount: 0, skipped: [] };
  if (paths.length === 0) throw new FerryError('BAD_MESSAGE', 'nothing to send');
  const topNames = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = fs.statSync(p);
    } catch (err) {
      throw new FerryError('IO_ERROR', `cannot read ${p}: ${(err as Error).message}`);
    }
    const name = uniqueName(portableName(path.basename(path.resolve(p))), topNames);
    add(src, path.resolve(p), name, st);
  }
  const pathBytes = src.entries.reduce((n, e) => n + Buffer.byteLength(e.path, 'utf8'), 0);
  if (pathBytes > MAX_OFFER_PATH_BYTES) {
    throw new FerryError(
      'LIMIT_EXCEEDED',
      `the file names add up to ${pathBytes} bytes; one transfer holds at most ${MAX_OFFER_PATH_BYTES}`,
    );
  }
  if (src.entries.length > MAX_OFFER_ENTRIES) {
    throw new FerryError('LIMIT_EXCEEDED', `${src.entries.length} entries; one transfer holds at most ${MAX_OFFER_ENTRIES}`);
  }
  return src;
}

/**
 * Portable, distinct names for the children of one folder (local name → wire name). Names
 * already portable keep themselves; those that had to change (`a:b` → `a_b`) come second,
 * in the order given, and give way with " (1)", " (2)"… to a name that is taken, so the
 * real `a_b` is never the one renamed because of `a:b`.
 */
export function siblingNames(locals: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  const changed: Array<[string, string]> = [];
  for (const name of locals) {
    const portable = portableName(name);
    if (portable === name.normalize('NFC') && !taken.has(portable)) {
      taken.add(portable);
      out.set(name, portable);
    } else {
      changed.push([name, portable]);
    }
  }
  for (const [name, portable] of changed) out.set(name, uniqueName(portable, taken));
  return out;
}

function uniqueName(name: string, taken: Set<string>): string {
  let n = 0;
  while (taken.has(numberedName(name, n))) n++;
  const out = numberedName(name, n);
  taken.add(out);
  return out;
}

function add(src: Source, local: string, wirePath: string, st: fs.Stats): void {
  // Too deep or too long for the protocol (and for most file systems on the other end).
  const problem = wirePathProblem(wirePath);
  if (problem) {
    src.skipped.push({ path: wirePath, why: 'path', reason: problem });
    return;
  }
  if (st.isFile()) {
    const mtime = Math.trunc(st.mtimeMs);
    if (!(Math.abs(mtime) <= MAX_MTIME)) {
      src.skipped.push({ path: wirePath, why: 'mtime', reason: 'modification time out of range' });
      return;
    }
    const entry: FileEntry = { path: wirePath, size: st.size, mtime };
    src.entries.push(entry);
    src.locals.push(local);
    src.totalBytes += st.size;
    src.fileCount++;
    return;
  }
  if (!st.isDirectory()) {
    src.skipped.push({ path: wirePath, why: 'special', reason: 'not a regular file or folder' });
    return;
  }
  src.entries.push({ path: wirePath, dir: true });
  src.locals.push(local);
  if (src.entries.length > MAX_OFFER_ENTRIES) return;
  let children: fs.Dirent[];
  try {
    children = fs.readdirSync(local, { withFileTypes: true });
  } catch (err) {
    src.skipped.push({ path: wirePath, why: 'unreadable', reason: (err as Error).message });
    return;
  }
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = siblingNames(children.map((c) => c.name));
  for (const child of children) {
    const childLocal = path.join(local, child.name);
    const childWire = `${wirePath}/${names.get(child.name)!}`;
    let childSt;
    try {
      // A symlink to a file is sent as the file; one to a folder is skipped (cycles).
      childSt = child.isSymbolicLink() ? fs.statSync(childLocal) : fs.lstatSync(childLocal);
    } catch (err) {
      src.skipped.push({ path: childWire, why: 'unreadable', reason: (err as Error).message });
      continue;
    }
    if (child.isSymbolicLink() && childSt.isDirectory()) {
      src.skipped.push({ path: childWire, why: 'folder-link', reason: 'symbolic link to a folder' });
      continue;
    }
    add(src, childLocal, childWire, childSt);
  }
}
