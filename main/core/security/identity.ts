// This device's identity: a key and certificate created on first use and kept (the device id
// is the certificate's fingerprint), so a re-run is the same sender, which is what lets a
// receiver resume its files and trust it. The files themselves are store/identity-files.ts's.

import * as os from 'node:os';
import { FerryError } from '../errors.js';
import { cleanDeviceName } from '../protocol/wire-path.js';
import { readIdentityFiles, writeCredentialFiles, writeIdentityRecord } from '../store/identity-files.js';
import { checkCredentials, createCredentials, fingerprintOfPem, type TlsCredentials } from './certificate.js';

export interface LocalIdentity {
  /** SHA-256 fingerprint of tls.cert, lower-case hex. */
  deviceId: string;
  deviceName: string;
  tls: TlsCredentials;
}

export async function loadIdentity(configDir: string, nameOverride?: string): Promise<LocalIdentity> {
  const files = await readIdentityFiles(configDir);
  let tls: TlsCredentials | null = null;
  if (files.key !== null && files.cert !== null) {
    tls = { key: files.key, cert: files.cert };
    try {
      checkCredentials(tls);
    } catch (err) {
      throw new FerryError(
        'BAD_CONFIG',
        `this device's key or certificate in ${configDir} is unusable (${(err as Error).message}); move device-key.pem and device-cert.pem away to create a new identity (trusted peers will have to trust it again)`,
      );
    }
  } else if (files.key !== null || files.cert !== null) {
    throw new FerryError(
      'BAD_CONFIG',
      `${configDir} holds only half of this device's identity (device-key.pem or device-cert.pem is missing)`,
    );
  }
  const deviceName = cleanDeviceName(files.recordedName ?? os.hostname());
  if (!tls) {
    tls = await createCredentials();
    await writeCredentialFiles(configDir, tls);
  }
  const deviceId = fingerprintOfPem(tls.cert);
  if (files.recordedId !== deviceId) await writeIdentityRecord(configDir, { deviceId, deviceName });
  return { deviceId, deviceName: nameOverride ? cleanDeviceName(nameOverride) : deviceName, tls };
}

/** Renames this device (kept for the next start). */
export async function saveDeviceName(configDir: string, identity: LocalIdentity, name: string): Promise<LocalIdentity> {
  const deviceName = cleanDeviceName(name);
  await writeIdentityRecord(configDir, { deviceId: identity.deviceId, deviceName });
  return { ...identity, deviceName };
}
