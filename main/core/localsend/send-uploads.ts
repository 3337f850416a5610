// The uploads of an accepted LocalSend send: one POST /api/localsend/v2/upload per file, its
// body streamed from the file (chunked, as LocalSend 1.18 uploads), `parallel` at a time (1.18
// uploads 2). A 422 (the receiver's sha256 or size did not match) sends the file again; any other
// refusal of a file fails that file and the others go on. The receiver no longer knowing the
// session (403 or 409: it cancelled, or gave up on us), or the connection failing, ends them all.

import { FerryError, toFerryError, type ErrorCode } from '../errors.js';
import { sourceFailure } from '../transfer/send/local-file.js';
import type { EventSink } from '../model/events.js';
import { printable } from '../protocol/wire-path.js';
import type { TlsCredentials } from '../security/certificate.js';
import { eta, RateMeter, Throttle } from '../transfer/progress.js';
import { errorMessageOf, localSendRequest, type LocalSendResponse } from './https-client.js';
import { uploadBody } from './send-files.js';
import type { OutgoingFile } from './send-prepare.js';

export const UPLOAD_PATH = '/api/localsend/v2/upload';
/** No byte either way for this long ends an upload (a receiver may stall; it never legitimately goes quiet mid-file). */
export const UPLOAD_IDLE_MS = 60_000;

/** The receiver answered an upload as if there were no session: it cancelled it, or dropped it. */
export class SessionGone extends FerryError {}

export interface UploadPlan {
  host: string;
  port: number;
  fingerprint: string;
  credentials: TlsCredentials;
  alias: string;
  sessionId: string;
  files: ReadonlyArray<{ file: OutgoingFile; token: string }>;
  parallel: number;
  /** Sends of one file in all while the receiver answers 422. */
  attempts: number;
  transferId: string;
  emit: EventSink;
  signal: AbortSignal;
  /** The person's cancel: no upload starts after it (those running end with `signal`, a moment later). */
  cancelled: AbortSignal;
  /** Stops every other upload: one of them ended the transfer. */
  halt: () => void;
}

export interface Failed {
  path: string;
  code: ErrorCode;
  message: string;
}

export interface UploadOutcome {
  uploaded: number;
  failed: Failed[];
  /** File bytes handed to the network, failed attempts included. */
  wireBytes: number;
}

/** 'ok', or why a file failed, and whether sending it again may help (a 422 only). */
type Attempt = 'ok' | { code: ErrorCode; message: string; again?: true };

export class Uploads {
  private readonly total: number;
  private doneBytes = 0;
  private wireBytes = 0;
  private uploaded = 0;
  private readonly failed: Failed[] = [];
  private readonly meter = new RateMeter();
  private readonly progress: Throttle;

  constructor(private readonly plan: UploadPlan) {
    this.total = plan.files.reduce((n, f) => n + f.file.entry.size, 0);
    this.progress = new Throttle(() => this.emitProgress());
  }

  /** Resolves once every file is uploaded or failed; rejects with what ended the transfer (after every upload settled). */
  async run(): Promise<UploadOutcome> {
    const queue = [...this.plan.files];
    // What ended the transfer, if something did (an object: the workers set it).
    const stop: { why: FerryError | null } = { why: null };
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next && !stop.why && !this.plan.signal.aborted && !this.plan.cancelled.aborted; next = queue.shift()) {
        try {
          await this.send(next.file, next.token);
        } catch (err) {
          stop.why ??= toFerryError(err);
          this.plan.halt();
        }
      }
    };
    const workers = Math.max(1, Math.min(this.plan.parallel, queue.length));
    await Promise.all(Array.from({ length: workers }, worker));
    this.progress.flush();
    if (stop.why) throw stop.why;
    if (this.plan.signal.aborted || this.plan.cancelled.aborted) throw new FerryError('CANCELLED', 'cancelled');
    return { uploaded: this.uploaded, failed: this.failed, wireBytes: this.wireBytes };
  }

  private async send(f: OutgoingFile, token: string): Promise<void> {
    const path = printable(f.entry.path);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(f, token, attempt);
      if (outcome === 'ok') {
        this.uploaded++;
        this.event({ event: 'file-done', path, size: f.entry.size, md5: f.md5, verified: true, resumedFrom: 0, alreadyPresent: false });
        this.progress.tick();
        return;
      }
      // Only a checksum mismatch is worth another try: the bytes may have been damaged on the way.
      const willRetry = outcome.again === true && attempt < this.plan.attempts;
      const { code, message } = outcome;
      this.event({ event: 'file-failed', path, code, message, willRetry });
      if (!willRetry) {
        this.failed.push({ path: f.entry.path, code, message });
        return;
      }
    }
  }

  /** One upload of a file: 'ok', or why the file failed; throws what ends the whole transfer. */
  private async attempt(f: OutgoingFile, token: string, attempt: number): Promise<Attempt> {
    const p = this.plan;
    let counted = 0;
    // Set when reading the file failed (held in an object: a callback sets it).
    const read: { failure: FerryError | null } = { failure: null };
    const body = uploadBody(f.local, f.entry, f.md5, (n) => {
      counted += n;
      this.doneBytes += n;
      this.wireBytes += n;
      this.meter.add(n);
      this.progress.tick();
    });
    body.once('error', (err) => (read.failure = sourceFailure(err)));
    const query = new URLSearchParams({ sessionId: p.sessionId, fileId: f.dto.id, token });
    let res: LocalSendResponse;
    try {
      res = await localSendRequest({
        host: p.host,
        port: p.port,
        method: 'POST',
        path: `${UPLOAD_PATH}?${query.toString()}`,
        fingerprint: p.fingerprint,
        credentials: p.credentials,
        body: { stream: body, contentType: f.dto.fileType },
        // A file takes as long as it takes; a silent connection does not.
        idleTimeoutMs: UPLOAD_IDLE_MS,
        signal: p.signal,
        maxResponseBytes: 64 * 1024,
      });
    } catch (err) {
      this.doneBytes -= counted;
      // Our file, not the connection: this file fails, the others go on.
      if (read.failure) return failureOf(read.failure);
      throw err;
    } finally {
      // Its file is closed once 'close' is emitted (send-files.ts): nothing stays open after us.
      body.destroy();
      if (!body.closed) await new Promise((r) => body.once('close', r));
    }
    if (res.ok) return 'ok';
    this.doneBytes -= counted;
    return this.refusal(res, f, attempt);
  }

  private refusal(res: LocalSendResponse, f: OutgoingFile, attempt: number): Attempt {
    const why = printable(errorMessageOf(res));
    const file = printable(f.entry.path);
    // A receiver that allows fewer sends than we try refuses the next one after a 422 as it
    // would a file already over: that file failed, the session goes on.
    if (res.status === 403 && attempt > 1) {
      return {
        code: 'CHECKSUM_MISMATCH',
        message: `"${this.plan.alias}" refused another try at ${file} after a damaged one (${why})`,
      };
    }
    switch (res.status) {
      case 422:
        return { code: 'CHECKSUM_MISMATCH', message: `"${this.plan.alias}" received ${file} damaged (${why})`, again: true };
      case 403:
      case 409:
        // LocalSend receivers answer so once the session is over: cancelled there (its cancel
        // notice may not have reached us), or given up.
        throw new SessionGone('CANCELLED', `"${this.plan.alias}" ended the transfer (${why})`);
      case 507:
        return { code: 'NO_SPACE', message: `"${this.plan.alias}" has no room for ${file} (${why})` };
      case 400:
        return { code: 'BAD_MESSAGE', message: `"${this.plan.alias}" refused ${file} (${why})` };
      default:
        return { code: 'IO_ERROR', message: `"${this.plan.alias}" could not save ${file}: HTTP ${res.status} (${why})` };
    }
  }

  private event(
    e:
      | { event: 'file-done'; path: string; size: number; md5: string; verified: true; resumedFrom: number; alreadyPresent: boolean }
      | { event: 'file-failed'; path: string; code: ErrorCode; message: string; willRetry: boolean },
  ): void {
    this.plan.emit({ ...e, direction: 'send', transferId: this.plan.transferId });
  }

  private emitProgress(): void {
    const rate = this.meter.rate();
    this.plan.emit({
      event: 'progress',
      direction: 'send',
      transferId: this.plan.transferId,
      transferred: this.doneBytes,
      total: this.total,
      bytesPerSecond: Math.round(rate),
      etaSeconds: eta(this.total - this.doneBytes, rate),
      filesDone: this.uploaded,
      fileCount: this.plan.files.length,
    });
  }
}

function failureOf(e: FerryError): Attempt {
  return { code: e.code === 'SOURCE_CHANGED' ? 'SOURCE_CHANGED' : 'IO_ERROR', message: e.message };
}
