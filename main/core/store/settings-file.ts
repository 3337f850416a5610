// The desktop app's and daemon's settings: settings.json in the config folder. A hand-edited
// file must not stop the app, so unknown or invalid values read as their defaults.

import * as path from 'node:path';
import {
  LANGUAGE_SETTINGS,
  LOCALSEND_DEFAULT_PORT,
  type AcceptPolicy,
  type LanguageSetting,
  type SettingsView,
} from '../contract/index.js';
import { DEFAULT_PORT } from '../protocol/limits.js';
import { readTextFile, writeJsonAtomic } from './atomic-file.js';
import { defaultDownloadDir } from './locations.js';

export type StoredSettings = Omit<SettingsView, 'deviceName' | 'secretEnabled' | 'fixed' | 'localsendPinEnabled' | 'desktop'> & {
  /** The desktop app's (DesktopSettingsView); other hosts keep them for it. */
  startAtLogin: boolean;
  closeToTray: boolean;
  /**
   * LocalSend's receive PIN. Kept as LocalSend apps keep theirs, in the settings: it is a
   * speed bump against strangers on the network, not a secret that protects the device.
   */
  localsendPin: string | null;
};

/** A receive PIN: what LocalSend apps let people type, within reason. */
export const LOCALSEND_PIN_CHARS = { min: 4, max: 64 };

export function isLocalSendPin(v: unknown): v is string {
  return (
    typeof v === 'string' && v.length >= LOCALSEND_PIN_CHARS.min && v.length <= LOCALSEND_PIN_CHARS.max && !/[\u0000-\u001f\u007f]/.test(v)
  );
}

const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;

export const ACCEPT_POLICIES: readonly AcceptPolicy[] = ['ask', 'trusted', 'all', 'none'];

const FILE = 'settings.json';

export function defaultSettings(): StoredSettings {
  return {
    downloadDir: defaultDownloadDir(),
    port: DEFAULT_PORT,
    acceptPolicy: 'ask',
    notifications: true,
    language: 'system',
    announce: true,
    localsend: true,
    localsendPort: LOCALSEND_DEFAULT_PORT,
    localsendPin: null,
    startAtLogin: false,
    closeToTray: true,
  };
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
    port: isPort(raw.port) ? raw.port : d.port,
    acceptPolicy: ACCEPT_POLICIES.includes(raw.acceptPolicy as AcceptPolicy) ? (raw.acceptPolicy as AcceptPolicy) : d.acceptPolicy,
    notifications: typeof raw.notifications === 'boolean' ? raw.notifications : d.notifications,
    language: LANGUAGE_SETTINGS.includes(raw.language as LanguageSetting) ? (raw.language as LanguageSetting) : d.language,
    announce: typeof raw.announce === 'boolean' ? raw.announce : d.announce,
    localsend: typeof raw.localsend === 'boolean' ? raw.localsend : d.localsend,
    localsendPort: isPort(raw.localsendPort) ? raw.localsendPort : d.localsendPort,
    localsendPin: isLocalSendPin(raw.localsendPin) ? raw.localsendPin : d.localsendPin,
    startAtLogin: typeof raw.startAtLogin === 'boolean' ? raw.startAtLogin : d.startAtLogin,
    closeToTray: typeof raw.closeToTray === 'boolean' ? raw.closeToTray : d.closeToTray,
  };
}

export async function saveSettings(configDir: string, s: StoredSettings): Promise<void> {
  await writeJsonAtomic(path.join(configDir, FILE), s);
}
