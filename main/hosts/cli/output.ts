// What `ferry receive` and `ferry send` print: events as a person reads them on stderr (with a
// live progress line on a terminal), or as newline-delimited JSON on stdout with --json.

import type { ErrorCode } from '../../core/contract/error-codes.js';
import { oneLine } from '../../core/errors.js';
import type { TransferEvent } from '../../core/model/events.js';
import { formatHostPort } from '../../core/contract/host-port.js';
import { printable } from '../../core/protocol/wire-path.js';
import { progressLine } from './format.js';
import { english, errorLine, fmt, i18n, t } from './i18n.js';

export interface Output {
  json: boolean;
  event(e: TransferEvent): void;
  // Properties: passed on as callbacks (the asker, name resolution).
  info: (line: string) => void;
  fail: (line: string) => void;
}

/**
 * Collects lines and writes them once per event-loop turn: a transfer of 10,000 small files
 * prints 10,000 lines, and one write each would cost more than the files themselves.
 */
function batchedWriter(stream: NodeJS.WriteStream): { write: (text: string) => void; now: (text: string) => void } {
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    stream.write(text);
  };
  return {
    write(text) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(text);
    },
    /** Writes at once, after what is pending (before a prompt, a final reason). */
    now(text) {
      flush();
      stream.write(text);
    },
  };
}

/** What a line about a transfer needs from its earlier events. */
interface Seen {
  /** The other device's name, once an offer or the connection told it. */
  peer?: string;
  /** When the receiver accepted (the first time, if a retry asked again). */
  acceptedAt?: number;
  /** The other side speaks LocalSend: no md5 verdicts (1.18 checks a sha256, older apps nothing). */
  localsend?: boolean;
  /** The transfer is a text message, not files. */
  text?: boolean;
}

export function makeOutput(json: boolean): Output {
  const tty = process.stderr.isTTY === true && !json;
  const { write: stdout } = batchedWriter(process.stdout);
  const { write: stderr, now: stderrNow } = batchedWriter(process.stderr);
  const transfers = new Map<string, Seen>();
  let live = false;
  const clearLive = (): void => {
    if (live) stderrNow('\r\x1b[2K');
    live = false;
  };
  return {
    json,
    event(e) {
      if (json) {
        stdout(`${JSON.stringify(e)}\n`);
        return;
      }
      if (e.event === 'progress') {
        if (tty) {
          stderr(`\r\x1b[2K${progressLine(e)}`);
          live = true;
        }
        return;
      }
      clearLive();
      let seen: Seen = {};
      if ('transferId' in e && e.transferId !== undefined) {
        seen = transfers.get(e.transferId) ?? {};
        transfers.set(e.transferId, seen);
        remember(seen, e);
      }
      const line = describe(e, seen);
      if (line) stderr(`${line}\n`);
      if (ends(e) && 'transferId' in e && e.transferId !== undefined) transfers.delete(e.transferId);
    },
    info(line) {
      clearLive();
      if (!json) stderrNow(`${line}\n`);
    },
    fail(line) {
      clearLive();
      // The promise is one line per reason: whatever a message quotes, it cannot break it.
      stderrNow(`ferry: ${oneLine(line)}\n`);
    },
  };
}

function remember(seen: Seen, e: TransferEvent): void {
  if (e.event === 'connected' || (e.event === 'offer' && e.peer)) {
    seen.peer = t('cli.event.peerName', { name: printable(e.peer!.deviceName) });
    seen.localsend = e.peer!.protocol === 'localsend';
  }
  if (e.event === 'accepted') seen.acceptedAt ??= performance.now();
  if (e.event === 'offer') seen.text = e.fileCount === 0 && e.dirCount === 0 && e.totalBytes > 0;
}

/**
 * The engine's messages are the same for every UI; where one calls for a setting, the command
 * line adds the flag that sets it. The message in English, else the sentence for its code (or,
 * for an error the CLI raised itself, its own words: pass that error, not a copy of it).
 */
export function withFlagHint(e: { code: ErrorCode; message: string }): string {
  const { code, message } = e;
  // LocalSend's PIN is the other thing a receiver may require.
  if (code === 'AUTH_REQUIRED' && /\bPIN\b/.test(message)) {
    if (message.includes('--pin')) return english ? message : t('cli.errors.pinRequired');
    return t('cli.errors.withFlag', { text: english ? message : t('cli.errors.pinRequired'), flag: '--pin PIN' });
  }
  const text = errorLine(e);
  if (code === 'AUTH_REQUIRED' && !message.includes('--secret-file')) return t('cli.errors.withFlag', { text, flag: '--secret-file FILE' });
  return text;
}

/** A line, and the engine's reason for it where there is one a person can read in the CLI's language. */
export function because(line: string, reason: string | null): string {
  return reason === null ? line : t('cli.event.because', { line, reason });
}

/** An engine message without a code: English, so shown only in English. */
const said = (message: string): string | null => (english ? message : null);

/** Why the other side declined, in a line: a plain no needs no explanation beyond itself outside English. */
const whyDeclined = (e: { code: ErrorCode; message: string }): string | null =>
  english ? e.message : e.code === 'DECLINED' ? null : errorLine(e);

const ends = (e: TransferEvent): boolean => e.event === 'done' || e.event === 'declined' || e.event === 'cancelled' || e.event === 'error';

const files = (n: number): string => t('common.count.files', { count: n });

const amount = (bytes: number, seconds: number): string =>
  t('cli.event.amount', {
    size: fmt.bytes(bytes),
    seconds: seconds.toLocaleString(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  });

/** A human line for an event, written from this side: "we" are the device running this command. */
function describe(e: TransferEvent, seen: Seen): string | null {
  const sending = 'direction' in e && e.direction === 'send';
  const other = seen.peer ?? (sending ? t('cli.event.theReceiver') : t('cli.event.theSender'));
  const Other = capitalise(other);
  const trusted = (p: { trusted: boolean }): string => (p.trusted ? t('cli.event.trustedDevice') : '');
  switch (e.event) {
    case 'listening':
      return e.localsendPort
        ? t('cli.event.listeningLocalSend', { address: formatHostPort(e), port: e.localsendPort })
        : t('cli.event.listening', { address: formatHostPort(e) });
    case 'connected':
      // LocalSend apps show no verification code: the certificate pinned is what proves them.
      if (e.peer.protocol === 'localsend')
        return t('cli.event.connectedLocalSend', { other, address: e.peer.address, trusted: trusted(e.peer) });
      return t('cli.event.connected', { other, address: e.peer.address, code: e.peer.verificationCode, trusted: trusted(e.peer) });
    case 'offer': {
      const what = seen.text
        ? t('cli.event.aMessage', { size: fmt.bytes(e.totalBytes) })
        : t('cli.event.filesAndSize', { files: files(e.fileCount), size: fmt.bytes(e.totalBytes) });
      if (sending) return t('cli.event.offering', { what });
      const p = e.peer;
      const who = !p
        ? '?'
        : p.protocol === 'localsend'
          ? t('cli.event.whoLocalSend', {
              address: p.address,
              unproven: p.verified ? '' : t('cli.event.unproven'),
              trusted: p.trusted ? t('cli.event.trusted') : '',
            })
          : t('cli.event.who', { address: p.address, code: p.verificationCode, trusted: p.trusted ? t('cli.event.trusted') : '' });
      return t('cli.event.offerFrom', { other, who, what });
    }
    case 'accepted': {
      if (!sending)
        return e.resumedBytes > 0 ? t('cli.event.acceptedResuming', { size: fmt.bytes(e.resumedBytes) }) : t('cli.event.accepted');
      return e.resumedBytes > 0
        ? t('cli.event.peerAcceptedResuming', { other: Other, size: fmt.bytes(e.resumedBytes) })
        : t('cli.event.peerAccepted', { other: Other });
    }
    case 'declined':
      return sending
        ? because(t('cli.event.peerDeclined', { other: Other }), whyDeclined(e))
        : english
          ? t('cli.event.declinedOffer', { other, reason: e.message })
          : t('cli.event.declinedOfferShort', { other });
    case 'file-done': {
      const notes = [
        fmt.bytes(e.size),
        ...(e.resumedFrom > 0 && !e.alreadyPresent ? [t('cli.event.resumedAt', { size: fmt.bytes(e.resumedFrom) })] : []),
        ...(e.alreadyPresent ? [t('cli.event.alreadyThere')] : []),
      ];
      return t('cli.event.fileDone', { path: e.savedAs ?? e.path, notes: notes.join(t('cli.event.noteSeparator')) });
    }
    case 'file-failed':
      return t('cli.event.fileFailed', {
        path: e.path,
        reason: errorLine(e),
        again: e.willRetry ? t('cli.event.sendingAgain') : '',
      });
    case 'retry':
      return t('cli.event.retry', {
        reason: errorLine(e),
        seconds: (e.delayMs / 1000).toLocaleString(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      });
    case 'done': {
      if (seen.text) return sending ? t('cli.event.hasTheMessage', { other: Other }) : null;
      if (!e.ok)
        return sending
          ? t('cli.event.finishedNotDelivered', { failed: files(e.failed), done: e.files })
          : t('cli.event.finishedNotReceived', { failed: files(e.failed), done: e.files });
      if (!sending)
        return seen.localsend
          ? t('cli.event.receivedComplete', { files: files(e.files), amount: amount(e.bytes, e.seconds) })
          : t('cli.event.receivedVerified', { files: files(e.files), amount: amount(e.bytes, e.seconds) });
      // The engine's time starts before the offer, so it holds however long a person took to
      // answer; the transfer itself starts at the acceptance.
      const seconds = seen.acceptedAt === undefined ? e.seconds : (performance.now() - seen.acceptedAt) / 1000;
      return seen.localsend
        ? t('cli.event.sentTook', { files: files(e.files), amount: amount(e.bytes, seconds), other })
        : t('cli.event.sentVerified', { files: files(e.files), amount: amount(e.bytes, seconds), other });
    }
    case 'cancelled':
      return e.by === 'peer'
        ? because(t('cli.event.peerCancelled', { other: Other }), said(e.message))
        : because(t('cli.event.cancelled'), said(e.message));
    case 'text':
      return `${t('cli.event.messageFrom', { other })}\n${indentText(printableText(e.text))}`;
    case 'error':
      return t('cli.event.error', { reason: withFlagHint(e) });
    default:
      return null;
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A received text for a terminal: its lines and tabs kept, every other control character
 * (escape sequences, carriage returns that would overwrite a line, bidi overrides) shown as
 * \xNN, never obeyed.
 */
export function printableText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(printable).join('\t'))
    .join('\n');
}

const indentText = (text: string): string =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
