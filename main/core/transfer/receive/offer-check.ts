// The offer, checked once at the edge: an `offer` frame and its `files` frames assembled into
// one entry list. Everything after this trusts the list: no more entries than announced, paths
// within their budget, no path twice (after NFC), no file that is also a folder, and sizes that
// add up to what the offer declared. Each entry was validated on its own by the message codec.

import { FerryError } from '../../errors.js';
import { MAX_OFFER_PATH_BYTES } from '../../protocol/limits.js';
import { isDir, type Entry, type Offer } from '../../protocol/messages.js';

export interface CheckedOffer {
  transferId: string;
  entries: readonly Entry[];
  fileCount: number;
  dirCount: number;
  totalBytes: number;
}

/** An offer whose entries are still arriving. */
export class OfferAssembly {
  private readonly entries: Entry[] = [];
  private readonly seen = new Set<string>();
  private pathBytes = 0;
  private totalBytes = 0;
  private fileCount = 0;

  constructor(private readonly offer: Offer) {}

  get transferId(): string {
    return this.offer.transferId;
  }

  /** Adds one `files` frame's entries; the checked offer once the last entry is in, else null. */
  add(entries: readonly Entry[]): CheckedOffer | null {
    const expected = this.offer.entryCount;
    if (this.entries.length + entries.length > expected) {
      throw new FerryError('BAD_MESSAGE', `more entries than the offer's entryCount (${expected})`);
    }
    for (const e of entries) {
      // What an undecided offer may hold in memory.
      this.pathBytes += Buffer.byteLength(e.path, 'utf8');
      if (this.pathBytes > MAX_OFFER_PATH_BYTES) {
        throw new FerryError('LIMIT_EXCEEDED', `the offer's paths exceed ${MAX_OFFER_PATH_BYTES} bytes; send it as several transfers`);
      }
      // macOS writes names in NFD: a name and its NFC twin would land on the same file.
      const key = e.path.normalize('NFC');
      if (this.seen.has(key)) throw new FerryError('BAD_MESSAGE', `duplicate path ${JSON.stringify(e.path)}`);
      this.seen.add(key);
      if (!isDir(e)) {
        this.totalBytes += e.size;
        this.fileCount++;
      }
      this.entries.push(e);
    }
    if (this.entries.length < expected) return null;
    noFileIsAFolder(this.entries);
    if (this.totalBytes !== this.offer.totalBytes) {
      throw new FerryError('BAD_MESSAGE', `offer.totalBytes ${this.offer.totalBytes} does not match the files (${this.totalBytes})`);
    }
    return {
      transferId: this.offer.transferId,
      entries: this.entries,
      fileCount: this.fileCount,
      dirCount: this.entries.length - this.fileCount,
      totalBytes: this.totalBytes,
    };
  }
}

/** A file may not also be a folder of another entry (a/b as a file and a/b/c). */
function noFileIsAFolder(entries: readonly Entry[]): void {
  // Each folder an entry sits in, once: an offer of 100,000 files may have only 100 of them,
  // and every prefix of each is checked against the files.
  const filePaths = new Set<string>();
  const folders = new Set<string>();
  for (const e of entries) {
    const p = e.path.normalize('NFC');
    if (!isDir(e)) filePaths.add(p);
    const slash = p.lastIndexOf('/');
    if (slash > 0) folders.add(p.slice(0, slash));
  }
  for (const folder of folders) {
    for (let slash = folder.indexOf('/'); ; slash = folder.indexOf('/', slash + 1)) {
      const prefix = slash < 0 ? folder : folder.slice(0, slash);
      if (filePaths.has(prefix)) throw new FerryError('BAD_MESSAGE', `${JSON.stringify(prefix)} is both a file and a folder`);
      if (slash < 0) break;
    }
  }
}
