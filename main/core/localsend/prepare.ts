// `POST /api/localsend/v2/prepare-upload`: an offer like any other. Checked (upload-messages.ts),
// the sender identified (peer.ts), reported as an `offer`, and put to the host's decide() while
// the request is held open, with no timeout: the person may take minutes. The sender going away
// (or posting /cancel) withdraws it: the decision is aborted and the transfer shows as cancelled.
// Accepted: the folders are made (nothing touches the disk before), and the answer carries a
// token per file that can land. A person who took part of the offer gets LocalSend's own way of
// saying so: the answer lists tokens for those files only (the sender skips the others, and an
// upload of one of them is refused like any unknown token); here they show as skipped
// (`file-failed` DECLINED). A folder chosen for the transfer is where its files land.

import { randomBytes, randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { FerryError, toFerryError } from '../errors.js';
import { formatBytes } from '../contract/format.js';
import { MAX_TEXT_BYTES } from '../contract/views.js';
import type { Decision, IncomingOffer } from '../model/transport.js';
import type { Entry } from '../protocol/messages.js';
import { FolderMaker, freeSpace, wireParts } from '../transfer/disk.js';
import { chosenFolder, leftOut, NOT_WANTED } from '../transfer/receive/choice.js';
import { identify, peerInfoOf, type LocalSendPeerInfo } from './peer.js';
import { Refusal } from './refusal.js';
import { parseJson, queryOf, readBody, remoteAddress, replyEmpty, replyError, replyJson } from './server-http.js';
import type { Deciding, ServerState } from './server-state.js';
import { LocalSendSession, type SessionFile } from './session.js';
import {
  LOCALSEND_LIMITS,
  parsePrepareUpload,
  type CheckedPrepareUpload,
  type OfferedFile,
  type PrepareUploadResponse,
} from './upload-messages.js';

/** How many ended sessions the server remembers (for partials() right after one ends). */
const REMEMBERED_SESSIONS = 20;

export async function prepareUpload(req: http.IncomingMessage, res: http.ServerResponse, st: ServerState): Promise<void> {
  const address = remoteAddress(req);
  if (st.secret) {
    throw new Refusal(403, 'AUTH_REQUIRED', 'This device accepts files only from devices that know its shared secret');
  }
  st.pins.check(queryOf(req).get('pin'), address);
  // Before reading a byte of the body: a busy receiver costs a second sender nothing.
  if (st.slot) throw busy();
  if (st.readingPrepares >= st.caps.parallelPrepares) throw new Refusal(503, 'TOO_MANY_CONNECTIONS', 'Busy, try again');
  st.readingPrepares++;
  let body: Buffer;
  try {
    body = await readBody(req, LOCALSEND_LIMITS.maxPrepareBytes, st.timeouts.idleMs);
  } finally {
    st.readingPrepares--;
  }
  const offer = parsePrepareUpload(parseJson(body));
  const id = identify(req.socket as TLSSocket, offer.info.fingerprint);
  if (st.slot) throw busy();
  const peer = peerInfoOf(id, offer.info, address, st.request.identity.deviceId, st.request.trust);
  const transferId = randomBytes(12).toString('base64url');
  // A text past Ferry's limit for texts is taken as what it also is: one .txt file.
  if (offer.text !== null && Buffer.byteLength(offer.text, 'utf8') <= MAX_TEXT_BYTES) {
    return decideText(res, st, transferId, peer, offer.text);
  }
  return decideFiles(res, st, transferId, peer, offer);
}

function busy(): Refusal {
  return new Refusal(409, 'TOO_MANY_CONNECTIONS', 'Blocked by another session');
}

/** Takes the slot for a prepare-upload waiting for its answer. */
function wait(
  res: http.ServerResponse,
  st: ServerState,
  transferId: string,
  address: string,
  text: boolean,
): { slot: Deciding; signal: AbortSignal } {
  const abort = new AbortController();
  const slot: Deciding = {
    kind: 'deciding',
    transferId,
    address,
    text,
    withdraw(by, message) {
      if (st.slot !== slot) return;
      st.slot = null;
      abort.abort(new FerryError('CANCELLED', message));
      st.emit({ event: 'cancelled', direction: 'receive', transferId, by, message });
      replyError(res, 403, by === 'local' ? 'Rejected' : 'Cancelled');
    },
  };
  st.slot = slot;
  res.once('close', () => {
    if (!res.writableEnded) slot.withdraw('peer', 'the sender withdrew the offer');
  });
  return { slot, signal: abort.signal };
}

/**
 * A text message: an offer like any other (the same policy and person decide), and once
 * accepted it is delivered then and there, as LocalSend's 204 says: no upload follows.
 */
async function decideText(
  res: http.ServerResponse,
  st: ServerState,
  transferId: string,
  peer: LocalSendPeerInfo,
  text: string,
): Promise<void> {
  const bytes = Buffer.byteLength(text, 'utf8');
  const { slot, signal } = wait(res, st, transferId, peer.address, true);
  st.emit({ event: 'offer', direction: 'receive', transferId, peer, fileCount: 0, dirCount: 0, totalBytes: bytes });
  let decision: Decision;
  try {
    decision = await st.request.decide({ transferId, peer, text, entries: [], fileCount: 0, dirCount: 0, totalBytes: bytes }, signal);
  } catch (err) {
    decision = { accept: false, code: 'INTERNAL', message: `could not decide: ${toFerryError(err).message}` };
  }
  if (st.slot !== slot) return; // withdrawn meanwhile
  if (!decision.accept) return decline(res, st, slot, decision.code ?? 'DECLINED', decision.message ?? 'the receiver declined', 403);
  st.slot = null;
  st.emit({ event: 'accepted', direction: 'receive', transferId, resumedBytes: 0, bytesToSend: bytes });
  st.emit({ event: 'text', direction: 'receive', transferId, text });
  st.emit({ event: 'done', direction: 'receive', transferId, ok: true, files: 0, failed: 0, bytes, wireBytes: bytes, seconds: 0 });
  replyEmpty(res, 204);
}

async function decideFiles(
  res: http.ServerResponse,
  st: ServerState,
  transferId: string,
  peer: LocalSendPeerInfo,
  offer: CheckedPrepareUpload,
): Promise<void> {
  const incoming = incomingOffer(transferId, peer, offer);
  const { slot, signal } = wait(res, st, transferId, peer.address, false);
  st.emit({
    event: 'offer',
    direction: 'receive',
    transferId,
    peer,
    fileCount: incoming.fileCount,
    dirCount: incoming.dirCount,
    totalBytes: incoming.totalBytes,
  });
  let decision: Decision;
  try {
    decision = await st.request.decide(incoming, signal);
  } catch (err) {
    decision = { accept: false, code: 'INTERNAL', message: `could not decide: ${toFerryError(err).message}` };
  }
  if (st.slot !== slot) return; // withdrawn meanwhile
  if (!decision.accept) return decline(res, st, slot, decision.code ?? 'DECLINED', decision.message ?? 'the receiver declined', 403);
  // The files the person left out, by path (LocalSend has no folders of its own to leave out).
  const out = leftOut(incoming.entries, decision.files);
  const outPaths = new Set(incoming.entries.filter((_, i) => out.has(i)).map((e) => e.path));
  const declined = offer.files.filter((f) => outPaths.has(f.path));
  const taken = offer.files.filter((f) => !outPaths.has(f.path));
  // Nothing taken is a no, said as LocalSend says one: no session, no empty answer.
  if (taken.length === 0) return decline(res, st, slot, 'DECLINED', 'the receiver took none of the files', 403);
  let landing: Landing;
  let root = st.root;
  try {
    if (decision.folder !== undefined) root = await chosenFolder(decision.folder);
    landing = await prepareLanding(st, root, taken);
  } catch (err) {
    const e = toFerryError(err, 'IO_ERROR');
    const message = e.message.split(root).join(root === st.root ? '<download folder>' : '<chosen folder>');
    return decline(res, st, slot, e.code, message.split(st.root).join('<download folder>'), e.code === 'NO_SPACE' ? 507 : 500);
  }
  if (st.slot !== slot) return;
  const session = new LocalSendSession(transferId, peer, peer.address, landing.files, landing.refused.length, landing.bytes, {
    emit: st.emit,
    idleMs: st.timeouts.sessionIdleMs,
    ended: (s) => {
      if (st.slot?.kind === 'active' && st.slot.session === s) st.slot = null;
      st.ended.set(s.transferId, s);
      if (st.ended.size > REMEMBERED_SESSIONS) st.ended.delete(st.ended.keys().next().value!);
    },
  });
  st.slot = { kind: 'active', session };
  st.emit({ event: 'accepted', direction: 'receive', transferId, resumedBytes: 0, bytesToSend: landing.bytes });
  // Not a failure: the host shows them skipped, and the session counts them nowhere.
  for (const f of declined) {
    st.emit({
      event: 'file-failed',
      direction: 'receive',
      transferId,
      path: f.path,
      code: 'DECLINED',
      message: NOT_WANTED,
      willRetry: false,
    });
  }
  for (const { file, message } of landing.refused) {
    st.emit({ event: 'file-failed', direction: 'receive', transferId, path: file.path, code: 'PATH_UNSAFE', message, willRetry: false });
  }
  if (landing.files.length === 0) replyError(res, 500, `None of the files can be saved: ${landing.refused[0]?.message ?? ''}`);
  else replyJson(res, 200, { sessionId: session.sessionId, files: session.tokens() } satisfies PrepareUploadResponse);
  session.start();
}

function decline(
  res: http.ServerResponse,
  st: ServerState,
  slot: Deciding,
  code: FerryError['code'],
  message: string,
  status: number,
): void {
  if (st.slot !== slot) return;
  st.slot = null;
  st.emit({ event: 'declined', direction: 'receive', transferId: slot.transferId, code, message });
  // LocalSend shows a 403 as "declined": its own word, whatever the reason here.
  replyError(res, status, status === 403 ? 'Rejected' : message);
}

/** The offer as the app sees any offer: its files, and the folders their paths imply (each once, before its files). */
function incomingOffer(transferId: string, peer: LocalSendPeerInfo, offer: CheckedPrepareUpload): IncomingOffer {
  const entries: Entry[] = [];
  const folders = new Set<string>();
  const now = Date.now();
  for (const f of offer.files) {
    for (let i = f.path.indexOf('/'); i !== -1; i = f.path.indexOf('/', i + 1)) {
      const dir = f.path.slice(0, i);
      if (folders.has(dir)) continue;
      folders.add(dir);
      entries.push({ path: dir, dir: true });
    }
    entries.push({ path: f.path, size: f.size, mtime: f.modifiedMs ?? now });
  }
  return { transferId, peer, text: null, entries, fileCount: offer.files.length, dirCount: folders.size, totalBytes: offer.totalBytes };
}

interface Landing {
  files: SessionFile[];
  refused: Array<{ file: OfferedFile; message: string }>;
  bytes: number;
}

/**
 * After the yes: the space checked, the folders made (never through a link), a token per file
 * that can land. Only the files the person took, in `root`: the download folder or the one chosen.
 */
async function prepareLanding(st: ServerState, root: string, taken: readonly OfferedFile[]): Promise<Landing> {
  const needed = taken.reduce((n, f) => n + f.size, 0);
  const free = await freeSpace(root);
  if (needed + st.caps.reserveBytes > free) {
    throw new FerryError(
      'NO_SPACE',
      `not enough free space: the files need ${formatBytes(needed)} and ${formatBytes(st.caps.reserveBytes)} stays free, but only ${formatBytes(free)} is free`,
    );
  }
  const maker = new FolderMaker(root);
  const dirs = new Map<string, string | FerryError>();
  await st.partials.sweep(root);
  const files: SessionFile[] = [];
  const refused: Landing['refused'] = [];
  let bytes = 0;
  for (const f of taken) {
    const parts = wireParts(f.path);
    const folder = parts.slice(0, -1);
    const key = folder.join('/');
    let dir = dirs.get(key);
    if (dir === undefined) {
      try {
        dir = folder.length > 0 ? await maker.ensure(folder) : root;
        await st.partials.sweep(dir);
      } catch (err) {
        // A folder we may not write through (a planted link, a file in the way): its files fail, the rest goes on.
        if (!(err instanceof FerryError && err.code === 'PATH_UNSAFE')) throw err;
        dir = err;
      }
      dirs.set(key, dir);
    }
    if (dir instanceof FerryError) {
      refused.push({ file: f, message: dir.message });
      continue;
    }
    files.push({
      offered: f,
      token: randomUUID(),
      folder,
      name: parts[parts.length - 1]!,
      dir,
      state: 'pending',
      attempts: 0,
      received: 0,
      stop: null,
    });
    bytes += f.size;
  }
  return { files, refused, bytes };
}
