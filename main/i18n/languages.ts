// Which of Ferry's languages to speak: the setting when it names one, else the first of the
// person's preferred languages that Ferry has (the desktop's list, the browser's
// navigator.languages, or the CLI's LANGUAGE/LC_ALL/LC_MESSAGES/LANG), else English.

import { LANGUAGES, type Language, type LanguageSetting } from '../core/contract/index.js';

/**
 * The Ferry language for one BCP 47 tag ("zh-CN", "zh-Hans-SG", "en-GB") or POSIX locale
 * ("zh_CN.UTF-8", "en_US"); null when Ferry has none close. Every Chinese variant gets
 * Simplified Chinese: it reads better to a zh-TW user than English does, and it is the one
 * Chinese we have.
 */
export function matchLanguage(tag: string): Language | null {
  const base = tag
    .trim()
    .replace(/[.@].*$/, '')
    .replace(/_/g, '-')
    .toLowerCase();
  if (!base || base === 'c' || base === 'posix') return null;
  const primary = base.split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : null;
}

/** The first preferred language Ferry speaks; English when none is. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lang = matchLanguage(tag);
    if (lang) return lang;
  }
  return 'en';
}

/** The setting wins; 'system' follows the preferred languages. */
export function resolveLanguage(setting: LanguageSetting | undefined, preferred: readonly string[]): Language {
  return setting && setting !== 'system' ? setting : pickLanguage(preferred);
}

/**
 * The preferred languages a POSIX environment states, in gettext's order: LANGUAGE (a
 * colon-separated list, ignored under the C locale as gettext does), then the first set of
 * LC_ALL, LC_MESSAGES and LANG.
 */
export function languagesFromEnv(env: Record<string, string | undefined>): string[] {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  const isC = locale === '' || locale === 'C' || locale === 'POSIX' || locale.startsWith('C.');
  const list = !isC && env.LANGUAGE ? env.LANGUAGE.split(':').filter(Boolean) : [];
  return locale ? [...list, locale] : list;
}
