// What a failed bridge call says to the user: the FerryError's message, whatever wrapped it
// (Electron's IPC prefixes "Error invoking remote method 'x': FerryError: …"), in the window's
// language: the engine's own message in English, the sentence for its code in Chinese.

import { errorText, i18n } from '../i18n/setup.js';

export interface ErrorInfo {
  code: string | null;
  message: string;
  /** The message was written by the renderer itself, in the window's language (the browser bridge's own errors). */
  translated?: true;
}

const IPC_PREFIX = /^Error invoking remote method '[^']*':\s*/;
const NAME_PREFIX = /^(?:FerryError|Error|TypeError)(?:\s*\[[A-Z_]+\])?:\s*/;

function clean(message: string): string {
  return message.replace(IPC_PREFIX, '').replace(NAME_PREFIX, '').trim();
}

export function describeError(err: unknown): ErrorInfo {
  if (typeof err === 'string') return { code: null, message: clean(err) || i18n.t('common.somethingWrong') };
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; translated?: unknown };
    const code = typeof e.code === 'string' ? e.code : null;
    const message = typeof e.message === 'string' ? clean(e.message) : '';
    if (message) return e.translated === true ? { code, message, translated: true } : { code, message };
    if (code) return { code, message: code };
  }
  return { code: null, message: i18n.t('common.somethingWrong') };
}

export function errorMessage(err: unknown): string {
  return describeError(err).message;
}

/** What to tell the person about a failure, in the window's language (errorText, unless the renderer wrote it already). */
export function shownError(err: unknown): string {
  const info = describeError(err);
  return info.translated ? info.message : errorText(info);
}

/** "not enough disk space" → "Not enough disk space." for a standalone sentence; Chinese ends in "。". */
export function sentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const first = m.charAt(0).toUpperCase() + m.slice(1);
  if (/[.!?…。！？]$/.test(first)) return first;
  return /[\u3400-\u9fff）]$/.test(first) ? `${first}。` : `${first}.`;
}
