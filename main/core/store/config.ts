// Where Ferry keeps its identity and settings, following each OS's conventions, and how
// it writes them: to a temporary file first, then renamed, so a crash never leaves half a file.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FerryError } from '../errors.js';
import { MAX_NAME_CHARS } from '../protocol/limits.js';
import { checkCredentials, createCredentials, fingerprintOfPem, type TlsCredentials } from '../security/certificate.js';
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
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

export async function writeFileAtomic(file: string, text: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, text, { mode, flag: 'wx' });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
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
 * This device's identity: a key and certificate created on first use and kept (the device id
 * is the certificate's fingerprint), so a re-run is the same sender, which is what lets a
 * receiver resume its files and trust it. The key file is readable by the user only.
 */
export async function loadIdentity(configDir: string, nameOverride?: string): Promise<LocalIdentity> {
  const file = path.join(configDir, 'identity.json');
  const keyFile = path.join(configDir, 'device-key.pem');
  const certFile = path.join(configDir, 'device-cert.pem');
  const stored = (await readJson(file)) as { deviceName?: unknown } | null;
  const storedName = typeof stored?.deviceName === 'string' ? stored.deviceName : os.hostname();
  let tls: TlsCredentials | null = null;
  const [key, cert] = await Promise.all([readText(keyFile), readText(certFile)]);
  if (key !== null && cert !== null) {
    tls = { key, cert };
    try {
      checkCredentials(tls);
    } catch (err) {
      throw new FerryError(
        'BAD_CONFIG',
        `this device's key or certificate in ${configDir} is unusable (${(err as Error).message}); move device-key.pem and device-cert.pem away to create a new identity (trusted peers will have to trust it again)`,
      );
    }
  } else if (key !== null || cert !== null) {
    throw new FerryError('BAD_CONFIG', `${configDir} holds only half of this device's identity (device-key.pem or device-cert.pem is missing)`);
  }
  const deviceName = cleanDeviceName(storedName);
  if (!tls) {
    tls = await createCredentials();
    await fs.mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(keyFile, tls.key, 0o600);
    await writeFileAtomic(certFile, tls.cert, 0o644);
  }
  const deviceId = fingerprintOfPem(tls.cert);
  if (!stored || (stored as { deviceId?: unknown }).deviceId !== deviceId) {
    await writeJsonAtomic(file, { deviceId, deviceName });
  }
  return { deviceId, deviceName: nameOverride ? cleanDeviceName(nameOverride) : deviceName, tls };
}

/** Renames this device (kept for the next start). */
export async function saveDeviceName(configDir: string, identity: LocalIdentity, name: string): Promise<LocalIdentity> {
  const deviceName = cleanDeviceName(name);
  await writeJsonAtomic(path.join(configDir, 'identity.json'), { deviceId: identity.deviceId, deviceName });
  return { ...identity, deviceName };
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new FerryError('IO_ERROR', `cannot read ${file}: ${(err as Error).message}`);
  }
}
