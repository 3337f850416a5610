// The language the `ferry` command speaks to a person, picked once at start from the
// environment as gettext does (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): `LANG=zh_CN.UTF-8 ferry …`
// speaks Chinese, LANG=C English. Only the human output: --json events, their fields and the
// error codes are the same in every language, and so are exit codes.

import type { ErrorCode } from '../../core/contract/error-codes.js';
import { FerryError } from '../../core/errors.js';
import { formatters } from '../../i18n/format.js';
import { createI18n, errorText, languageOf, languagesFromEnv, pickLanguage, type I18n } from '../../i18n/index.js';

export const i18n: I18n = createI18n(pickLanguage(languagesFromEnv(process.env)));

/** The CLI's words: `t('cli.…')`, in the language picked at start. */
export const t: I18n['t'] = i18n.t.bind(i18n);

/** Sizes, speeds, durations and counts in that language; dates as the person's locale writes them. */
export const fmt = formatters(i18n, () => languagesFromEnv(process.env));

/** English: the engine's own messages are what a person reads. */
export const english = languageOf(i18n) === 'en';

// The English of errors the CLI raises itself: their message is what --json carries.
const inEnglish: I18n = english ? i18n : createI18n('en');

// What the person reads for such an error, when it is not its English message.
const human = new WeakMap<object, string>();

/**
 * An error the command line raises itself: its message (in --json, and to the engine) is the
 * English of `say`; what a person reads is `say` in the CLI's language, with the same details
 * (names, addresses) rather than the code's general sentence.
 */
export function cliError(code: ErrorCode, say: (tr: I18n['t']) => string): FerryError {
  const e = new FerryError(code, say(inEnglish.t.bind(inEnglish)));
  if (!english) human.set(e, say(t));
  return e;
}

/** What to tell a person about a failure: the engine's message in English, else its code's sentence. */
export function errorLine(e: { code: string | null; message: string }): string {
  return human.get(e) ?? errorText(i18n, e);
}
