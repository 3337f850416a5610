// Sends one transfer: offer, then every file back to back with no per-file round trip,
// verdicts arriving asynchronously. A broken connection is retried with backoff and
// resumes where the receiver says it stands; a checksum mismatch re-sends that file once.
// A text message (opts.text) goes the same way, in place of the files (send/text.ts).
// This is the retry loop; one connection's work is send/attempt.ts.

import { randomBytes } from 'node:crypto';
import { FerryError, isRetryable, toFerryError } from '../errors.js';
import type { EventSink, PeerInfo } from '../model/events.js';
import { DEFAULT_RETRIES, retryDelayMs, retryPolicy, shouldRetry } from './retry-policy.js';
import { PeerError, SendAttempt } from './send/attempt.js';
import { FailureStreak } from './send/failure-streak.js';
import type { SendOptions } from './send/options.js';
import { isDeclined, outFiles, type OutFile } from './send/out-file.js';
import { NO_FILES, textBody } from './send/text.js';
import { collectSource } from './source.js';
import type { SendResult } from '../model/transport.js';

export type { SendOptions } from './send/options.js';

export async function sendFiles(opts: SendOptions): Promise<SendResult> {
  const emit = opts.onEvent ?? (() => {});
  // Checked before anything connects, as a selection is collected.
  const text = opts.text !== undefined ? textBody(opts.text) : null;
  const source = text ? NO_FILES : (opts.source ?? (await collectSource(opts.paths ?? [])));
  const totalBytes = text ? text.length : source.totalBytes;
  const transferId = opts.transferId ?? randomBytes(12).toString('base64url');
  const files = outFiles(source);
  emit({
    event: 'offer',
    direction: 'send',
    transferId,
    peer: null,
    fileCount: source.fileCount,
    dirCount: source.entries.length - source.fileCount,
    totalBytes,
  });
  const policy = retryPolicy(opts.retries ?? DEFAULT_RETRIES, opts.backoffMs);
  const started = performance.now();
  const streak = new FailureStreak(started);
  let wireBytes = 0;
  let peer: PeerInfo | null = null;
  for (let attempt = 1; ; attempt++) {
    const reportedBefore = reportedCount(files);
    const attemptStarted = performance.now();
    const run = new SendAttempt(opts, source, files, transferId, emit, text);
    let failure: FerryError | null = null;
    try {
      emit({ event: 'connecting', direction: 'send', transferId, host: opts.host, port: opts.port, attempt });
      await run.run();
    } catch (err) {
      failure = toFerryError(err);
    }
    wireBytes += run.wireBytes;
    peer = run.peer ?? peer;
    if (!failure) break;
    streak.failed(attemptStarted, reportedCount(files) > reportedBefore, run.heldAtAnswer);
    const byPeer = failure instanceof PeerError;
    if (!shouldRetry(policy, failure.code, byPeer, streak.failures) || opts.signal?.aborted) {
      throw giveUp(failure, byPeer, streak, run.cancelledByPeer, transferId, emit);
    }
    const delayMs = retryDelayMs(policy, streak.failures);
    emit({
      event: 'retry',
      direction: 'send',
      transferId,
      attempt,
      delayMs: Math.round(delayMs),
      code: failure.code,
      message: failure.message,
    });
    try {
      await sleep(delayMs, opts.signal);
    } catch (cancelled) {
      emit({ event: 'cancelled', direction: 'send', transferId, by: 'local', message: 'cancelled while waiting to reconnect' });
      throw cancelled;
    }
  }
  // Files the person at the receiver left out are neither delivered nor failed: `ok` means
  // every file it took is verified there, and the bytes are those of the files it took.
  const declined = files.filter(isDeclined);
  const failed = files
    .filter((f) => !f.verified && !isDeclined(f))
    .map((f) => ({ path: f.entry.path, ...(f.failure ?? { code: 'INTERNAL' as const, message: 'not verified' }) }));
  const bytes = totalBytes - declined.reduce((n, f) => n + f.entry.size, 0);
  const result: SendResult = {
    transferId,
    ok: failed.length === 0,
    files: files.length - declined.length - failed.length,
    failed,
    bytes,
    wireBytes,
    peer,
  };
  emit({
    event: 'done',
    direction: 'send',
    transferId,
    ok: result.ok,
    files: result.files,
    failed: failed.length,
    bytes,
    wireBytes,
    seconds: (performance.now() - started) / 1000,
  });
  return result;
}

/** Files whose file-done was emitted: a new one is progress. */
function reportedCount(files: readonly OutFile[]): number {
  return files.filter((f) => f.reported).length;
}

/** Reports the end of a transfer that will not be retried, and returns what to throw. */
function giveUp(
  e: FerryError,
  byPeer: boolean,
  streak: FailureStreak,
  cancelledByPeer: boolean,
  transferId: string,
  emit: EventSink,
): FerryError {
  if (e.code === 'CANCELLED') {
    emit({ event: 'cancelled', direction: 'send', transferId, by: cancelledByPeer ? 'peer' : 'local', message: e.message });
    return e;
  }
  if (e.code === 'DECLINED' || e.code === 'NO_SPACE') {
    emit({ event: 'declined', direction: 'send', transferId, code: e.code, message: e.message });
    return e;
  }
  const failures = streak.failures;
  const tried = (performance.now() - streak.since) / 1000;
  const why = isRetryable(e.code, byPeer)
    ? `${e.message} (gave up after ${failures} ${failures === 1 ? 'attempt' : 'attempts'} over ${tried < 10 ? tried.toFixed(1) : Math.round(tried)} s)`
    : e.message;
  emit({ event: 'error', direction: 'send', transferId, code: e.code, message: why });
  return new FerryError(e.code, why, { cause: e });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new FerryError('CANCELLED', 'cancelled'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
