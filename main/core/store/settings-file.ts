// The desktop app's and daemon's settings: settings.json in the config folder. A hand-edited
// file must not stop the app, so unknown or invalid values read as their defaults.

import * as path from 'node:path';
import type { AcceptPolicy, SettingsView } from '../contract/index.js';
import { DEFAULT_PORT } from '../protocol/limits.js';
import { readTextFile, writeJsonAtomic } from './atomic-file.js';
import { defaultDownloadDir } from './locations.js';

export type StoredSettings = Omit<SettingsView, 'deviceName' | 'secretEnabled' | 'fixed'>;

export const ACCEPT_POLICIES: readonly AcceptPolicy[] = ['ask', 'trusted', 'all', 'none'];

const FILE = 'settings.json';

export function defaultSettings(): StoredSettings {
  return { downloadDir: defaultDownloadDir(), port: DEFAULT_PORT, acceptPolicy: 'ask', notifications: true, announce: true };
}

export async function loadSettings(configDir: string): Promise<StoredSettings> {
  const d = defaultSettings();
  let raw: Record<string, unknown> = {};
  const text = await readTextFile(path.join(configDir, FILE)); // unreadable (permissions): IO_ERROR
  try {
    const parsed: unknown = text === null ? null : JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // Damaged: the defaults, rather than refusing to start.
  }
  return {
    downloadDir: typeof raw.downloadDir === 'string' && path.isAbsolute(raw.downloadDir) ? raw.downloadDir : d.downloadDir,
    port: Number.isInteger(raw.port) && (raw.port as number) >= 0 && (raw.port as number) <= 65535 ? (raw.port as number) : d.port,
    acceptPolicy: ACCEPT_POLICIES.includes(raw.acceptPolicy as AcceptPolicy) ? (raw.acceptPolicy as AcceptPolicy) : d.acceptPolicy,
    notifications: typeof raw.notifications === 'boolean' ? raw.notifications : d.notifications,
    announce: typeof raw.announce === 'boolean' ? raw.announce : d.announce,
  };
}

export async function saveSettings(configDir: string, s: StoredSettings): Promise<void> {
  await writeJsonAtomic(path.join(configDir, FILE), s);
}
