// What `ferry receive` and `ferry send` print: events as a person reads them on stderr (with a
// live progress line on a terminal), or as newline-delimited JSON on stdout with --json.

import type { ErrorCode } from '../../core/contract/error-codes.js';
import { oneLine } from '../../core/errors.js';
import type { TransferEvent } from '../../core/model/events.js';
import { formatHostPort } from '../../core/contract/host-port.js';
import { printable } from '../../core/protocol/wire-path.js';
import { formatBytes, progressLine } from './format.js';

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
    seen.peer = `"${printable(e.peer!.deviceName)}"`;
    seen.localsend = e.peer!.protocol === 'localsend';
  }
  if (e.event === 'accepted') seen.acceptedAt ??= performance.now();
  if (e.event === 'offer') seen.text = e.fileCount === 0 && e.dirCount === 0 && e.totalBytes > 0;
}

/**
 * The engine's messages are the same for every UI; where one calls for a setting, the command
 * line adds the flag that sets it.
 */
export function withFlagHint(code: ErrorCode, message: string): string {
  // LocalSend's PIN is the other thing a receiver may require.
  if (code === 'AUTH_REQUIRED' && /\bPIN\b/.test(message)) return message.includes('--pin') ? message : `${message} (--pin PIN)`;
  if (code === 'AUTH_REQUIRED' && !message.includes('--secret-file')) return `${message} (--secret-file FILE)`;
  return message;
}

const ends = (e: TransferEvent): boolean => e.event === 'done' || e.event === 'declined' || e.event === 'cancelled' || e.event === 'error';

const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;

const amount = (bytes: number, seconds: number): string => `${formatBytes(bytes)} in ${seconds.toFixed(1)} s`;

/** A human line for an event, written from this side: "we" are the device running this command. */
function describe(e: TransferEvent, seen: Seen): string | null {
  const sending = 'direction' in e && e.direction === 'send';
  const other = seen.peer ?? (sending ? 'the receiver' : 'the sender');
  switch (e.event) {
    case 'listening':
      return `Listening on ${formatHostPort(e)}${e.localsendPort ? `, and for LocalSend apps on port ${e.localsendPort}` : ''}`;
    case 'connected':
      // LocalSend apps show no verification code: the certificate pinned is what proves them.
      if (e.peer.protocol === 'localsend')
        return `Connected to ${other} (${e.peer.address}), a LocalSend app${e.peer.trusted ? '; a trusted device' : ''}`;
      return `Connected to ${other} (${e.peer.address}), verification code ${e.peer.verificationCode} (${other} shows the same)${e.peer.trusted ? '; a trusted device' : ''}`;
    case 'offer': {
      const what = seen.text ? `a message (${formatBytes(e.totalBytes)})` : `${files(e.fileCount)}, ${formatBytes(e.totalBytes)}`;
      if (sending) return `Offering ${what}`;
      const p = e.peer;
      const who = !p
        ? '?'
        : p.protocol === 'localsend'
          ? `${p.address}, LocalSend${p.verified ? '' : ', identity not proven'}${p.trusted ? ', trusted' : ''}`
          : `${p.address}, code ${p.verificationCode}${p.trusted ? ', trusted' : ''}`;
      return `Offer from ${other} (${who}): ${what}`;
    }
    case 'accepted': {
      if (!sending) return e.resumedBytes > 0 ? `Accepted; resuming (${formatBytes(e.resumedBytes)} are here already)` : 'Accepted';
      const resumed = e.resumedBytes > 0 ? `; resuming (it has ${formatBytes(e.resumedBytes)} already)` : '';
      return `${capitalise(other)} accepted${resumed}`;
    }
    case 'declined':
      return sending ? `${capitalise(other)} declined: ${e.message}` : `Declined the offer from ${other} (${e.message})`;
    case 'file-done':
      return `  ✓ ${e.savedAs ?? e.path} (${formatBytes(e.size)}${e.resumedFrom > 0 && !e.alreadyPresent ? `, resumed at ${formatBytes(e.resumedFrom)}` : ''}${e.alreadyPresent ? ', already there' : ''})`;
    case 'file-failed':
      return `  ✗ ${e.path}: ${e.message}${e.willRetry ? ' (sending it again)' : ''}`;
    case 'retry':
      return `Connection problem (${e.message}); trying again in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'done': {
      if (seen.text) return sending ? `${capitalise(other)} has the message` : null;
      if (!e.ok)
        return `Finished with ${files(e.failed)} not ${sending ? 'delivered' : 'received'} (${e.files} ${sending ? 'delivered' : 'received'})`;
      if (!sending) return `Received ${files(e.files)}, ${amount(e.bytes, e.seconds)}, all ${seen.localsend ? 'complete' : 'verified'}`;
      // The engine's time starts before the offer, so it holds however long a person took to
      // answer; the transfer itself starts at the acceptance.
      const seconds = seen.acceptedAt === undefined ? e.seconds : (performance.now() - seen.acceptedAt) / 1000;
      return `Sent ${files(e.files)}, ${amount(e.bytes, seconds)}; ${other} ${seen.localsend ? 'took' : 'verified'} every one`;
    }
    case 'cancelled':
      return e.by === 'peer' ? `${capitalise(other)} cancelled: ${e.message}` : `Cancelled: ${e.message}`;
    case 'text':
      return `Message from ${other}:\n${indentText(printableText(e.text))}`;
    case 'error':
      return `Error: ${withFlagHint(e.code, e.message)}`;
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
