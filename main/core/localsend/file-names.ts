// Where a LocalSend file lands: its `fileName` ("a.jpg", or "Photos/2024/a.jpg" for a folder)
// must be a path Ferry's own protocol would accept (protocol/wire-path.ts), or the whole
// prepare-upload is refused before anything is written. LocalSend's CVE-2025-27142 was a
// traversal through exactly this field. Unlike a Ferry offer, a LocalSend offer may name the
// same file twice (photos of two albums, both IMG_0001.jpg): the later ones are numbered
// here, so that every file of a transfer has a path of its own.

import { printable, wirePathProblem } from '../protocol/wire-path.js';
import { numberedName, PART_NAME } from '../transfer/disk.js';
import { Refusal } from './refusal.js';

/** The temporary name of a LocalSend upload in progress (no resume: random, never reused). */
export const LOCALSEND_PART_NAME = /^\.[0-9a-f]{24}\.localsend-part$/;
export const LOCALSEND_PART_SUFFIX = '.localsend-part';
/** Files of one offer sharing a name: beyond this many, the offer is refused. */
const MAX_NUMBER = 100_000;

/** Why a LocalSend fileName may not land, or null if it may (the same rules as a Ferry wire path). */
export function fileNameProblem(fileName: string): string | null {
  return wirePathProblem(fileName);
}

/**
 * The landing path of each fileName, in order: NFC, unique within the offer (case as sent),
 * never the name of a temporary file, and never a file where another file needs a folder.
 * Throws a 400 Refusal naming the first unsafe fileName.
 */
export function offeredPaths(fileNames: readonly string[]): string[] {
  const paths = fileNames.map((name) => {
    const problem = fileNameProblem(name);
    if (problem) throw new Refusal(400, 'PATH_UNSAFE', `unsafe file name "${printable(name.slice(0, 300))}": ${problem}`);
    return name.normalize('NFC');
  });
  const folders = new Set<string>();
  for (const p of paths) {
    // Slices share the path's memory: a deep tree costs no copies.
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) folders.add(p.slice(0, i));
  }
  const taken = new Set<string>(folders);
  const out: Array<string | null> = paths.map(() => null);
  // Names as sent first, so that a later duplicate never pushes an earlier file's own name aside.
  paths.forEach((p, i) => {
    if (taken.has(p) || isTemporaryName(p.slice(p.lastIndexOf('/') + 1))) return;
    taken.add(p);
    out[i] = p;
  });
  // Where the numbering of each name goes on: 20,000 files of one name stay linear.
  const next = new Map<string, number>();
  return paths.map((p, i) => out[i] ?? numbered(p, taken, next));
}

function numbered(p: string, taken: Set<string>, next: Map<string, number>): string {
  const cut = p.lastIndexOf('/');
  const dir = p.slice(0, cut + 1);
  const name = p.slice(cut + 1);
  for (let n = next.get(p) ?? 1; n <= MAX_NUMBER; n++) {
    const candidate = numberedName(name, n);
    const full = dir + candidate;
    // A numbered name can outgrow the path limit: then it is no candidate.
    if (!taken.has(full) && !isTemporaryName(candidate) && fileNameProblem(full) === null) {
      taken.add(full);
      next.set(p, n + 1);
      return full;
    }
  }
  throw new Refusal(400, 'PATH_UNSAFE', `no unique name for "${printable(p.slice(0, 300))}" in this transfer`);
}

/** Names Ferry's and this server's clean-up take for their own temporary files. */
function isTemporaryName(name: string): boolean {
  return PART_NAME.test(name) || LOCALSEND_PART_NAME.test(name);
}
