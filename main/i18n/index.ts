// Ferry's words in each of its languages, for every host: the renderer (with react-i18next),
// the desktop app's tray and notifications, and the CLI. i18next holds the catalogs and the
// plural rules; Intl formats numbers and dates (format.ts). Node-free, like the contract.

import i18next, { type i18n as I18n, type InitOptions } from 'i18next';
import type { ErrorCode } from '../core/contract/error-codes.js';
import { LANGUAGES, type Language, type LeftOutReason } from '../core/contract/index.js';
import { en } from './catalog/en.js';
import { zhCN } from './catalog/zh-CN.js';

export type { I18n };
export { LANGUAGES, type Language };
export { languagesFromEnv, matchLanguage, pickLanguage, resolveLanguage } from './languages.js';

// Keys are not typed through i18next's CustomTypeOptions: with catalogs this size its key
// types doubled the type-checked lint's time. tests/unit/i18n.test.ts checks instead that
// every key the code names exists, and that every key is used.
export const resources = {
  en: { translation: en },
  'zh-CN': { translation: zhCN },
} satisfies Record<Language, { translation: unknown }>;

export const I18N_OPTIONS: InitOptions = {
  resources,
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  // The catalogs are bundled: initialising is synchronous, so the first render has its words.
  initAsync: false,
  // React escapes what it renders; the CLI neutralises control characters itself.
  interpolation: { escapeValue: false },
  returnNull: false,
};

/** An i18next instance of its own, ready at once (the CLI, the desktop app's main process, tests). */
export function createI18n(lang: Language): I18n {
  const i18n = i18next.createInstance();
  void i18n.init({ ...I18N_OPTIONS, lng: lang });
  return i18n;
}

/** The language an instance speaks now, as one of Ferry's. */
export function languageOf(i18n: I18n): Language {
  const lang = i18n.resolvedLanguage ?? i18n.language;
  return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'en';
}

/**
 * What to tell a person about a failure: in English, the engine's own message (it names the
 * file, the sizes, the address); in another language, the sentence for its code, since the
 * engine's messages are English. Codes never change, whatever the language.
 */
export function errorText(i18n: I18n, error: { code: string | null; message: string }): string {
  if (languageOf(i18n) === 'en' && error.message) return error.message;
  const code = error.code as ErrorCode;
  if (code && Object.hasOwn(en.errors, code)) return i18n.t(ERROR_KEYS[code]);
  return error.message || i18n.t('common.somethingWrong');
}

// Whole keys, so that the unused-key test sees each one used.
const ERROR_KEYS = {
  BAD_FRAME: 'errors.BAD_FRAME',
  BAD_JSON: 'errors.BAD_JSON',
  BAD_MESSAGE: 'errors.BAD_MESSAGE',
  UNKNOWN_TYPE: 'errors.UNKNOWN_TYPE',
  UNEXPECTED_MESSAGE: 'errors.UNEXPECTED_MESSAGE',
  UNSUPPORTED_VERSION: 'errors.UNSUPPORTED_VERSION',
  PATH_UNSAFE: 'errors.PATH_UNSAFE',
  LIMIT_EXCEEDED: 'errors.LIMIT_EXCEEDED',
  TIMEOUT: 'errors.TIMEOUT',
  TOO_MANY_CONNECTIONS: 'errors.TOO_MANY_CONNECTIONS',
  DECLINED: 'errors.DECLINED',
  BUSY: 'errors.BUSY',
  NO_SPACE: 'errors.NO_SPACE',
  CANCELLED: 'errors.CANCELLED',
  CHECKSUM_MISMATCH: 'errors.CHECKSUM_MISMATCH',
  SOURCE_CHANGED: 'errors.SOURCE_CHANGED',
  IO_ERROR: 'errors.IO_ERROR',
  CONNECTION_LOST: 'errors.CONNECTION_LOST',
  CONNECT_FAILED: 'errors.CONNECT_FAILED',
  TLS_ERROR: 'errors.TLS_ERROR',
  SUPERSEDED: 'errors.SUPERSEDED',
  IDENTITY_MISMATCH: 'errors.IDENTITY_MISMATCH',
  IDENTITY_CHANGED: 'errors.IDENTITY_CHANGED',
  AUTH_REQUIRED: 'errors.AUTH_REQUIRED',
  AUTH_FAILED: 'errors.AUTH_FAILED',
  RATE_LIMITED: 'errors.RATE_LIMITED',
  BAD_CONFIG: 'errors.BAD_CONFIG',
  NOT_FOUND: 'errors.NOT_FOUND',
  INVALID_STATE: 'errors.INVALID_STATE',
  INTERNAL: 'errors.INTERNAL',
} as const satisfies Record<ErrorCode, `errors.${ErrorCode}`>;

/** Why a send left something out, in words (the UI's note on the transfer, the CLI's skip lines). */
export const LEFT_OUT_KEYS = {
  'folder-link': 'transfers.leftOut.folderLink',
  special: 'transfers.leftOut.special',
  path: 'transfers.leftOut.path',
  mtime: 'transfers.leftOut.mtime',
  unreadable: 'transfers.leftOut.unreadable',
} as const satisfies Record<LeftOutReason, `transfers.leftOut.${string}`>;
