// Picked and dropped files on their way from the browser to `ferry serve`'s staging folder,
// before a transfer exists: each upload is listed (with its bytes sent) from the first moment,
// can be cancelled, and the same files to the same device are not uploaded twice at once.
// Streamed from the File by XMLHttpRequest, which reports upload progress (fetch does not).

import type { DroppedFile, TransferLabel, UploadView } from '../contract.js';
import { errorText, i18n } from '../i18n/setup.js';
import { BridgeError } from './bridge-error.js';

/** Files uploaded at once: enough to hide per-request latency, few enough to keep the order. */
const PARALLEL_UPLOADS = 3;
/** Progress reaches the UI at most this often. */
const REPORT_EVERY_MS = 150;

export interface UploadRequest {
  token: string;
  batch: string;
  peerKey: string;
  peerName: string;
  files: DroppedFile[];
  emptyDirs: string[];
}

interface Running {
  view: UploadView;
  signature: string;
  abort: AbortController;
}

/** The title's parts, as the engine makes them for a transfer (first top-level name, how many). */
function labelOf(paths: readonly string[]): TransferLabel {
  const top: string[] = [];
  let firstIsDir = false;
  for (const p of paths) {
    const [name = '', ...rest] = p.replace(/^\/+/, '').split('/');
    if (top.includes(name)) continue;
    if (top.length === 0) firstIsDir = rest.length > 0;
    top.push(name);
  }
  return { first: top[0] ?? '', firstIsDir, count: top.length };
}

function relOf(f: DroppedFile): string {
  // DataTransfer entries say "/folder/file"; the wire wants "folder/file".
  return (f.relativePath || f.file.name).replace(/^\/+/, '');
}

export class Uploads {
  private readonly running = new Map<string, Running>();
  private reportTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly report: (uploads: UploadView[]) => void) {}

  /** Uploads every file and empty folder into the batch; rejects when one fails or on cancel. */
  async run(r: UploadRequest): Promise<void> {
    const paths = [...r.files.map(relOf), ...r.emptyDirs];
    const signature = `${r.peerKey}\n${r.files.map((f) => `${relOf(f)}\t${f.file.size}\t${f.file.lastModified}`).join('\n')}\n${r.emptyDirs.join('\n')}`;
    for (const u of this.running.values()) {
      if (u.signature === signature) {
        throw new BridgeError('INVALID_STATE', i18n.t('app.bridge.alreadyUploading', { name: r.peerName }), true);
      }
    }
    const dirs = new Set<string>(r.emptyDirs);
    for (const p of paths) {
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    const running: Running = {
      signature,
      abort: new AbortController(),
      view: {
        id: r.batch,
        peerKey: r.peerKey,
        peerName: r.peerName,
        label: labelOf(paths),
        fileCount: r.files.length,
        dirCount: dirs.size,
        totalBytes: r.files.reduce((n, f) => n + f.file.size, 0),
        sentBytes: 0,
        startedAt: Date.now(),
      },
    };
    this.running.set(r.batch, running);
    this.changed(true);
    try {
      for (const dir of r.emptyDirs) await this.makeDir(r, dir, running.abort.signal);
      await this.uploadFiles(r, running);
    } finally {
      this.running.delete(r.batch);
      this.changed(true);
    }
  }

  cancel(id: string): void {
    this.running.get(id)?.abort.abort();
  }

  private async uploadFiles(r: UploadRequest, running: Running): Promise<void> {
    const signal = running.abort.signal;
    let next = 0;
    // A holder, not a variable: TypeScript would narrow a variable set only in the workers to null.
    const first: { failure: Error | null } = { failure: null };
    const settledBytes = { n: 0 };
    const inFlight = new Map<number, number>();
    const progress = (): void => {
      let moving = 0;
      for (const b of inFlight.values()) moving += b;
      running.view.sentBytes = settledBytes.n + moving;
      this.changed(false);
    };
    const worker = async (): Promise<void> => {
      while (first.failure === null && next < r.files.length) {
        const i = next++;
        const f = r.files[i]!;
        try {
          await this.uploadOne(r, f, signal, (sent) => {
            inFlight.set(i, sent);
            progress();
          });
          inFlight.delete(i);
          settledBytes.n += f.file.size;
          progress();
        } catch (err) {
          first.failure ??= err instanceof Error ? err : new BridgeError('INTERNAL', String(err));
          running.abort.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, r.files.length) }, worker));
    if (first.failure !== null) throw first.failure;
    if (signal.aborted) throw cancelled();
  }

  private query(r: UploadRequest, rel: string, extra: Record<string, string>): string {
    return new URLSearchParams({ token: r.token, batch: r.batch, path: rel, ...extra }).toString();
  }

  private async makeDir(r: UploadRequest, rel: string, signal: AbortSignal): Promise<void> {
    const res = await fetch(`/api/upload?${this.query(r, rel, { dir: '1' })}`, {
      method: 'POST',
      body: '',
      cache: 'no-store',
      signal,
    }).catch((err: unknown) => {
      if (signal.aborted) throw cancelled();
      throw new BridgeError('CONNECTION_LOST', i18n.t('app.bridge.uploadFailedWhy', { path: rel, reason: (err as Error).message }), true);
    });
    if (!res.ok) throw failureOf(rel, res.status, await res.text().catch(() => ''));
  }

  private uploadOne(r: UploadRequest, f: DroppedFile, signal: AbortSignal, onSent: (bytes: number) => void): Promise<void> {
    const rel = relOf(f);
    const query = this.query(r, rel, { mtime: String(Math.trunc(f.file.lastModified)) });
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(cancelled());
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/upload?${query}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      const stop = (): void => xhr.abort();
      signal.addEventListener('abort', stop, { once: true });
      xhr.upload.onprogress = (e) => onSent(e.loaded);
      xhr.onload = () => {
        signal.removeEventListener('abort', stop);
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else reject(failureOf(rel, xhr.status, xhr.responseText));
      };
      xhr.onerror = () => {
        signal.removeEventListener('abort', stop);
        reject(new BridgeError('CONNECTION_LOST', i18n.t('app.bridge.uploadFailed', { path: rel }), true));
      };
      xhr.onabort = () => reject(cancelled());
      // A File body is streamed from disk by the browser, with its size as Content-Length.
      xhr.send(f.file);
    });
  }

  /** Reports now (an upload started or ended) or soon (bytes moved), never more often than needed. */
  private changed(now: boolean): void {
    if (now) {
      if (this.reportTimer !== null) clearTimeout(this.reportTimer);
      this.reportTimer = null;
      this.report([...this.running.values()].map((u) => ({ ...u.view })));
      return;
    }
    this.reportTimer ??= setTimeout(() => {
      this.reportTimer = null;
      this.report([...this.running.values()].map((u) => ({ ...u.view })));
    }, REPORT_EVERY_MS);
  }
}

function cancelled(): BridgeError {
  return new BridgeError('CANCELLED', i18n.t('app.bridge.uploadCancelled'), true);
}

function failureOf(rel: string, status: number, body: string): BridgeError {
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(body) as { error?: typeof error }).error;
  } catch {
    // Not our JSON (a proxy, a crash): the status says enough.
  }
  const code = typeof error?.code === 'string' ? error.code : 'IO_ERROR';
  // The daemon's error in the window's language (its message in English); else the status.
  const message =
    typeof error?.message === 'string' ? errorText({ code, message: error.message }) : i18n.t('app.bridge.uploadHttp', { status });
  return new BridgeError(code, i18n.t('app.bridge.uploadFailedAt', { path: rel, message }), true);
}
