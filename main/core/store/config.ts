// Where Ferry keeps its identity and settings, following each OS's conventions, and how
// it writes them: to a temporary file first, then renamed, so a crash never leaves half a file.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FerryError } from '../errors.js';
import { MAX_NAME_CHARS } from '../protocol/limits.js';
import type { LocalIdentity } from '../transfer/identity.js';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FERRY_CONFIG_DIR) return env.FERRY_CONFIG_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ferry');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'ferry');
}

export function defaultDownloadDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  const xdg = env.XDG_DOWNLOAD_DIR;
  return path.join(xdg || path.join(home, 'Downloads'), 'Ferry');
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new FerryError('IO_ERROR', `cannot read ${file}: ${(err as Error).message}`);
  }
}

export function cleanDeviceName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu, '').trim();
  // The limit counts UTF-16 units (as the protocol does); never split a character.
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length > MAX_NAME_CHARS) break;
    out += ch;
  }
  return out || 'Ferry device';
}

/**
 * This device's identity: created on first use and kept, so a re-run is the same sender
 * (which is what lets a receiver resume its files).
 */
export async function loadIdentity(configDir: string, nameOverride?: string): Promise<LocalIdentity> {
  const file = path.join(configDir, 'identity.json');
  const stored = (await readJson(file)) as Partial<LocalIdentity> | null;
  let identity: LocalIdentity;
  if (stored && typeof stored.deviceId === 'string' && /^[0-9a-f]{64}$/.test(stored.deviceId)) {
    identity = { deviceId: stored.deviceId, deviceName: cleanDeviceName(stored.deviceName ?? os.hostname()) };
  } else {
    identity = { deviceId: randomBytes(32).toString('hex'), deviceName: cleanDeviceName(os.hostname()) };
    await writeJsonAtomic(file, identity);
  }
  return nameOverride ? { ...identity, deviceName: cleanDeviceName(nameOverride) } : identity;
}
