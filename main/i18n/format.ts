// Numbers as people read them, in the language an i18n instance speaks now: sizes, speeds,
// time left, durations, counts and dates. The words come from the catalogs; the digits, the
// grouping and the dates from Intl. Shared by the renderer, the notifications and the CLI.

import { formatBytes } from '../core/contract/index.js';
import { languageOf, matchLanguage, type I18n } from './index.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Formatters {
  /** "1.2 MB"; "—" when unknown. */
  bytes(bytes: number): string;
  /** "1.2 MB/s"; null while there is no meaningful speed (stalled, not started, garbage). */
  speed(bytesPerSecond: number | null | undefined): string | null;
  /** "about 3 min left"; null when the time left is unknown. */
  eta(seconds: number | null | undefined): string | null;
  /** How long something took: "less than a second", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
  duration(ms: number): string;
  /** "3 files", "3 files and 1 folder", "1 folder": what a transfer or offer holds. */
  contents(fileCount: number, dirCount: number): string;
  /** "Today, 14:03", "Yesterday, 09:12", else the date and time; `locale` for tests. */
  when(timestamp: number, now?: number, locale?: string): string;
  /** 12345 → "12,345". */
  number(n: number): string;
}

const whole = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0);

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * `preferred`: the person's own locales (navigator.languages, LANG), so that an English UI
 * writes dates and times as en-GB or en-US does, whichever the person uses.
 */
export function formatters(i18n: I18n, preferred: () => readonly string[] = () => []): Formatters {
  const t = i18n.t.bind(i18n);
  const lang = (): string => languageOf(i18n);
  const dateLocale = (): string => preferred().find((tag) => matchLanguage(tag) === lang()) ?? lang();
  const f: Formatters = {
    bytes: (bytes) => formatBytes(bytes, lang()),
    speed(bytesPerSecond) {
      if (bytesPerSecond == null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return null;
      return t('common.speed', { size: f.bytes(bytesPerSecond) });
    },
    eta(seconds) {
      if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return null;
      if (seconds < 10) return t('common.eta.fewSeconds');
      // Rounded to what a person would say; a value that rounds up to the next unit reads in it.
      const fives = Math.round(seconds / 5) * 5;
      if (fives < MINUTE) return t('common.eta.seconds', { n: fives });
      const minutes = Math.max(1, Math.round(seconds / MINUTE));
      if (minutes < 60) return t('common.eta.minutes', { n: minutes });
      if (seconds < DAY) {
        let h = Math.floor(seconds / HOUR);
        let m = Math.round((seconds - h * HOUR) / MINUTE);
        if (m === 60) {
          h++;
          m = 0;
        }
        if (h >= 24) return t('common.eta.aboutDay');
        return m === 0 ? t('common.eta.hours', { h }) : t('common.eta.hoursMinutes', { h, m });
      }
      return t('common.eta.moreThanDay');
    },
    duration(ms) {
      if (!Number.isFinite(ms) || ms < 0) return '—';
      const s = Math.round(ms / 1000);
      if (s < 1) return t('common.duration.lessThanSecond');
      if (s < MINUTE) return t('common.duration.s', { s });
      if (s < HOUR) {
        const m = Math.floor(s / MINUTE);
        const rest = s % MINUTE;
        return rest === 0 ? t('common.duration.m', { m }) : t('common.duration.ms', { m, s: rest });
      }
      if (s < DAY) {
        const h = Math.floor(s / HOUR);
        const m = Math.floor((s % HOUR) / MINUTE);
        return m === 0 ? t('common.duration.h', { h }) : t('common.duration.hm', { h, m });
      }
      const d = Math.floor(s / DAY);
      const h = Math.floor((s % DAY) / HOUR);
      return h === 0 ? t('common.duration.d', { d }) : t('common.duration.dh', { d, h });
    },
    contents(fileCount, dirCount) {
      const files = t('common.count.files', { count: whole(fileCount) });
      if (!Number.isFinite(dirCount) || dirCount <= 0) return files;
      const folders = t('common.count.folders', { count: whole(dirCount) });
      if (!Number.isFinite(fileCount) || fileCount <= 0) return folders;
      return t('common.count.filesAndFolders', { files, folders });
    },
    when(timestamp, now = Date.now(), locale = dateLocale()) {
      if (!Number.isFinite(timestamp)) return '—';
      const at = new Date(timestamp);
      const today = new Date(now);
      const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
      if (sameDay(at, today)) return t('common.when.today', { time });
      const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
      if (sameDay(at, yesterday)) return t('common.when.yesterday', { time });
      const date = at.toLocaleDateString(locale, {
        day: 'numeric',
        month: 'short',
        ...(at.getFullYear() !== today.getFullYear() ? { year: 'numeric' } : {}),
      });
      return t('common.when.other', { date, time });
    },
    number: (n) => (Number.isFinite(n) ? n.toLocaleString(lang()) : '—'),
  };
  return f;
}
