// Text messages as the UI handles them: how long one is against the limit (in bytes of UTF-8,
// as the engine counts), whether it may be sent, the one-line snippet rows show, and the link
// a received one may be opened as. Pure: no React, no DOM.

import { MAX_TEXT_BYTES } from '../contract.js';
import { i18n } from '../i18n/setup.js';

export { MAX_TEXT_BYTES };

/** From this many bytes on, the composer shows its counter. */
export const TEXT_COUNTER_FROM = Math.floor(MAX_TEXT_BYTES * 0.8);

const encoder = new TextEncoder();

/** Bytes of UTF-8, as the engine counts them (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function textBytes(text: string): number {
  return encoder.encode(text).length;
}

export type TextCheck = { ok: true; bytes: number } | { ok: false; bytes: number; reason: 'empty' | 'too-long'; message: string };

/** "65,536 bytes (64 KB)": the limit as the messages say it. */
export function textLimit(): string {
  return i18n.t('texts.check.limit', { bytes: MAX_TEXT_BYTES, kb: Math.round(MAX_TEXT_BYTES / 1024) });
}

/** Whether a message may go: something to say, within the limit; a sentence saying why not. */
export function checkText(text: string): TextCheck {
  const bytes = textBytes(text);
  if (text.trim() === '') return { ok: false, bytes, reason: 'empty', message: i18n.t('texts.check.empty') };
  if (bytes > MAX_TEXT_BYTES)
    return {
      ok: false,
      bytes,
      reason: 'too-long',
      message: i18n.t('texts.check.tooLong', { bytes, limit: textLimit() }),
    };
  return { ok: true, bytes };
}

/** "60,120 / 65,536 bytes" once a message nears the limit; null before. */
export function textCounter(bytes: number): string | null {
  if (bytes < TEXT_COUNTER_FROM) return null;
  return i18n.t('texts.check.counter', { bytes, max: MAX_TEXT_BYTES });
}

/** One line of a message for a row: its whitespace (line breaks too) as single spaces, cut at `max` characters. */
export function textSnippet(text: string | null | undefined, max = 120): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * The link a message may be opened as: the engine's TextView.link, checked again here (only
 * http and https, nothing that would run or open a file). Null for anything else.
 */
export function safeLink(link: string | null | undefined): string | null {
  if (!link) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/** How the person sends from the keyboard: ⌘ on a Mac, Ctrl elsewhere. */
export function sendShortcut(platform: string): string {
  return /mac|iphone|ipad/i.test(platform) ? '⌘+Enter' : 'Ctrl+Enter';
}

/** The copy shortcut, for when copying must be done by hand. */
export function copyShortcut(platform: string): string {
  return /mac|iphone|ipad/i.test(platform) ? '⌘C' : 'Ctrl+C';
}
