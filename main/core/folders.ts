// Creating the folders a person names (the download folder, the settings folder, a secret
// file's folder). Node's `mkdir(…, { recursive: true })` never returns for some paths of
// virtual file systems: under /proc, mkdir answers ENOENT although the parent exists, and
// libuv's mkdir -p climbs back up and tries again forever, one core busy and no error. So
// the levels are made one at a time, and any failure is one sentence naming the folder.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FerryError } from './errors.js';

/**
 * mkdir -p: `dir` and any missing parents, with `mode` for those it makes. An existing `dir`
 * must be a folder. Throws BAD_CONFIG ("Ferry cannot create …: why").
 */
export async function makeFolders(dir: string, mode?: number): Promise<void> {
  const full = path.resolve(dir);
  const missing: string[] = [];
  try {
    for (let at = full; ;) {
      // ENOTDIR: a part above is a file; climbing finds which, and says so.
      const st = await fs
        .stat(at)
        .catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : Promise.reject(err)));
      if (st) {
        if (!st.isDirectory()) throw Object.assign(new Error(`${at} is a file`), { code: 'ENOTDIR', path: at });
        break;
      }
      missing.unshift(at);
      const up = path.dirname(at);
      if (up === at) break;
      at = up;
    }
    for (const d of missing) {
      try {
        await fs.mkdir(d, mode === undefined ? undefined : { mode });
      } catch (err) {
        // Made meanwhile by someone else: a folder is all we wanted.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await fs.stat(d)).isDirectory()) throw err;
      }
    }
  } catch (err) {
    throw new FerryError('BAD_CONFIG', `Ferry cannot create ${dir}: ${why(err as NodeJS.ErrnoException, full)}`, { cause: err });
  }
}

function why(err: NodeJS.ErrnoException, full: string): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOTDIR':
    case 'EEXIST':
      // The path itself, or a folder above it, is a file.
      return err.path === full ? 'a file of that name is there' : `${err.path ?? 'part of the path'} is a file, not a folder`;
    case 'ENOENT':
      // A parent that exists but takes no folders: a virtual file system such as /proc.
      return 'folders cannot be made there';
    default:
      return err.code ?? err.message;
  }
}
