// Checks for what the settings screen lets people type, so a mistake is explained next to
// the field before the engine is asked (which checks again).

import type { AcceptPolicy, FixedSetting } from '../contract.js';

export const MIN_SECRET_CHARS = 16;
/** What setLocalSendPin takes (the engine answers BAD_CONFIG otherwise). */
export const MIN_PIN_CHARS = 4;
export const MAX_PIN_CHARS = 64;

export function checkDeviceName(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  if (!value) return { ok: false, message: 'The name cannot be empty.' };
  if (value.length > 64) return { ok: false, message: 'Keep the name under 64 characters.' };
  return { ok: true, value };
}

/** The receiver's TCP port: 1–65535, or 0 for "any free port". */
export function checkPort(input: string): { ok: true; value: number } | { ok: false; message: string } {
  const text = input.trim();
  if (!/^\d{1,5}$/.test(text)) return { ok: false, message: 'The port is a whole number from 1 to 65535 (0 picks a free one).' };
  const value = Number(text);
  if (value > 65535) return { ok: false, message: 'The port is a whole number from 1 to 65535 (0 picks a free one).' };
  return { ok: true, value };
}

/** A pasted shared secret: surrounding spaces do not count, at least 16 bytes of UTF-8. */
export function checkSecret(input: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = input.trim();
  const bytes = new TextEncoder().encode(value).length;
  if (bytes < MIN_SECRET_CHARS) {
    return {
      ok: false,
      message: `Too short to be safe: at least ${MIN_SECRET_CHARS} characters (this has ${bytes}). Generate one instead.`,
    };
  }
  return { ok: true, value };
}

/** A receive PIN for LocalSend senders: 4 to 64 characters, taken as typed (spaces count). */
export function checkPin(input: string): { ok: true; value: string } | { ok: false; message: string } {
  if (input.trim() === '') return { ok: false, message: `Type a PIN of ${MIN_PIN_CHARS} to ${MAX_PIN_CHARS} characters.` };
  if (input.length < MIN_PIN_CHARS)
    return { ok: false, message: `Too short: at least ${MIN_PIN_CHARS} characters (this has ${input.length}).` };
  if (input.length > MAX_PIN_CHARS) return { ok: false, message: `Too long: at most ${MAX_PIN_CHARS} characters.` };
  return { ok: true, value: input };
}

export const ACCEPT_POLICIES: ReadonlyArray<{ value: AcceptPolicy; label: string; help: string }> = [
  {
    value: 'ask',
    label: 'Ask me',
    help: 'A dialog asks before anything is received; devices you chose to always accept send without asking.',
  },
  { value: 'trusted', label: 'Accept trusted devices only', help: 'Trusted devices send without asking; everyone else is turned away.' },
  { value: 'all', label: 'Accept from everyone', help: 'Not recommended: anyone on the network can put files in your download folder.' },
  { value: 'none', label: 'Turn every offer away', help: 'Nothing is received; senders are told this device is not accepting files.' },
];

/** Why a control is read-only when the command line that started Ferry set its value. */
export const FIXED_NOTE: Record<FixedSetting, string> = {
  downloadDir: 'Set by --dir when this Ferry was started; restart it without that option to change it here.',
  port: 'Set by --port when this Ferry was started; restart it without that option to change it here.',
  acceptPolicy: 'Set by --accept when this Ferry was started; restart it without that option to change it here.',
  announce: 'Set by --no-announce when this Ferry was started; restart it without that option to change it here.',
  localsend: 'Set by --no-localsend when this Ferry was started; restart it without that option to change it here.',
  localsendPort: 'Set by --localsend-port when this Ferry was started; restart it without that option to change it here.',
  localsendPin: 'Set by --localsend-pin-file when this Ferry was started; restart it without that option to change it here.',
};
