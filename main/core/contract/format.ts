// Sizes as people read them, the same in the window, the browser, notifications and the CLI:
// decimal units, as file managers show them ("0 B", "999 B", "1.2 MB", "123 GB").

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Unknown (negative, not a number) → "—". `locale` writes the number its way (Intl); the units are the same everywhere. */
export function formatBytes(bytes: number, locale = 'en'): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${Math.round(bytes).toLocaleString(locale)} B`;
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  // One decimal below 100 ("12.3 MB"), none above ("123 MB"); 999.96 kB reads "1.0 MB", not "1000.0 kB".
  let digits = value < 100 ? 1 : 0;
  if (Number(value.toFixed(digits)) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
    digits = 1;
  }
  const number = value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${number} ${UNITS[unit]}`;
}
