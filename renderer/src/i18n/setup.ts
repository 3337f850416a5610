// The renderer's words: one i18next instance for the window, following the language setting,
// else the browser's (or, in the desktop app, the system's) languages. The last language used
// is remembered in localStorage, so a reload does not flash English before the state loads.

import i18next from 'i18next';
import type { LanguageSetting } from '../contract.js';
import { formatters } from '../../../main/i18n/format.js';
import {
  errorText as errorTextIn,
  I18N_OPTIONS,
  languageOf,
  matchLanguage,
  pickLanguage,
  resolveLanguage,
  type Language,
} from '../../../main/i18n/index.js';

const REMEMBERED = 'ferry.language';

// The page's globals, looked up rather than assumed: the renderer's pure modules also run in
// Node (the unit tests), which has no localStorage or document.
const page = globalThis as {
  navigator?: { languages?: readonly string[] };
  localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  document?: { documentElement: { lang: string } };
};

function preferredLanguages(): readonly string[] {
  return page.navigator?.languages ?? [];
}

function remembered(): Language | null {
  try {
    const v = page.localStorage?.getItem(REMEMBERED) ?? null;
    return v ? matchLanguage(v) : null;
  } catch {
    return null; // storage disabled
  }
}

export const i18n = i18next.createInstance();
void i18n.init({ ...I18N_OPTIONS, lng: remembered() ?? pickLanguage(preferredLanguages()) });

/** Sizes, speeds, times and counts in the window's language. */
export const fmt = formatters(i18n, preferredLanguages);

/** Speaks what the setting says (or the browser's language), and marks the page so. */
export function followLanguage(setting: LanguageSetting): void {
  const lang = resolveLanguage(setting, preferredLanguages());
  if (languageOf(i18n) !== lang) void i18n.changeLanguage(lang);
  if (page.document) page.document.documentElement.lang = lang;
  try {
    page.localStorage?.setItem(REMEMBERED, lang);
  } catch {
    // storage disabled: the next load starts from the browser's language
  }
}

/** What to tell the person about a failure ({code, message}), in the window's language. */
export function errorText(error: { code: string | null; message: string }): string {
  return errorTextIn(i18n, error);
}
