// Checks for what the settings screen lets people type, so a mistake is explained next to
// the field before the engine is asked (which checks again). The words are looked up when a
// check runs, in the window's language at that moment.

import type { AcceptPolicy, FixedSetting, LanguageSetting } from '../contract.js';
import { i18n } from '../i18n/setup.js';

export const MIN_SECRET_CHARS = 16;
/** What setLocalSendPin takes (the engine answers BAD_CONFIG otherwise). */
export const MIN_PIN_CHARS = 4;
export const MAX_PIN_CHARS = 64;

export function checkDeviceName(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  if (!value) return { ok: false, message: i18n.t('settings.deviceName.empty') };
  if (value.length > 64) return { ok: false, message: i18n.t('settings.deviceName.tooLong') };
  return { ok: true, value };
}

/** The receiver's TCP port: 1–65535, or 0 for "any free port". */
export function checkPort(input: string): { ok: true; value: number } | { ok: false; message: string } {
  const text = input.trim();
  if (!/^\d{1,5}$/.test(text)) return { ok: false, message: i18n.t('settings.port.invalid') };
  const value = Number(text);
  if (value > 65535) return { ok: false, message: i18n.t('settings.port.invalid') };
  return { ok: true, value };
}

/** A pasted shared secret: surrounding spaces do not count, at least 16 bytes of UTF-8. */
export function checkSecret(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  const bytes = new TextEncoder().encode(value).length;
  if (bytes < MIN_SECRET_CHARS) {
    return { ok: false, message: i18n.t('settings.secret.tooShort', { min: MIN_SECRET_CHARS, n: bytes }) };
  }
  return { ok: true, value };
}

/** A receive PIN for LocalSend senders: 4 to 64 characters, taken as typed (spaces count). */
export function checkPin(input: string): { ok: true; value: string } | { ok: false; message: string } {
  if (input.trim() === '') return { ok: false, message: i18n.t('settings.pin.empty', { min: MIN_PIN_CHARS, max: MAX_PIN_CHARS }) };
  if (input.length < MIN_PIN_CHARS) return { ok: false, message: i18n.t('settings.pin.tooShort', { min: MIN_PIN_CHARS, n: input.length }) };
  if (input.length > MAX_PIN_CHARS) return { ok: false, message: i18n.t('settings.pin.tooLong', { max: MAX_PIN_CHARS }) };
  return { ok: true, value: input };
}

/** The accept policies in the order the select lists them: catalog keys of their label and help. */
export const ACCEPT_POLICIES = [
  { value: 'ask', label: 'settings.accept.ask', help: 'settings.accept.askHelp' },
  { value: 'trusted', label: 'settings.accept.trusted', help: 'settings.accept.trustedHelp' },
  { value: 'all', label: 'settings.accept.all', help: 'settings.accept.allHelp' },
  { value: 'none', label: 'settings.accept.none', help: 'settings.accept.noneHelp' },
] as const satisfies ReadonlyArray<{ value: AcceptPolicy; label: string; help: string }>;

/** The language setting's choices: each language named in its own language, in every language. */
export const LANGUAGE_NAMES = {
  system: 'common.language.system',
  en: 'common.language.en',
  'zh-CN': 'common.language.zh-CN',
} as const satisfies Record<LanguageSetting, string>;

/** The command-line option that fixes each setting. */
const FIXED_OPTION: Record<FixedSetting, string> = {
  downloadDir: '--dir',
  port: '--port',
  acceptPolicy: '--accept',
  announce: '--no-announce',
  localsend: '--no-localsend',
  localsendPort: '--localsend-port',
  localsendPin: '--localsend-pin-file',
};

/** Why a control is read-only: the command line that started Ferry set its value (in the current language). */
export function fixedNote(setting: FixedSetting): string {
  return i18n.t('settings.fixed', { option: FIXED_OPTION[setting] });
}
