// The transfer queue as the UI shows it: labels, progress, what each row may offer, and
// the order rows come in. Pure: the components only render what these functions decide. The
// words are the window's language's, looked up when asked for (the language can change).

import type { FileView, TransferLabel, TransferState, TransferView } from '../contract.js';
import { LEFT_OUT_KEYS } from '../../../main/i18n/index.js';
import { errorText, i18n } from '../i18n/setup.js';
import { formatBytes, formatContents, formatEta, formatSpeed } from './format.js';

const FINISHED: ReadonlySet<TransferState> = new Set(['done', 'failed', 'declined', 'cancelled']);

export function isFinished(state: TransferState): boolean {
  return FINISHED.has(state);
}

export function isActive(state: TransferState): boolean {
  return !FINISHED.has(state);
}

/** Integer 0–100 for aria-valuenow and the bar; 100 only when everything is there. */
export function progressPercent(t: Pick<TransferView, 'state' | 'transferred' | 'totalBytes'>): number {
  if (t.state === 'done') return 100;
  const total = Number.isFinite(t.totalBytes) && t.totalBytes > 0 ? t.totalBytes : 0;
  const done = Number.isFinite(t.transferred) && t.transferred > 0 ? t.transferred : 0;
  // Nothing to move (empty files only): the bytes say nothing, verification is all there is.
  if (total === 0) return t.state === 'verifying' ? 99 : 0;
  const pct = Math.floor((Math.min(done, total) / total) * 100);
  // 100 % reads as "finished": while verdicts are outstanding, hold at 99.
  return Math.min(pct, 99);
}

export type Tone = 'info' | 'progress' | 'success' | 'danger' | 'muted';

/** The fields a row's labels read; `pin` only matters for sends to LocalSend devices. */
type LabelFields = Pick<TransferView, 'state' | 'direction' | 'error'> & Partial<Pick<TransferView, 'pin'>>;

/** What a row's state pill says. Failures carry their reason: "Failed: not enough disk space". */
export function stateLabel(t: LabelFields): string {
  // A LocalSend receiver that wants a PIN waits for this side, whatever state it is in.
  if (t.pin && !isFinished(t.state)) return i18n.t('transfers.state.waitingPin');
  switch (t.state) {
    case 'connecting':
      return t.error ? i18n.t('transfers.state.reconnecting') : i18n.t('transfers.state.connecting');
    case 'waiting':
      return t.direction === 'send' ? i18n.t('transfers.state.waitingAcceptance') : i18n.t('transfers.state.waitingAnswer');
    case 'transferring':
      return t.direction === 'send' ? i18n.t('transfers.state.sending') : i18n.t('transfers.state.receiving');
    case 'verifying':
      return i18n.t('transfers.state.verifying');
    case 'done':
      return i18n.t('transfers.state.done');
    case 'failed':
      return t.error?.message ? i18n.t('transfers.state.failedBecause', { reason: errorText(t.error) }) : i18n.t('transfers.state.failed');
    case 'declined':
      return i18n.t('transfers.state.declined');
    case 'cancelled':
      return i18n.t('transfers.state.cancelled');
    default:
      return i18n.t('transfers.state.unknown');
  }
}

/** The short form for the pill: failures without the reason (which gets its own line). */
export function stateBadge(t: LabelFields): string {
  return t.state === 'failed' ? i18n.t('transfers.state.failed') : stateLabel(t);
}

export function stateTone(state: TransferState): Tone {
  switch (state) {
    case 'connecting':
    case 'waiting':
      return 'info';
    case 'transferring':
    case 'verifying':
      return 'progress';
    case 'done':
      return 'success';
    case 'failed':
      return 'danger';
    default:
      return 'muted';
  }
}

/** Why a finished transfer did not finish well, when that is worth a line of its own. */
export function failureReason(t: Pick<TransferView, 'state' | 'error'>): string | null {
  if (!t.error?.message) return null;
  if (t.state === 'failed' || t.state === 'declined' || t.state === 'cancelled' || t.state === 'connecting') return errorText(t.error);
  return null;
}

/**
 * What a send left out of what the person picked (a link to a folder, a socket…), so that a
 * folder sent without some of its contents never looks complete: "Not sent: a/b (a link to a
 * folder) and 2 more". Null when nothing was left out.
 */
export function leftOutNote(t: Pick<TransferView, 'leftOut'>): string | null {
  const l = t.leftOut;
  if (!l || l.count < 1) return null;
  const values = { path: l.first.path, why: i18n.t(LEFT_OUT_KEYS[l.first.why]) };
  return l.count === 1 ? i18n.t('transfers.leftOut.one', values) : i18n.t('transfers.leftOut.many', { ...values, count: l.count - 1 });
}

/** A text message (sent or received) rather than files. */
export function isText(t: { text?: string | null }): t is { text: string } {
  return typeof t.text === 'string';
}

/** What was sent: "holiday.mp4", "holiday.mp4 and 2 more", "Trip 2024 (1,000 files)", "Message". */
export function whatLabel(t: { label: TransferLabel; fileCount: number; dirCount: number; text?: string | null }): string {
  if (isText(t)) return i18n.t('transfers.what.message');
  const { first, firstIsDir, count } = t.label;
  if (count === 0 || first === '') return formatContents(t.fileCount, t.dirCount);
  if (count > 1) return i18n.t('transfers.what.andMore', { first, n: count - 1 });
  return firstIsDir
    ? i18n.t('transfers.what.folder', { first, files: i18n.t('common.count.files', { count: whole(t.fileCount) }) })
    : first;
}

/** A count as a whole, non-negative number (what plural forms are chosen by). */
function whole(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0;
}

/** "To Bob's laptop" / "From Alice". */
export function peerLine(t: Pick<TransferView, 'direction' | 'peer'>): string {
  const name = t.peer.name;
  return t.direction === 'send' ? i18n.t('transfers.peer.to', { name }) : i18n.t('transfers.peer.from', { name });
}

/** A row's title: what, and with whom ("holiday.mp4 and 2 more to Bob's laptop"), for names and tooltips. */
export function transferTitle(
  t: Pick<TransferView, 'direction' | 'peer' | 'label' | 'fileCount' | 'dirCount'> & Partial<Pick<TransferView, 'text'>>,
): string {
  const what = whatLabel(t);
  const name = t.peer.name;
  return t.direction === 'send' ? i18n.t('transfers.title.to', { what, name }) : i18n.t('transfers.title.from', { what, name });
}

/**
 * While the sender waits, the code to compare with the receiver's screen. LocalSend apps show
 * none, so a send to one has nothing to compare.
 */
export function waitingCode(
  t: Pick<TransferView, 'direction' | 'state' | 'verificationCode'> & Partial<Pick<TransferView, 'protocol'>>,
): string | null {
  if (t.protocol === 'localsend') return null;
  return t.direction === 'send' && t.state === 'waiting' ? t.verificationCode : null;
}

/** A LocalSend receiver asking this side for its PIN: what the row's form says; null when it does not. */
export function pinPrompt(t: Pick<TransferView, 'pin' | 'peer' | 'state'>): { message: string; wrong: boolean } | null {
  if (!t.pin || isFinished(t.state)) return null;
  return t.pin === 'wrong'
    ? { message: i18n.t('transfers.pin.wrong'), wrong: true }
    : { message: i18n.t('transfers.pin.asks', { name: t.peer.name }), wrong: false };
}

/**
 * What the Retry button says it will do. LocalSend cannot resume: whatever the engine calls it,
 * a retry there starts the unfinished files again, and says so.
 */
export function retryWords(
  t: Pick<TransferView, 'retry' | 'peer'> & Partial<Pick<TransferView, 'protocol' | 'text'>>,
): { label: string; help: string } | null {
  // A message goes whole or not at all: whatever the engine calls it, a retry sends it again.
  const name = t.peer.name;
  if (t.retry !== null && isText(t))
    return { label: i18n.t('transfers.retry.sendAgain'), help: i18n.t('transfers.retry.textHelp', { name }) };
  if (t.retry !== null && (t.retry === 'restart' || t.protocol === 'localsend')) {
    return { label: i18n.t('transfers.retry.fromStart'), help: i18n.t('transfers.retry.fromStartHelp', { name }) };
  }
  switch (t.retry) {
    case 'resume':
      return { label: i18n.t('common.actions.retry'), help: i18n.t('transfers.retry.resumeHelp', { name }) };
    case 'ask-again':
      return { label: i18n.t('transfers.retry.sendAgain'), help: i18n.t('transfers.retry.askAgainHelp', { name }) };
    default:
      return null;
  }
}

/** The progress bar's accessible name: "Transfer to Bob's laptop". */
export function progressLabel(t: Pick<TransferView, 'direction' | 'peer'>): string {
  const name = t.peer.name;
  return t.direction === 'send' ? i18n.t('transfers.progress.to', { name }) : i18n.t('transfers.progress.from', { name });
}

/** "12.3 MB of 30.0 MB". */
export function bytesProgress(t: Pick<TransferView, 'state' | 'transferred' | 'totalBytes'>): string {
  const done = t.state === 'done' ? t.totalBytes : Math.min(Math.max(0, t.transferred || 0), t.totalBytes);
  return i18n.t('transfers.progress.bytes', { done: formatBytes(done), total: formatBytes(t.totalBytes) });
}

/** What a row's detail line says: contents and size, then speed and time left while moving. */
export function transferDetails(t: TransferView): string[] {
  const parts: string[] = [];
  // A message's row shows its words instead (TransferItem): no counts, no sizes, no speed.
  if (isText(t)) return parts;
  if (isActive(t.state) && t.state !== 'waiting' && t.state !== 'connecting') {
    parts.push(bytesProgress(t));
    const speed = t.state === 'transferring' ? formatSpeed(t.bytesPerSecond) : null;
    if (speed) parts.push(speed);
    const eta = t.state === 'transferring' ? formatEta(t.etaSeconds) : null;
    if (eta) parts.push(eta);
  } else {
    parts.push(formatContents(t.fileCount, t.dirCount), formatBytes(t.totalBytes));
    // Files the receiver's person left out are no failure, but are not there either.
    const skipped = skippedCount(t);
    if (skipped > 0) parts.push(i18n.t('transfers.details.skipped', { count: skipped }));
    // A transfer that ended early says how much of it made it.
    if (isFinished(t.state) && t.state !== 'done' && t.filesDone > 0) {
      const counts = { done: t.filesDone, total: t.fileCount };
      parts.push(t.direction === 'send' ? i18n.t('transfers.details.sentOf', counts) : i18n.t('transfers.details.receivedOf', counts));
    }
  }
  return parts;
}

/** aria-valuetext: the number and what it means, for screen readers. */
export function progressText(t: TransferView): string {
  const pct = progressPercent(t);
  if (t.state === 'done') return i18n.t('transfers.progress.done', { size: formatBytes(t.totalBytes) });
  if (!isActive(t.state)) return i18n.t('transfers.progress.stoppedAt', { state: stateBadge(t), pct });
  return i18n.t('transfers.progress.moving', { pct, bytes: bytesProgress(t) });
}

export interface TransferActions {
  cancel: boolean;
  retry: boolean;
  /** A stopped receive that left partial files behind. */
  discardPartials: boolean;
  dismiss: boolean;
  /** "Open folder" for the whole transfer (the host must support opening too). */
  openFolder: boolean;
  /** Per-file Open and Show in folder for the files that arrived (the host must support it too). */
  openFiles: boolean;
}

export function transferActions(t: TransferView): TransferActions {
  const finished = isFinished(t.state);
  // A message leaves nothing on disk to open, show or discard.
  const files = !isText(t);
  return {
    cancel: !finished,
    retry: finished && t.retry !== null,
    discardPartials: files && finished && t.direction === 'receive' && t.partialBytes > 0,
    dismiss: finished,
    openFolder: files && t.direction === 'receive' && t.folder !== null && t.state === 'done',
    openFiles: files && t.direction === 'receive' && t.folder !== null && (t.state === 'done' || t.filesDone > 0),
  };
}

export interface TransferGroups {
  active: TransferView[];
  finished: TransferView[];
}

/** Active first (newest on top), then finished (most recently finished on top). */
export function groupTransfers(transfers: readonly TransferView[]): TransferGroups {
  const active = transfers.filter((t) => isActive(t.state));
  const finished = transfers.filter((t) => isFinished(t.state));
  const byStart = (a: TransferView, b: TransferView): number => b.startedAt - a.startedAt || a.id.localeCompare(b.id);
  const byFinish = (a: TransferView, b: TransferView): number =>
    (b.finishedAt ?? b.startedAt) - (a.finishedAt ?? a.startedAt) || byStart(a, b);
  return { active: active.sort(byStart), finished: finished.sort(byFinish) };
}

export function sortTransfers(transfers: readonly TransferView[]): TransferView[] {
  const { active, finished } = groupTransfers(transfers);
  return [...active, ...finished];
}

export function countActive(transfers: readonly TransferView[]): number {
  return transfers.reduce((n, t) => n + (isActive(t.state) ? 1 : 0), 0);
}

/**
 * Files of a finished transfer that the receiver's person unticked (FileState 'skipped'): a
 * transfer that ends well has every other file done or failed, so these are what is left over.
 */
export function skippedCount(t: Pick<TransferView, 'state' | 'fileCount' | 'filesDone' | 'filesFailed'>): number {
  if (t.state !== 'done') return 0;
  const left = t.fileCount - t.filesDone - t.filesFailed;
  return Number.isFinite(left) && left > 0 ? left : 0;
}

/** One file's line in the expanded detail. */
export function fileStateLabel(f: FileView, transferState: TransferState): string {
  if (f.state === 'done')
    return f.resumedFrom > 0 ? i18n.t('transfers.file.doneResumed', { size: formatBytes(f.resumedFrom) }) : i18n.t('transfers.state.done');
  if (f.state === 'failed')
    return f.error?.message ? i18n.t('transfers.state.failedBecause', { reason: errorText(f.error) }) : i18n.t('transfers.state.failed');
  if (f.state === 'skipped') return i18n.t('transfers.file.skipped');
  if (transferState === 'cancelled' || transferState === 'declined' || transferState === 'failed')
    return i18n.t('transfers.file.notTransferred');
  return i18n.t('transfers.file.pending');
}

/** A received file saved under another name ("a (1).txt") says so. */
export function savedAsNote(f: FileView): string | null {
  return f.savedAs && f.savedAs !== f.path ? i18n.t('transfers.file.savedAs', { name: f.savedAs }) : null;
}
