// Where received bytes land, and the file-system moves that keep them safe: folders created
// one component at a time without following links, temporary files opened exclusively or
// without following links, and a no-clobber final rename.

import { createHash, hash, type Hash } from 'node:crypto';
import { constants as C, existsSync, linkSync, lstatSync, mkdirSync, renameSync, unlinkSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FerryError } from '../errors.js';
import { truncateUtf8 } from '../protocol/wire-path.js';
import { MAX_COMPONENT_BYTES } from '../protocol/limits.js';

// O_NOFOLLOW is POSIX-only; on Windows the constant is absent and links are not a concern
// for files we create exclusively.
const NOFOLLOW = C.O_NOFOLLOW ?? 0;
export const OPEN_NEW = C.O_CREAT | C.O_EXCL | C.O_WRONLY | NOFOLLOW;
export const OPEN_EXISTING = C.O_WRONLY | NOFOLLOW;
export const OPEN_READ = C.O_RDONLY | NOFOLLOW;
/**
 * Reading a file we send: a symbolic link to a file is sent as that file (PROTOCOL.md §7.2), so
 * this one follows links. The person picked it; OPEN_READ is for what others sent us.
 */
export const OPEN_SOURCE = C.O_RDONLY;
export const PART_SUFFIX = '.ferry-part';
/** Exactly the names partName() makes: anything else, even ending in .ferry-part, is not ours. */
export const PART_NAME = /^\.[0-9a-f]{24}\.ferry-part$/;

/** Wire path ("a/b/c.txt") → its components, NFC-normalised so macOS NFD names meet their NFC twins. */
export function wireParts(wirePath: string): string[] {
  return wirePath.normalize('NFC').split('/');
}

/** Joins components under root and proves the result stays inside it. */
export function inside(root: string, parts: readonly string[]): string {
  const p = path.join(root, ...parts);
  const rel = path.relative(root, p);
  if (rel === '' && parts.length > 0) throw new FerryError('PATH_UNSAFE', 'path resolves to the download folder itself');
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new FerryError('PATH_UNSAFE', `path escapes the download folder`);
  return p;
}

/**
 * The temporary name of a file in transit: derived from who sent what (sender id, path,
 * size, mtime), so the same offer finds its partial again after any break.
 */
export function partName(senderId: string, wirePath: string, size: number, mtime: number): string {
  const key = hash('sha256', `${senderId}\0${wirePath}\0${size}\0${mtime}`);
  return `.${key.slice(0, 24)}${PART_SUFFIX}`;
}

/**
 * The temporary file's path in `dir` (absolute, normalised), as one flat string. A receiver
 * keeps one per file of an offer: built with path.join or `+` it would be a tree of the
 * pieces it was made from (V8 joins strings lazily), about 330 bytes a file instead of 90.
 */
export function partPathIn(dir: string, senderId: string, wirePath: string, size: number, mtime: number): string {
  const name = partName(senderId, wirePath, size, mtime);
  return [dir.endsWith(path.sep) ? dir.slice(0, -1) : dir, name].join(path.sep);
}

/**
 * Creates root/parts… one level at a time. An existing component must be a real folder:
 * a symlink planted there is never followed.
 */
export class FolderMaker {
  // One promise per folder, so files arriving together share a single mkdir.
  private readonly made = new Map<string, Promise<void>>();
  private readonly ready = new Set<string>();
  constructor(private readonly root: string) {
    this.ready.add(root);
  }

  /** Whether dir (an absolute path from ensure's folders) is known to exist, checked. */
  isReady(dir: string): boolean {
    return this.ready.has(dir);
  }

  async ensure(parts: readonly string[]): Promise<string> {
    let dir = this.root;
    for (let i = 0; i < parts.length; i++) {
      dir = inside(this.root, parts.slice(0, i + 1));
      let p = this.made.get(dir);
      if (!p) {
        const made = dir;
        p = this.make(dir, parts.slice(0, i + 1).join('/')).then(() => void this.ready.add(made));
        this.made.set(dir, p);
      }
      await p;
    }
    return dir;
  }

  // Synchronous: a mkdir costs microseconds, a thread-pool round trip more, and an offer
  // of many folders makes them all before it answers.
  private async make(dir: string, rel: string): Promise<void> {
    try {
      mkdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!lstatSync(dir).isDirectory()) throw new FerryError('PATH_UNSAFE', `${rel} exists and is not a folder`);
    }
  }
}

const DOUBLE_EXT = /\.(tar\.(gz|bz2|xz|zst|lz|lzma|Z))$/i;

/** "name.ext" → "name (n).ext" (dotfiles and .tar.gz-style extensions kept whole). */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const m = DOUBLE_EXT.exec(name);
  let dot = m ? m.index : name.lastIndexOf('.');
  if (dot <= 0) dot = name.length;
  const ext = name.slice(dot);
  const suffix = ` (${n})`;
  const stem = truncateUtf8(name.slice(0, dot), MAX_COMPONENT_BYTES - Buffer.byteLength(suffix + ext, 'utf8'));
  return `${stem}${suffix}${ext}`;
}

const NO_HARDLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Gives the finished temporary file its final name without ever replacing an existing
 * entry: link() fails with EEXIST atomically (also for a planted symlink, and on
 * case-insensitive file systems for a case variant), so we try "name (1)", "name (2)"…
 * Synchronous on purpose: two metadata calls cost less than a thread-pool round trip,
 * which is what makes thousands of small files fast. Returns the name used.
 */
export function claimFinalName(dir: string, name: string, tmp: string): string {
  for (let n = 0; n < 10_000; n++) {
    const candidate = numberedName(name, n);
    const target = path.join(dir, candidate);
    try {
      linkSync(tmp, target);
      unlinkSync(tmp);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') continue;
      if (!NO_HARDLINKS.has(code)) throw err;
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (existsSync(target)) continue;
      renameSync(tmp, target);
      return candidate;
    }
  }
  throw new FerryError('IO_ERROR', `no free name for ${name}`);
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Free bytes available to us on the volume holding dir. */
export async function freeSpace(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return s.bavail * s.bsize;
}

/** md5 of zero bytes: an empty file's whole content. */
export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/**
 * md5 state after the first `length` bytes of a file, read without following a link unless
 * `flags` says so (OPEN_SOURCE: a file we send).
 */
export async function md5Prefix(file: string, length: number, flags: number = OPEN_READ): Promise<Hash> {
  const hash = createHash('md5');
  const fh = await fs.open(file, flags);
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let pos = 0;
    while (pos < length) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - pos), pos);
      if (bytesRead === 0) throw new FerryError('IO_ERROR', `${file} is shorter than expected`);
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return hash;
}
