// The partial files a receiver keeps for resumes, as the person sees them: how much space the
// ones of a stopped transfer take, how much all of them in the download folder take, and
// deleting them on request. A partial that a running session holds is never touched.

import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PART_NAME } from '../disk.js';
import type { ReceiverShared } from './shared.js';

/** How many transfers' partial paths a receiver remembers (the newest). */
const REMEMBERED_TRANSFERS = 200;
/** A walk of the download folder stops after this many entries: a huge folder must not stall the app. */
const WALK_MAX_ENTRIES = 200_000;
const WALK_MAX_DEPTH = 32;

export interface PartialsSummary {
  files: number;
  bytes: number;
}

/**
 * Remembers the partial paths of an accepted offer (a retry of the same transfer replaces
 * them, and so does its end, with those of the files it did not save; none: forgotten).
 */
export function rememberPartials(shared: ReceiverShared, transferId: string, partPaths: readonly string[]): void {
  const m = shared.partialsByTransfer;
  m.delete(transferId);
  if (partPaths.length === 0) return;
  m.set(transferId, partPaths);
  if (m.size > REMEMBERED_TRANSFERS) {
    const oldest = m.keys().next();
    if (!oldest.done) m.delete(oldest.value);
  }
}

/** The partial files a transfer left that are still on disk. */
export async function partialsOf(shared: ReceiverShared, transferId: string): Promise<PartialsSummary> {
  return summarise(shared.partialsByTransfer.get(transferId) ?? []);
}

/** Deletes the partial files a transfer left (not those a session is writing now). */
export async function discardPartialsOf(shared: ReceiverShared, transferId: string): Promise<void> {
  await removeUnclaimed(shared, shared.partialsByTransfer.get(transferId) ?? []);
  shared.partialsByTransfer.delete(transferId);
}

/** Every partial file under the download folder. */
export async function allPartials(shared: ReceiverShared): Promise<PartialsSummary> {
  return summarise(await findPartials(shared.root));
}

/** Deletes every partial file under the download folder that no session is writing. */
export async function discardAllPartials(shared: ReceiverShared): Promise<void> {
  await removeUnclaimed(shared, await findPartials(shared.root));
  shared.partialsByTransfer.clear();
}

async function summarise(paths: readonly string[]): Promise<PartialsSummary> {
  let files = 0;
  let bytes = 0;
  for (const p of paths) {
    const st = await fs.lstat(p).catch(() => null);
    if (!st?.isFile()) continue;
    files++;
    bytes += st.size;
  }
  return { files, bytes };
}

async function removeUnclaimed(shared: ReceiverShared, paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    if (shared.claims.has(p) || !PART_NAME.test(path.basename(p))) continue;
    await fs.unlink(p).catch(() => {}); // gone already, or not ours to delete
  }
}

/** The partial files under root, found without following links. */
function findPartials(root: string): Promise<string[]> {
  return findFilesNamed(root, PART_NAME);
}

/**
 * Files under root whose name matches, found without following links, in a bounded walk (a
 * huge download folder must not stall the app). LocalSend's partial files are found with it too.
 */
export async function findFilesNamed(root: string, name: RegExp): Promise<string[]> {
  const found: string[] = [];
  let seen = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable: nothing of ours can be in it
    }
    for (const e of entries) {
      if (++seen > WALK_MAX_ENTRIES) return;
      const p = path.join(dir, e.name);
      if (e.isFile() && name.test(e.name)) found.push(p);
      else if (e.isDirectory() && depth < WALK_MAX_DEPTH) await walk(p, depth + 1);
    }
  };
  await walk(root, 0);
  return found;
}
