// How Ferry writes its files: to a temporary file first, then renamed over the old one, so a
// crash never leaves half a file; and how it reads them back, absent meaning "not yet".

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FerryError } from '../errors.js';
import { makeFolders } from '../folders.js';

export async function writeFileAtomic(file: string, text: string, mode: number): Promise<void> {
  await makeFolders(path.dirname(file), 0o700);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, text, { mode, flag: 'wx' });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Pretty JSON, readable by the user only (config files may name devices and folders). */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

/** The file's text, or null when it does not exist; any other failure is IO_ERROR. */
export async function readTextFile(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // A settings folder given as a file (`--config FILE`) is the likely cause: say that.
    if (code === 'ENOTDIR') throw new FerryError('BAD_CONFIG', `cannot read ${file}: ${path.dirname(file)} is not a folder`);
    if (code === 'EACCES' || code === 'EPERM') throw new FerryError('IO_ERROR', `cannot read ${file}: permission denied`);
    throw new FerryError('IO_ERROR', `cannot read ${file}: ${(err as Error).message}`);
  }
}

/** The file's JSON, or null when it does not exist; unreadable or damaged is IO_ERROR. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readTextFile(file);
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FerryError('IO_ERROR', `cannot read ${file}: ${(err as Error).message}`);
  }
}
