// LocalSend's sending side (protocol v2, as LocalSend 1.15–1.18 apps receive): who the receiver
// is (send-peer.ts), the files hashed and described (send-prepare.ts), the offer held open while
// the person decides, with the PIN asked for when wanted (send-offer.ts), then the uploads
// (send-uploads.ts). Every request is mutual TLS with Ferry's certificate, pinned to the
// receiver's fingerprint (learnt from its first answer for a device added by address).
//
// The events are those Ferry's own sender emits, so the app's queue and the CLI's printer need
// nothing of their own: connecting → connected → offer → accepted → progress / file-done /
// file-failed → done; or declined, cancelled or error. There is one attempt: LocalSend has no
// resume, and a new offer would ask the person again.
//
// A cancel here posts /cancel to the receiver, then aborts what is in flight. A receiver that
// cancels posts /cancel to *our* LocalSend server, which hands it to cancelledByReceiver
// (send-cancel.ts); one whose notice never arrives (our server not running, or not where `info`
// said) is noticed at the next upload, which it answers 403 or 409.

import { FerryError, toFerryError } from '../errors.js';
import type { EventSink } from '../model/events.js';
import type { SendResult, Source } from '../model/transport.js';
import type { LocalIdentity } from '../security/identity.js';
import { printable } from '../protocol/wire-path.js';
import type { TrustView } from '../store/trust-store.js';
import { LOCALSEND_PORT, ownRegisterRequest } from './announce.js';
import type { ExpectedServer } from './https-client.js';
import type { LocalSendPeerInfo } from './peer.js';
import { active, noticeAfter, plainAddress, postCancel, resolveAddresses, type ActiveSend } from './send-cancel.js';
import { offerFiles, type AskPin } from './send-offer.js';
import { identifyReceiver } from './send-peer.js';
import { prepareBody, prepareFiles, type OutgoingFile } from './send-prepare.js';
import { SessionGone, Uploads, type Failed } from './send-uploads.js';
import { textFile, type TextFile } from './send-text.js';

export interface LocalSendSendRequest {
  host: string;
  port: number;
  /** The receiver's certificate fingerprint (from discovery/registration), or FIRST_CONTACT for a device added by address. */
  fingerprint: ExpectedServer;
  source: Source;
  /** A text message instead of the source's files (LocalSend's text/plain with a preview). */
  text?: string;
  transferId: string;
  identity: LocalIdentity;
  /** Our own LocalSend server's port for the `info` we send (null: not running; then say 53317). */
  ownPort: number | null;
  trust: TrustView;
  signal: AbortSignal;
  onEvent: EventSink;
  /** A PIN to try first (CLI --pin). */
  pin?: string | null;
  /** Asked on a 401: 'required' (no PIN given yet) or 'wrong' (the last one refused). Resolve null to give up. Without it a 401 fails with AUTH_REQUIRED / AUTH_FAILED. */
  askPin?: AskPin;
  /** Files uploaded at once (default 2, as LocalSend 1.18). */
  parallel?: number;
  /**
   * Retries of a file answered 422 (default 2: three sends in all, which is what LocalSend 1.18
   * receivers allow; they refuse a fourth with 403, which would read as the session ending).
   */
  uploadRetries?: number;
}

export const DEFAULT_PARALLEL = 2;
export const DEFAULT_UPLOAD_RETRIES = 2;
/** How long uploads go on after our cancel, for the receiver to hear of it before they stop. */
const CANCEL_GRACE_MS = 250;

export { cancelledByReceiver } from './send-cancel.js';

export async function sendToLocalSend(r: LocalSendSendRequest): Promise<SendResult> {
  const started = performance.now();
  const { transferId } = r;
  const emit = r.onEvent;
  // Aborted by our cancel, the receiver's, or an upload that ended the transfer: every request stops.
  const run = new AbortController();
  const me: ActiveSend = { addresses: new Set([plainAddress(r.host)]), sessionId: null, byPeer: false, stop: () => run.abort() };
  let pinned: string | null = null;
  let offered = false;
  let peer: LocalSendPeerInfo | null = null;
  // Our cancel notice, once posted (an object: the abort listener sets it).
  const ours: { notice: Promise<void> | null } = { notice: null };
  const onAbort = (): void => {
    if (me.sessionId === null || pinned === null) return run.abort();
    // Tell the receiver first, then hang up: uploads cut before its cancel arrives would read
    // there as files that failed (and, all failed, as a transfer that finished), not as a
    // cancel. A receiver that does not answer at once is hung up on anyway.
    const grace = setTimeout(() => run.abort(), CANCEL_GRACE_MS);
    ours.notice = postCancel(r, pinned, me.sessionId).finally(() => {
      clearTimeout(grace);
      run.abort();
    });
  };
  if (r.signal.aborted) run.abort();
  else r.signal.addEventListener('abort', onAbort, { once: true });
  active.add(me);
  let text: TextFile | null = null;
  try {
    emit({ event: 'connecting', direction: 'send', transferId, host: r.host, port: r.port, attempt: 1 });
    await resolveAddresses(me, r.host);
    const receiver = await identifyReceiver({ ...r, signal: run.signal });
    pinned = receiver.fingerprint;
    peer = receiver.peer;
    emit({ event: 'connected', direction: 'send', transferId, peer });
    const { source } = r;
    const textBytes = r.text !== undefined ? Buffer.byteLength(r.text, 'utf8') : 0;
    emit({
      event: 'offer',
      direction: 'send',
      transferId,
      peer,
      fileCount: r.text !== undefined ? 0 : source.fileCount,
      dirCount: r.text !== undefined ? 0 : source.entries.length - source.fileCount,
      totalBytes: r.text !== undefined ? textBytes : source.totalBytes,
    });
    if (r.text !== undefined) text = await textFile(r.text, run.signal);
    const { files, unreadable } = text ? { files: [text.file], unreadable: [] } : await prepareFiles(source, run.signal);
    for (const u of unreadable)
      emit({ event: 'file-failed', direction: 'send', transferId, ...u, path: printable(u.path), willRetry: false });
    const end = (uploaded: OutgoingFile[], failed: Failed[], wireBytes: number): SendResult => {
      const result: SendResult = {
        transferId,
        ok: failed.length === 0,
        files: uploaded.length,
        failed,
        bytes: uploaded.reduce((n, f) => n + f.entry.size, 0),
        wireBytes,
        peer,
      };
      const seconds = (performance.now() - started) / 1000;
      emit({
        event: 'done',
        direction: 'send',
        transferId,
        ok: result.ok,
        files: result.files,
        failed: failed.length,
        bytes: result.bytes,
        wireBytes,
        seconds,
      });
      return result;
    };
    // Nothing LocalSend can carry (only empty folders), or nothing readable: no offer at all.
    if (files.length === 0) return end([], unreadable, 0);
    const own = { alias: r.identity.deviceName, fingerprint: r.identity.deviceId, port: r.ownPort ?? LOCALSEND_PORT };
    offered = true;
    const answer = await offerFiles({
      host: r.host,
      port: r.port,
      fingerprint: pinned,
      credentials: r.identity.tls,
      alias: receiver.info.alias,
      body: prepareBody(ownRegisterRequest(own), files),
      signal: run.signal,
      pin: r.pin ?? null,
      askPin: r.askPin,
    });
    if (answer.kind === 'nothing' && text) {
      // 204 to a text: shown there, delivered; no upload follows.
      emit({ event: 'accepted', direction: 'send', transferId, resumedBytes: 0, bytesToSend: textBytes });
      const result = end([], [], textBytes);
      return { ...result, bytes: textBytes };
    }
    // 204: the receiver took none of it (LocalSend's "nothing selected"), which is not a failure.
    if (answer.kind === 'nothing') return end([], unreadable, 0);
    me.sessionId = answer.sessionId;
    // Files the receiver left out (it may pick a subset) are neither sent nor failed: no event
    // names them, so they stay "pending" in the app's file list; the app can tell them apart
    // once `done` arrives (done.files + done.failed < the offer's fileCount) and show them as
    // "not wanted by the receiver".
    const accepted = files.filter((f) => answer.tokens.has(f.dto.id));
    emit({
      event: 'accepted',
      direction: 'send',
      transferId,
      resumedBytes: 0,
      bytesToSend: accepted.reduce((n, f) => n + f.entry.size, 0),
    });
    const uploads = new Uploads({
      host: r.host,
      port: r.port,
      fingerprint: pinned,
      credentials: r.identity.tls,
      alias: receiver.info.alias,
      sessionId: answer.sessionId,
      files: accepted.map((file) => ({ file, token: answer.tokens.get(file.dto.id)! })),
      parallel: Math.max(1, Math.floor(r.parallel ?? DEFAULT_PARALLEL)),
      attempts: 1 + Math.max(0, Math.floor(r.uploadRetries ?? DEFAULT_UPLOAD_RETRIES)),
      transferId,
      emit,
      signal: run.signal,
      cancelled: r.signal,
      halt: () => run.abort(),
    });
    const outcome = await uploads.run();
    const failedPaths = new Set(outcome.failed.map((f) => f.path));
    return end(
      accepted.filter((f) => !failedPaths.has(f.entry.path)),
      [...unreadable, ...outcome.failed],
      outcome.wireBytes,
    );
  } catch (err) {
    run.abort();
    const e = toFerryError(err);
    if (r.signal.aborted) {
      // While the offer waits there is no session id yet: LocalSend receivers take a cancel
      // without one from the address that made the offer.
      if (ours.notice) await ours.notice;
      else if (offered && pinned !== null) await postCancel(r, pinned, me.sessionId);
      const message = 'cancelled by the sender';
      emit({ event: 'cancelled', direction: 'send', transferId, by: 'local', message });
      throw new FerryError('CANCELLED', message, { cause: e });
    }
    if (me.byPeer || e instanceof SessionGone) {
      const message = e instanceof SessionGone ? e.message : 'cancelled by the receiver';
      emit({ event: 'cancelled', direction: 'send', transferId, by: 'peer', message });
      throw new FerryError('CANCELLED', message, { cause: e });
    }
    if (e.code === 'DECLINED' || e.code === 'BUSY') {
      emit({ event: 'declined', direction: 'send', transferId, code: e.code, message: e.message });
      throw e;
    }
    if (me.sessionId !== null && pinned !== null) {
      // The receiver holds a session for us (and takes no other sender meanwhile): free it. A
      // receiver that cancelled drops our uploads and posts its notice: the connection may
      // break a moment before the notice arrives, so it is given that moment.
      const dropped = e.code === 'CONNECTION_LOST' || e.code === 'CONNECT_FAILED';
      await Promise.all([postCancel(r, pinned, me.sessionId), dropped ? noticeAfter(me) : null]);
      if (me.byPeer) {
        const message = 'cancelled by the receiver';
        emit({ event: 'cancelled', direction: 'send', transferId, by: 'peer', message });
        throw new FerryError('CANCELLED', message, { cause: e });
      }
    }
    emit({ event: 'error', direction: 'send', transferId, code: e.code, message: e.message });
    throw e;
  } finally {
    await text?.remove();
    active.delete(me);
    r.signal.removeEventListener('abort', onAbort);
    // A cancel that came as the last upload finished: its notice must not outlive the send.
    if (ours.notice) await ours.notice;
  }
}
