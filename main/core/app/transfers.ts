// One transfer as a UI sees it: engine events (per connection, per file) folded into one
// view, with per-file detail for the first TRANSFER_DETAIL_FILES files. The queue of them is
// transfer-queue.ts.

import {
  TRANSFER_DETAIL_FILES,
  type FileView,
  type HistoryEntry,
  type LeftOutView,
  type PeerProtocol,
  type RetryKind,
  type TransferLabel,
  type TransferState,
  type TransferView,
} from '../contract/index.js';
import type { ErrorCode } from '../contract/error-codes.js';
import type { TransferEvent } from '../model/events.js';
import { snippetOf } from './texts.js';

export interface TrackedTransfer {
  view: TransferView;
  files: Map<string, FileView>;
  /** Sends: what to offer again on Retry (a text send: its text). */
  paths: string[] | null;
  resend: { text: string } | null;
  peerKey: string | null;
  abort: AbortController | null;
  /** Receives: the offer was put before the person (not decided by policy or limits alone). */
  asked: boolean;
}

const FINAL: ReadonlySet<TransferState> = new Set(['done', 'failed', 'declined', 'cancelled']);

export function isFinal(state: TransferState): boolean {
  return FINAL.has(state);
}

/** Failures a new attempt would meet again, unchanged: Retry is not offered for them. */
const RETRY_CANNOT_HELP: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'IDENTITY_MISMATCH',
  'IDENTITY_CHANGED',
  'AUTH_REQUIRED',
  'AUTH_FAILED',
  'UNSUPPORTED_VERSION',
  'PATH_UNSAFE',
  'LIMIT_EXCEEDED',
  'BAD_CONFIG',
]);

export const NO_LABEL: TransferLabel = { first: '', firstIsDir: false, count: 0 };

/** The title's parts from an offer's entries (wire paths, folders flagged): its top-level names. */
export function labelOf(entries: ReadonlyArray<{ path: string; dir?: boolean }>): TransferLabel {
  const top = new Set<string>();
  let first: { name: string; dir: boolean } | null = null;
  for (const e of entries) {
    const slash = e.path.indexOf('/');
    const name = slash < 0 ? e.path : e.path.slice(0, slash);
    if (top.has(name)) continue;
    top.add(name);
    first ??= { name, dir: slash >= 0 || e.dir === true };
  }
  return { first: first?.name ?? '', firstIsDir: first?.dir ?? false, count: top.size };
}

export function newTransfer(init: {
  id: string;
  direction: 'send' | 'receive';
  protocol: PeerProtocol;
  peer: TransferView['peer'];
  state: TransferState;
  label: TransferLabel;
  files: Array<{ path: string; size: number }>;
  dirCount: number;
  folder: string | null;
  /** A text message rather than files. */
  text?: string | null;
  /** A send: what was picked but not offered. */
  leftOut?: LeftOutView | null;
}): TrackedTransfer {
  const files = new Map<string, FileView>();
  for (const f of init.files.slice(0, TRANSFER_DETAIL_FILES)) {
    files.set(f.path, { path: f.path, size: f.size, state: 'pending', savedAs: null, resumedFrom: 0, error: null });
  }
  return {
    view: {
      id: init.id,
      direction: init.direction,
      protocol: init.protocol,
      peer: init.peer,
      state: init.state,
      label: init.label,
      fileCount: init.files.length,
      dirCount: init.dirCount,
      totalBytes: init.files.reduce((n, f) => n + f.size, 0),
      verificationCode: null,
      transferred: 0,
      bytesPerSecond: 0,
      etaSeconds: null,
      filesDone: 0,
      filesFailed: 0,
      error: null,
      startedAt: Date.now(),
      finishedAt: null,
      retry: null,
      folder: init.folder,
      partialBytes: 0,
      text: init.text ?? null,
      pin: null,
      leftOut: init.leftOut ?? null,
    },
    files,
    paths: null,
    resend: null,
    peerKey: null,
    abort: null,
    asked: false,
  };
}

/** Applies one engine event; returns true when the transfer just reached a final state. */
export function applyEvent(t: TrackedTransfer, e: TransferEvent): boolean {
  const v = t.view;
  if (isFinal(v.state)) return false;
  switch (e.event) {
    case 'connecting':
      v.state = 'connecting';
      return false;
    case 'connected':
      v.state = 'waiting';
      v.peer = { id: e.peer.deviceId, name: e.peer.deviceName, address: e.peer.address };
      v.verificationCode = e.peer.verificationCode;
      return false;
    case 'accepted':
      v.state = 'transferring';
      v.pin = null;
      v.error = null;
      return false;
    case 'retry':
      v.state = 'connecting';
      v.error = { code: e.code, message: `${e.message}; retrying` };
      v.bytesPerSecond = 0;
      v.etaSeconds = null;
      return false;
    case 'progress':
      v.transferred = e.transferred;
      v.bytesPerSecond = e.bytesPerSecond;
      v.etaSeconds = e.etaSeconds;
      v.filesDone = e.filesDone;
      if (v.state === 'transferring' && e.transferred >= v.totalBytes && e.filesDone < e.fileCount) v.state = 'verifying';
      return false;
    case 'file-done': {
      const f = t.files.get(e.path);
      if (f) {
        f.state = 'done';
        f.savedAs = e.savedAs ?? e.path;
        f.resumedFrom = e.resumedFrom;
        f.error = null;
      }
      return false;
    }
    case 'file-failed': {
      const f = t.files.get(e.path);
      if (f && !e.willRetry) {
        // DECLINED for one file: the person at the receiver unticked it, which is no failure.
        f.state = e.code === 'DECLINED' ? 'skipped' : 'failed';
        f.error = e.code === 'DECLINED' ? null : { code: e.code, message: e.message };
      }
      return false;
    }
    case 'done':
      v.state = e.ok ? 'done' : 'failed';
      v.filesDone = e.files;
      v.filesFailed = e.failed;
      if (e.ok) v.transferred = v.totalBytes;
      if (!e.ok && !v.error) {
        const failed = [...t.files.values()].find((f) => f.state === 'failed');
        v.error = failed?.error ?? { code: 'IO_ERROR', message: `${e.failed} file(s) not transferred` };
      }
      if (e.ok) v.error = null;
      return finish(t);
    case 'declined':
      v.state = 'declined';
      // The receiver's message is written for the sender; the receiver's own row says it its way.
      v.error = {
        code: e.code,
        message:
          v.direction === 'send' ? e.message : t.asked ? 'You declined the files' : 'Turned away by this device’s settings or limits',
      };
      return finish(t);
    case 'text':
      v.text = e.text;
      v.label = textLabel(e.text);
      v.totalBytes = Buffer.byteLength(e.text, 'utf8');
      return false;
    case 'cancelled':
      v.state = 'cancelled';
      v.error = { code: 'CANCELLED', message: e.by === 'local' ? 'You cancelled the transfer' : `${v.peer.name} cancelled the transfer` };
      return finish(t);
    case 'error':
      v.state = 'failed';
      v.error = { code: e.code, message: e.message };
      return finish(t);
    default:
      return false;
  }
}

function finish(t: TrackedTransfer): boolean {
  const v = t.view;
  v.pin = null;
  v.finishedAt = Date.now();
  v.bytesPerSecond = 0;
  v.etaSeconds = null;
  v.retry = v.direction === 'send' && (t.paths !== null || t.resend !== null) ? retryKind(v) : null;
  // A text is sent whole or not at all: a retry sends it again, there is nothing to resume.
  if (v.retry === 'resume' && v.text !== null) v.retry = 'restart';
  return true;
}

function retryKind(v: TransferView): RetryKind | null {
  if (v.state === 'cancelled') return 'ask-again';
  // Busy (LocalSend's 409): the other transfer ends, and asking again is then worth it.
  if (v.state === 'declined' && v.error?.code === 'BUSY') return 'ask-again';
  if (v.state !== 'failed') return null; // done, or declined: asking again is not ours to decide
  if (v.error && RETRY_CANNOT_HELP.has(v.error.code)) return null;
  // LocalSend has no resume: a new attempt sends the unfinished files from their first byte.
  return v.protocol === 'localsend' ? 'restart' : 'resume';
}

/**
 * What history keeps of a finished transfer, or null when it keeps nothing: an offer turned
 * away unseen (by policy, or while too many wait) stays out of it, since anyone can make offers
 * and they must not push real transfers out.
 */
export function historyEntryOf(t: TrackedTransfer): HistoryEntry | null {
  const v = t.view;
  if (v.direction === 'receive' && v.state === 'declined' && !t.asked) return null;
  return {
    id: v.id,
    direction: v.direction,
    peerName: v.peer.name,
    peerId: v.peer.id,
    state: v.state,
    label: v.label,
    fileCount: v.fileCount,
    dirCount: v.dirCount,
    totalBytes: v.totalBytes,
    startedAt: v.startedAt,
    finishedAt: v.finishedAt ?? Date.now(),
    error: v.error,
    folder: v.folder,
    text: v.text,
    protocol: v.protocol,
  };
}

/** The title of a text transfer: its first line, as the one "file" it carries. */
export function textLabel(text: string): TransferLabel {
  return { first: snippetOf(text), firstIsDir: false, count: 1 };
}
