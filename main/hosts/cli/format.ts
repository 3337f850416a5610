// Human-readable numbers and the one-line live progress display of the CLI.

export { formatBytes } from '../../core/contract/format.js';
import { fmt, t } from './i18n.js';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function progressLine(
  p: { transferred: number; total: number; bytesPerSecond: number; etaSeconds: number | null; filesDone: number; fileCount: number },
  width = 24,
): string {
  const frac = p.total > 0 ? Math.min(1, p.transferred / p.total) : 1;
  const filled = Math.round(frac * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return t('cli.progress', {
    bar,
    percent: pct,
    transferred: fmt.bytes(p.transferred),
    total: fmt.bytes(p.total),
    speed: t('common.speed', { size: fmt.bytes(p.bytesPerSecond) }),
    eta: formatDuration(p.etaSeconds),
    filesDone: p.filesDone,
    fileCount: p.fileCount,
  });
}
