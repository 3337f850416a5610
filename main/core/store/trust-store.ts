// Devices the user chose to "always accept": pinned by certificate fingerprint (= device id)
// in trusted.json in the config folder. The name is kept only to recognise a trusted device
// that comes back with another certificate, so the user can be told its identity changed.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FerryError } from '../errors.js';
import { writeJsonAtomic } from './atomic-file.js';

export interface TrustedDevice {
  id: string;
  name: string;
  /** ms since the epoch */
  addedAt: number;
}

/** What a receiver or sender asks of the trust store while a connection is open. */
export interface TrustView {
  isTrusted(deviceId: string): boolean;
  /** A trusted device of this name pinned to another id: its identity changed, or it is an impostor. */
  changedIdentity(deviceId: string, deviceName: string): TrustedDevice | null;
}

const MAX_TRUSTED = 1000;
const ID = /^[0-9a-f]{64}$/;

export class TrustStore implements TrustView {
  private constructor(
    private readonly file: string,
    private devices: TrustedDevice[],
  ) {}

  static async load(configDir: string): Promise<TrustStore> {
    const file = path.join(configDir, 'trusted.json');
    return new TrustStore(file, await readDevices(file));
  }

  list(): readonly TrustedDevice[] {
    return this.devices;
  }

  isTrusted(deviceId: string): boolean {
    return this.devices.some((d) => d.id === deviceId);
  }

  changedIdentity(deviceId: string, deviceName: string): TrustedDevice | null {
    if (this.isTrusted(deviceId)) return null;
    const name = deviceName.normalize('NFC').toLowerCase();
    return this.devices.find((d) => d.name.normalize('NFC').toLowerCase() === name) ?? null;
  }

  async add(id: string, name: string): Promise<TrustedDevice> {
    if (!ID.test(id))
      throw new FerryError('BAD_CONFIG', `"${id}" is not a device id (64 hex digits, as \`ferry trust list\` and the offer show)`);
    // Re-read first: another Ferry process (CLI, daemon) may have changed the file.
    this.devices = await readDevices(this.file);
    const existing = this.devices.find((d) => d.id === id);
    const device = { id, name, addedAt: existing?.addedAt ?? Date.now() };
    this.devices = [...this.devices.filter((d) => d.id !== id), device];
    if (this.devices.length > MAX_TRUSTED) throw new FerryError('LIMIT_EXCEEDED', `at most ${MAX_TRUSTED} trusted devices`);
    await this.save();
    return device;
  }

  /** Removes by full id, an unambiguous id prefix (at least 8 digits) or exact name; returns what went. */
  async remove(what: string): Promise<TrustedDevice[]> {
    this.devices = await readDevices(this.file);
    const matches = findDevices(this.devices, what);
    if (matches.length === 0) throw new FerryError('BAD_CONFIG', `no trusted device matches "${what}"`);
    if (matches.length > 1 && !matches.every((d) => d.name === what)) {
      throw new FerryError(
        'BAD_CONFIG',
        `"${what}" matches several trusted devices: ${matches.map((d) => `${d.name} (${d.id.slice(0, 12)}…)`).join(', ')}; give more of the id`,
      );
    }
    const gone = new Set(matches.map((d) => d.id));
    this.devices = this.devices.filter((d) => !gone.has(d.id));
    await this.save();
    return matches;
  }

  private async save(): Promise<void> {
    await writeJsonAtomic(this.file, { version: 1, devices: this.devices });
  }
}

function findDevices(devices: TrustedDevice[], what: string): TrustedDevice[] {
  const lower = what.toLowerCase();
  if (ID.test(lower)) return devices.filter((d) => d.id === lower);
  if (/^[0-9a-f]{8,63}$/.test(lower)) {
    const byPrefix = devices.filter((d) => d.id.startsWith(lower));
    if (byPrefix.length > 0) return byPrefix;
  }
  return devices.filter((d) => d.name === what);
}

async function readDevices(file: string): Promise<TrustedDevice[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new FerryError('BAD_CONFIG', `cannot read ${file}: ${(err as Error).message}`);
  }
  const list = (raw as { devices?: unknown } | null)?.devices;
  if (!Array.isArray(list)) throw new FerryError('BAD_CONFIG', `${file} is not a list of trusted devices`);
  return list.flatMap((d: unknown): TrustedDevice[] => {
    const o = d as Partial<TrustedDevice> | null;
    if (!o || typeof o.id !== 'string' || !ID.test(o.id) || typeof o.name !== 'string') return [];
    return [{ id: o.id, name: o.name, addedAt: typeof o.addedAt === 'number' ? o.addedAt : 0 }];
  });
}
