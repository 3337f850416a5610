// After a person (or a policy) accepts an offer: where each file lands (the download folder,
// or the folder the person chose for this transfer), what we already hold of it, whether it
// fits on the volume, the folders made before any data, and the answer (resume points, then,
// for a 1.1 sender, the files that will not land: left out by the person, or blocked).

import { FerryError, type ErrorCode } from '../../errors.js';
import { formatBytes } from '../../contract/format.js';
import type { Decision } from '../../model/transport.js';
import { inFrames, isDir, type ResumePoint } from '../../protocol/messages.js';
import { rememberPartials } from './partials.js';
import type { Connection } from '../connection.js';
import { FolderMaker, freeSpace, inside, partPathIn, wireParts } from '../disk.js';
import type { Peer } from '../handshake.js';
import { chosenFolder, leftOut, NOT_WANTED } from './choice.js';
import { WAITING, FAILED, type InFile } from './in-file.js';
import type { CheckedOffer } from './offer-check.js';
import { findHeld, type PartialClaims } from './resume-finder.js';
import { forPeer, type ReceiverShared } from './shared.js';

/** An accepted offer, ready for its answer. */
export interface Acceptance {
  /** Where this transfer lands (resolved): the download folder, or the one the person chose. */
  root: string;
  files: InFile[];
  folders: FolderMaker;
  resume: ResumePoint[];
  /** Bytes we hold already (resume points and whole files), and bytes still to come. */
  heldBytes: number;
  neededBytes: number;
  /** Files the person left out (refused as DECLINED), and their bytes. */
  declined: InFile[];
  declinedBytes: number;
  /**
   * Files refused in the answer, to a 1.1 sender: those left out (DECLINED) and those whose
   * folder is blocked (PATH_UNSAFE). A 1.0 sender hears of either only after it sent the file.
   */
  refusals: Array<{ file: InFile; code: ErrorCode; message: string }>;
}

type Accepting = Extract<Decision, { accept: true }>;

/**
 * Finds what we already hold, checks the space, creates the folders. Null if the session
 * closed meanwhile (`signal`); throws NO_SPACE when the offer does not fit.
 *
 * With a folder chosen for this transfer, everything happens there: partial files, resume
 * lookups, the free-space check. Resume still works because a partial's name depends only on
 * who sends what (§8.2), not on where it lands: a sender that reconnects offers the same files
 * again, the person is asked again (or the policy accepts), and if the same folder is chosen
 * the partials and files saved there are found as in the download folder. Another folder finds
 * nothing and the files start over there; what the first folder got stays where it is.
 */
export async function prepareAcceptance(
  shared: ReceiverShared,
  offer: CheckedOffer,
  peer: Peer,
  claims: PartialClaims,
  signal: AbortSignal,
  decision: Accepting,
): Promise<Acceptance | null> {
  const root = decision.folder !== undefined ? await chosenFolder(decision.folder) : shared.root;
  const out = leftOut(offer.entries, decision.files);
  const files = placeFiles(root, offer, peer.info.deviceId, out);
  const taken = files.filter((f) => !f.declined);
  const declined = files.filter((f) => f.declined);
  let declinedBytes = 0;
  for (const f of declined) declinedBytes += f.entry.size;
  // A file left out is never looked for nor claimed: nothing of it is ours to touch.
  await claims.take(taken.map((f) => f.partPath));
  rememberPartials(
    shared,
    offer.transferId,
    taken.map((f) => f.partPath),
  );
  await findHeld(shared, root, taken, signal);
  if (signal.aborted) return null;
  const resume: ResumePoint[] = [];
  let heldBytes = 0;
  for (const f of taken) {
    // An empty file held has no resume point (its offset would be 0): its data-less
    // file-end finds it held all the same.
    if (f.held && f.held.offset > 0) {
      resume.push({ file: f.index, offset: f.held.offset, md5: f.held.md5 });
      heldBytes += f.held.offset;
    }
  }
  const neededBytes = offer.totalBytes - declinedBytes - heldBytes;
  const free = await freeSpace(root);
  if (neededBytes + shared.reserveBytes > free) {
    throw new FerryError(
      'NO_SPACE',
      `not enough free space: the files need ${formatBytes(neededBytes)}${heldBytes > 0 ? ' more' : ''} and ${formatBytes(shared.reserveBytes)} stays free, but only ${formatBytes(free)} is free`,
    );
  }
  // Accepted: make the tree now, before any data, so every small file that arrives can be
  // finished synchronously in a folder known to exist. Only what the person kept: folders
  // of files left out are not made, empty folders they kept are.
  const folders = new FolderMaker(root);
  const wanted = new Set<string>();
  offer.entries.forEach((e, index) => {
    if (!out.has(index)) wanted.add(isDir(e) ? e.path : parentOf(e.path));
  });
  wanted.delete('');
  const blocked = new Map<string, string>();
  for (const dir of wanted) {
    try {
      await folders.ensure(wireParts(dir));
    } catch (err) {
      // A folder we may not write through (a planted link): its files fail, the rest goes on.
      if (!(err instanceof FerryError && err.code === 'PATH_UNSAFE')) throw err;
      blocked.set(dir, err.message);
    }
    if (signal.aborted) return null;
  }
  if (signal.aborted) return null; // while the free space was looked up, with no folder to make
  // A 1.1 sender is told at once which files will not land, instead of streaming them for a
  // failing verdict; a 1.0 sender gets that verdict after it sent the file, as 1.0 says.
  const refusals: Acceptance['refusals'] = [];
  for (const f of peer.speaks11 ? files : []) {
    const why = f.declined ? NOT_WANTED : blocked.get(parentOf(f.entry.path));
    if (why === undefined) continue;
    f.phase = FAILED;
    refusals.push({ file: f, code: f.declined ? 'DECLINED' : 'PATH_UNSAFE', message: why });
  }
  return { root, files, folders, resume, heldBytes, neededBytes, declined, declinedBytes, refusals };
}

/** Says yes: the answer, the resume points, then the refusals (1.1 senders only). */
export function sendAnswer(conn: Connection, shared: ReceiverShared, offer: CheckedOffer, peer: Peer, a: Acceptance): void {
  conn.send({
    type: 'answer',
    transferId: offer.transferId,
    accept: true,
    resumeCount: a.resume.length,
    ...(peer.speaks11 ? { refusedCount: a.refusals.length } : {}),
  });
  for (const group of inFrames(a.resume)) conn.send({ type: 'resume', entries: group });
  for (const { file, code, message } of a.refusals) {
    conn.send({ type: 'verdict', file: file.index, ok: false, code, message: forPeer(shared, message, a.root) });
  }
}

/** Each file of the offer with the folder it lands in and its temporary file there. */
function placeFiles(root: string, offer: CheckedOffer, senderId: string, out: ReadonlySet<number>): InFile[] {
  const files: InFile[] = [];
  // One folder array and path per folder, shared by its files: an offer may hold 100,000.
  const folders = new Map<string, { folder: readonly string[]; dir: string }>();
  offer.entries.forEach((e, index) => {
    if (isDir(e)) return;
    const parts = wireParts(e.path);
    const name = parts.pop() ?? '';
    const key = parts.join('/');
    let place = folders.get(key);
    if (place === undefined) {
      place = { folder: parts, dir: parts.length > 0 ? inside(root, parts) : root };
      folders.set(key, place);
    }
    files.push({
      index,
      entry: e,
      folder: place.folder,
      name,
      dir: place.dir,
      partPath: partPathIn(place.dir, senderId, e.path, e.size, e.mtime),
      declined: out.has(index),
      held: null,
      phase: WAITING,
      attempts: 0,
      received: 0,
      resumedFrom: 0,
    });
  });
  return files;
}

/** "a/b/c.txt" → "a/b"; "c.txt" → "". */
function parentOf(wirePath: string): string {
  return wirePath.slice(0, Math.max(0, wirePath.lastIndexOf('/')));
}
