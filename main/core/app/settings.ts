// The desktop app's and daemon's settings (settings.json in the config folder), and the
// shared secret (a file of its own, readable by the user only, never sent to a UI).

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { AcceptPolicy, SettingsView } from '../contract.js';
import { FerryError } from '../errors.js';
import { parseSecret } from '../security/secret.js';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-file.js';
import { defaultDownloadDir } from '../store/locations.js';

export const DEFAULT_PORT = 33779;

export type StoredSettings = Omit<SettingsView, 'deviceName' | 'secretEnabled'>;

const POLICIES: readonly AcceptPolicy[] = ['ask', 'trusted', 'all'];

export function defaultSettings(): StoredSettings {
  return { downloadDir: defaultDownloadDir(), port: DEFAULT_PORT, acceptPolicy: 'ask', notifications: true, announce: true };
}

/** Reads settings.json; unknown or invalid values fall back to defaults (a hand-edited file must not stop the app). */
export async function loadSettings(configDir: string): Promise<StoredSettings> {
  const d = defaultSettings();
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(path.join(configDir, 'settings.json'), 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  return {
    downloadDir: typeof raw.downloadDir === 'string' && path.isAbsolute(raw.downloadDir) ? raw.downloadDir : d.downloadDir,
    port: Number.isInteger(raw.port) && (raw.port as number) >= 0 && (raw.port as number) <= 65535 ? (raw.port as number) : d.port,
    acceptPolicy: POLICIES.includes(raw.acceptPolicy as AcceptPolicy) ? (raw.acceptPolicy as AcceptPolicy) : d.acceptPolicy,
    notifications: typeof raw.notifications === 'boolean' ? raw.notifications : d.notifications,
    announce: typeof raw.announce === 'boolean' ? raw.announce : d.announce,
  };
}

export async function saveSettings(configDir: string, s: StoredSettings): Promise<void> {
  await writeJsonAtomic(path.join(configDir, 'settings.json'), s);
}

/** Checks a settings change from a UI; throws BAD_CONFIG naming the field. */
export function checkSettingsPatch(patch: Record<string, unknown>): Partial<StoredSettings> & { deviceName?: string } {
  const out: Partial<StoredSettings> & { deviceName?: string } = {};
  for (const [k, v] of Object.entries(patch)) {
    switch (k) {
      case 'deviceName':
        if (typeof v !== 'string' || v.trim() === '') throw new FerryError('BAD_CONFIG', 'the device name must not be empty');
        out.deviceName = v;
        break;
      case 'downloadDir':
        if (typeof v !== 'string' || !path.isAbsolute(v)) throw new FerryError('BAD_CONFIG', 'the download folder must be an absolute path');
        out.downloadDir = v;
        break;
      case 'port':
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535) throw new FerryError('BAD_CONFIG', 'the port must be a number from 0 to 65535');
        out.port = v as number;
        break;
      case 'acceptPolicy':
        if (!POLICIES.includes(v as AcceptPolicy)) throw new FerryError('BAD_CONFIG', `the accept policy is one of ${POLICIES.join(', ')}`);
        out.acceptPolicy = v as AcceptPolicy;
        break;
      case 'notifications':
      case 'announce':
        if (typeof v !== 'boolean') throw new FerryError('BAD_CONFIG', `${k} is true or false`);
        out[k] = v;
        break;
      default:
        throw new FerryError('BAD_CONFIG', `unknown setting ${JSON.stringify(k)}`);
    }
  }
  return out;
}

const SECRET_FILE = 'shared-secret';

export async function loadStoredSecret(configDir: string): Promise<Buffer | null> {
  try {
    return parseSecret(await fs.readFile(path.join(configDir, SECRET_FILE), 'utf8'), 'the stored shared secret');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function storeSecret(configDir: string, secret: string | null): Promise<Buffer | null> {
  const file = path.join(configDir, SECRET_FILE);
  if (secret === null) {
    await fs.rm(file, { force: true });
    return null;
  }
  const parsed = parseSecret(secret);
  await writeFileAtomic(file, `${secret.trim()}\n`, 0o600);
  return parsed;
}
