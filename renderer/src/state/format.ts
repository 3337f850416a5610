// Numbers as people read them, in the window's language: sizes, speeds, time left, counts and
// dates. The functions live in main/i18n/format.ts (the CLI and the notifications use them
// too); these are bound to the window's i18n instance. Pinned by tests/renderer-state.test.ts.

import { formatHostPort } from '../contract.js';
import { fmt } from '../i18n/setup.js';

export const formatBytes = (bytes: number): string => fmt.bytes(bytes);
export const formatSpeed = (bytesPerSecond: number | null | undefined): string | null => fmt.speed(bytesPerSecond);
export const formatEta = (seconds: number | null | undefined): string | null => fmt.eta(seconds);
export const formatDuration = (ms: number): string => fmt.duration(ms);
export const formatContents = (fileCount: number, dirCount: number): string => fmt.contents(fileCount, dirCount);
export const formatNumber = (n: number): string => fmt.number(n);
export const formatWhen = (timestamp: number, now?: number, locale?: string): string => fmt.when(timestamp, now, locale);

/** "1 file", "3 files", "0 folders"; an explicit plural for the irregular ones. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  const count = Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0;
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** "192.168.1.20:33779", "[fe80::1]:33779": an address as a user types it back; a host alone when the port is unknown. */
export function formatAddress(host: string, port: number | null): string {
  if (port != null) return formatHostPort({ host, port });
  return host.includes(':') ? `[${host}]` : host;
}
