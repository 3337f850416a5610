// Incoming offers: which one the dialog shows (one at a time, oldest first) and how an
// offer is summed up.

import type { OfferView } from '../contract.js';
import { i18n } from '../i18n/setup.js';
import { formatBytes, formatContents } from './format.js';

/** Oldest first: offers are answered in the order they came. */
export function offerQueue(offers: readonly OfferView[]): OfferView[] {
  return [...offers].sort((a, b) => a.receivedAt - b.receivedAt || a.id.localeCompare(b.id));
}

export function currentOffer(offers: readonly OfferView[]): OfferView | null {
  return offerQueue(offers)[0] ?? null;
}

/** "3 files and 1 folder, 12.4 MB". */
export function offerSummary(o: Pick<OfferView, 'fileCount' | 'dirCount' | 'totalBytes'>): string {
  return i18n.t('offers.summary', { contents: formatContents(o.fileCount, o.dirCount), size: formatBytes(o.totalBytes) });
}

/** Entries the preview leaves out (the counts are complete, the list is capped). */
export function entriesNotShown(o: Pick<OfferView, 'fileCount' | 'dirCount' | 'entries'>): number {
  const total = (Number.isFinite(o.fileCount) ? o.fileCount : 0) + (Number.isFinite(o.dirCount) ? o.dirCount : 0);
  return Math.max(0, total - o.entries.length);
}

/** The code as the other screen shows it: "123 456", whatever spacing it came with. */
export function formatVerificationCode(code: string): string {
  const digits = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3)}` : code.trim();
}
