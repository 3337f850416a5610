// Numbers as people read them: sizes, speeds, time left, counts and dates. Pure functions
// with no React or DOM, shared by every screen and pinned down by tests/renderer-state.test.ts.

import { formatBytes, formatHostPort } from '../contract.js';

export { formatBytes };

/** "1.2 MB/s"; null while there is no meaningful speed (stalled, not started, garbage). */
export function formatSpeed(bytesPerSecond: number | null | undefined): string | null {
  if (bytesPerSecond == null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return null;
  return `${formatBytes(bytesPerSecond)}/s`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "about 3 min left"; null when the time left is unknown (no estimate yet, or nonsense). */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return 'a few seconds left';
  // Rounded to what a person would say; a value that rounds up to the next unit reads in it.
  const fives = Math.round(seconds / 5) * 5;
  if (fives < MINUTE) return `about ${fives} s left`;
  const minutes = Math.max(1, Math.round(seconds / MINUTE));
  if (minutes < 60) return `about ${minutes} min left`;
  if (seconds < DAY) {
    let h = Math.floor(seconds / HOUR);
    let m = Math.round((seconds - h * HOUR) / MINUTE);
    if (m === 60) {
      h++;
      m = 0;
    }
    if (h >= 24) return 'about a day left';
    return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
  }
  return 'more than a day left';
}

/** How long something took: "less than a second", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 1) return 'less than a second';
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) {
    const m = Math.floor(s / MINUTE);
    const rest = s % MINUTE;
    return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
  }
  if (s < DAY) {
    const h = Math.floor(s / HOUR);
    const m = Math.floor((s % HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const d = Math.floor(s / DAY);
  const h = Math.floor((s % DAY) / HOUR);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/** "1 file", "3 files", "0 folders"; an explicit plural for the irregular ones. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  const count = Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0;
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** "3 files", "3 files and 1 folder", "1 folder": what a transfer or offer holds. */
export function formatContents(fileCount: number, dirCount: number): string {
  const files = plural(fileCount, 'file');
  if (!Number.isFinite(dirCount) || dirCount <= 0) return files;
  if (!Number.isFinite(fileCount) || fileCount <= 0) return plural(dirCount, 'folder');
  return `${files} and ${plural(dirCount, 'folder')}`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * When something happened, relative where that reads better: "Today, 14:03", "Yesterday,
 * 09:12", else the date and time. `locale` is for tests; the UI uses the system's.
 */
export function formatWhen(timestamp: number, now: number = Date.now(), locale?: string): string {
  if (!Number.isFinite(timestamp)) return '—';
  const at = new Date(timestamp);
  const today = new Date(now);
  const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (sameDay(at, today)) return `Today, ${time}`;
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (sameDay(at, yesterday)) return `Yesterday, ${time}`;
  const date = at.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    ...(at.getFullYear() !== today.getFullYear() ? { year: 'numeric' } : {}),
  });
  return `${date}, ${time}`;
}

/** "192.168.1.20:33779", "[fe80::1]:33779": an address as a user types it back; a host alone when the port is unknown. */
export function formatAddress(host: string, port: number | null): string {
  if (port != null) return formatHostPort({ host, port });
  return host.includes(':') ? `[${host}]` : host;
}
