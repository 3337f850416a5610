// The language of what the desktop app's main process says itself: the tray menu, the
// notifications, native dialogs. The language setting when it names one, else the system's
// preferred languages; the window follows the same setting on its own (renderer/src/i18n).

import type { App } from 'electron';
import { createI18n, languageOf, resolveLanguage, type I18n, type Language } from '../../i18n/index.js';
import type { LanguageSetting } from '../../core/contract/index.js';

/** English: what the desktop modules speak when nobody tells them otherwise (tests, defaults). */
export const ENGLISH: I18n = createI18n('en');

/** The system's preferred languages, best first (Electron's list where it has one, else its locale). */
export function systemLanguages(app: Partial<Pick<App, 'getPreferredSystemLanguages' | 'getLocale'>>): string[] {
  try {
    const list = app.getPreferredSystemLanguages?.();
    if (list && list.length > 0) return list;
    const locale = app.getLocale?.();
    return locale ? [locale] : [];
  } catch {
    return [];
  }
}

/** The language in force, following the setting as the state events carry it. */
export class DesktopLanguage {
  private current: I18n;

  constructor(
    private readonly preferred: () => readonly string[],
    setting?: LanguageSetting,
  ) {
    this.current = createI18n(resolveLanguage(setting, preferred()));
  }

  get i18n(): I18n {
    return this.current;
  }

  get language(): Language {
    return languageOf(this.current);
  }

  /** Takes the setting; true when the language changed (then menus are made again). */
  follow(setting: LanguageSetting | undefined): boolean {
    const lang = resolveLanguage(setting, this.preferred());
    if (lang === this.language) return false;
    this.current = createI18n(lang);
    return true;
  }
}
