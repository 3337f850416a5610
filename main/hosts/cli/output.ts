// What `ferry receive` and `ferry send` print: events as a person reads them on stderr (with a
// live progress line on a terminal), or as newline-delimited JSON on stdout with --json.

import { oneLine } from '../../core/errors.js';
import type { TransferEvent } from '../../core/model/events.js';
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

export function makeOutput(json: boolean): Output {
  const tty = process.stderr.isTTY === true && !json;
  const { write: stdout } = batchedWriter(process.stdout);
  const { write: stderr, now: stderrNow } = batchedWriter(process.stderr);
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
      const line = describe(e);
      if (line) stderr(`${line}\n`);
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

function describe(e: TransferEvent): string | null {
  switch (e.event) {
    case 'listening':
      return `Listening on ${e.host}:${e.port}`;
    case 'connected':
      return `Connected to ${e.peer.deviceName} (${e.peer.address}), verification code ${e.peer.verificationCode}${e.peer.trusted ? ', trusted' : ''}`;
    case 'offer':
      return e.direction === 'receive'
        ? `Offer from ${e.peer?.deviceName ?? '?'} (${e.peer?.address ?? '?'}${e.peer ? `, code ${e.peer.verificationCode}${e.peer.trusted ? ', trusted' : ''}` : ''}): ${e.fileCount} file(s), ${formatBytes(e.totalBytes)}`
        : `Offering ${e.fileCount} file(s), ${formatBytes(e.totalBytes)}`;
    case 'accepted':
      return e.resumedBytes > 0 ? `Accepted; resuming, ${formatBytes(e.resumedBytes)} already there` : 'Accepted';
    case 'declined':
      return `Declined: ${e.message}`;
    case 'file-done':
      return `  ✓ ${e.savedAs ?? e.path} (${formatBytes(e.size)}${e.resumedFrom > 0 && !e.alreadyPresent ? `, resumed at ${formatBytes(e.resumedFrom)}` : ''}${e.alreadyPresent ? ', already there' : ''})`;
    case 'file-failed':
      return `  ✗ ${e.path}: ${e.message}${e.willRetry ? ' — retrying' : ''}`;
    case 'retry':
      return `Connection problem (${e.message}); retrying in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'done':
      return e.ok
        ? `Done: ${e.files} file(s), ${formatBytes(e.bytes)} in ${e.seconds.toFixed(1)} s, all verified`
        : `Finished with ${e.failed} file(s) not transferred`;
    case 'cancelled':
      return `Cancelled (${e.by === 'peer' ? 'by the other side' : 'here'}): ${e.message}`;
    case 'error':
      return `Error: ${e.message}`;
    default:
      return null;
  }
}
