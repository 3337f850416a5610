// The temporary files of LocalSend uploads. The protocol has no resume, so a partial is only
// ever the upload in progress: removed when it fails or is cancelled, renamed when it is
// verified. What a crash leaves behind (the process killed mid-upload) is swept when a later
// transfer passes by its folder, and counted and discarded through the ReceiveEndpoint.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findFilesNamed } from '../transfer/receive/partials.js';
import { LOCALSEND_PART_NAME, LOCALSEND_PART_SUFFIX } from './file-names.js';

/** A partial untouched this long belongs to no live upload (each one's idle timeout is far shorter). */
const STALE_MS = 60 * 60_000;

export class PartialFiles {
  /** Partials uploads of this server are writing now. */
  private readonly inUse = new Set<string>();

  constructor(private readonly root: string) {}

  /** A fresh temporary name in dir, taken until release(). */
  take(dir: string): string {
    const p = path.join(dir, `.${randomBytes(12).toString('hex')}${LOCALSEND_PART_SUFFIX}`);
    this.inUse.add(p);
    return p;
  }

  release(p: string): void {
    this.inUse.delete(p);
  }

  /** Leftovers in the download folder (those being written not counted). */
  async summary(): Promise<{ files: number; bytes: number }> {
    let files = 0;
    let bytes = 0;
    for (const p of await this.find()) {
      const st = await fs.lstat(p).catch(() => null);
      if (!st?.isFile()) continue;
      files++;
      bytes += st.size;
    }
    return { files, bytes };
  }

  /** Deletes the leftovers (never what an upload is writing). */
  async discard(): Promise<void> {
    for (const p of await this.find()) await fs.rm(p, { force: true }).catch(() => {});
  }

  /** Removes stale leftovers in one folder (a transfer is about to land there). */
  async sweep(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    const cutoff = Date.now() - STALE_MS;
    for (const name of names) {
      if (!LOCALSEND_PART_NAME.test(name)) continue;
      const p = path.join(dir, name);
      if (this.inUse.has(p)) continue;
      const st = await fs.lstat(p).catch(() => null);
      if (st?.isFile() && st.mtimeMs < cutoff) await fs.rm(p, { force: true }).catch(() => {});
    }
  }

  /** Our partials under the download folder, found without following links, minus those in use. */
  private async find(): Promise<string[]> {
    return (await findFilesNamed(this.root, LOCALSEND_PART_NAME)).filter((p) => !this.inUse.has(p));
  }
}
