// The files that hold this device's identity in the config folder: its private key (readable
// by the user only), its certificate, and identity.json (the id, and the name the user chose).
// Only text here; making and checking keys is security/identity.ts's job.

import * as path from 'node:path';
import { makeFolders } from '../folders.js';
import { readJsonFile, readTextFile, writeFileAtomic, writeJsonAtomic } from './atomic-file.js';

export interface IdentityFiles {
  /** PEM texts, each null when its file is absent. */
  key: string | null;
  cert: string | null;
  /** From identity.json: what it says, unchecked. */
  recordedId: string | null;
  recordedName: string | null;
}

const KEY_FILE = 'device-key.pem';
const CERT_FILE = 'device-cert.pem';
const RECORD_FILE = 'identity.json';

export async function readIdentityFiles(configDir: string): Promise<IdentityFiles> {
  const [key, cert, record] = await Promise.all([
    readTextFile(path.join(configDir, KEY_FILE)),
    readTextFile(path.join(configDir, CERT_FILE)),
    readJsonFile(path.join(configDir, RECORD_FILE)),
  ]);
  const r = (record ?? {}) as { deviceId?: unknown; deviceName?: unknown };
  return {
    key,
    cert,
    recordedId: typeof r.deviceId === 'string' ? r.deviceId : null,
    recordedName: typeof r.deviceName === 'string' ? r.deviceName : null,
  };
}

export async function writeCredentialFiles(configDir: string, credentials: { key: string; cert: string }): Promise<void> {
  await makeFolders(configDir, 0o700);
  await writeFileAtomic(path.join(configDir, KEY_FILE), credentials.key, 0o600);
  await writeFileAtomic(path.join(configDir, CERT_FILE), credentials.cert, 0o644);
}

export async function writeIdentityRecord(configDir: string, record: { deviceId: string; deviceName: string }): Promise<void> {
  await writeJsonAtomic(path.join(configDir, RECORD_FILE), record);
}
