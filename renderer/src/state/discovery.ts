// Reads a DiscoverySnapshot the way a person troubleshooting would: what works, what does
// not and what to try, most serious first.

import type { DiscoverySnapshot, DropReason, LocalSendStatusView } from '../contract.js';
import { errorText, i18n } from '../i18n/setup.js';

export type Level = 'error' | 'warning' | 'ok' | 'info';

export interface Finding {
  level: Level;
  text: string;
}

// Whole keys, so that the catalog test sees each one used.
const DROP_KEYS = {
  oversized: 'discovery.dropped.oversized',
  malformed: 'discovery.dropped.malformed',
  version: 'discovery.dropped.version',
  'unknown-kind': 'discovery.dropped.unknownKind',
  'rate-limited': 'discovery.dropped.rateLimited',
  'table-full': 'discovery.dropped.tableFull',
} as const satisfies Record<DropReason, string>;

/** "3 malformed, 1 from another Ferry version"; empty when nothing was dropped. */
export function droppedSummary(dropped: Partial<Record<DropReason, number>>): string {
  return (Object.entries(dropped) as Array<[DropReason, number]>)
    .filter(([, n]) => Number.isFinite(n) && n > 0)
    .map(([reason, n]) =>
      Object.hasOwn(DROP_KEYS, reason) ? i18n.t(DROP_KEYS[reason], { n }) : i18n.t('discovery.dropped.other', { n, reason }),
    )
    .join(i18n.t('discovery.listSeparator'));
}

export function discoveryFindings(s: DiscoverySnapshot | null): Finding[] {
  if (!s) return [{ level: 'error', text: i18n.t('discovery.findings.notRunning') }];
  const out: Finding[] = [];
  if (!s.running) out.push({ level: 'error', text: i18n.t('discovery.findings.stopped') });
  if (!s.listen.ok) {
    out.push({
      level: 'error',
      text: s.listen.error
        ? i18n.t('discovery.findings.cannotListenWhy', { port: s.port, error: errorText(s.listen.error) })
        : i18n.t('discovery.findings.cannotListen', { port: s.port }),
    });
  }
  if (s.interfaces.length === 0) {
    out.push({ level: 'error', text: i18n.t('discovery.findings.noInterfaces') });
  }
  for (const i of s.interfaces) {
    if (i.bindError)
      out.push({
        level: 'warning',
        text: i18n.t('discovery.findings.cannotSend', { name: i.name, address: i.address, error: errorText(i.bindError) }),
      });
    if (i.joinError)
      out.push({
        level: 'warning',
        text: i18n.t('discovery.findings.noMulticast', { name: i.name, address: i.address, error: errorText(i.joinError) }),
      });
    const failed = i.sends.multicast.failed + (i.sends.broadcast?.failed ?? 0);
    const lastError = i.sends.multicast.lastError ?? i.sends.broadcast?.lastError ?? null;
    if (failed > 0) {
      out.push({
        level: 'warning',
        text: lastError
          ? i18n.t('discovery.findings.sendFailedWhy', { name: i.name, count: failed, error: errorText(lastError) })
          : i18n.t('discovery.findings.sendFailed', { name: i.name, count: failed }),
      });
    }
  }
  if (!s.announcing) {
    out.push({ level: 'info', text: i18n.t('discovery.findings.notAnnouncing') });
  }
  if (s.peers > 0) out.push({ level: 'ok', text: i18n.t('discovery.findings.found', { count: s.peers }) });
  else if (s.listen.ok && s.received.announces === 0) {
    out.push({
      level: 'info',
      text: i18n.t('discovery.findings.nothingHeard', { s: Math.max(1, Math.round(s.intervalMs / 1000)), port: s.port }),
    });
  }
  const dropped = droppedSummary(s.dropped);
  if (dropped) out.push({ level: 'info', text: i18n.t('discovery.findings.ignored', { list: dropped }) });
  return sortFindings(out);
}

const RANK: Record<Level, number> = { error: 0, warning: 1, ok: 2, info: 3 };

/** Most serious first; findings of one level keep their order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.level] - RANK[b.level]);
}

/**
 * LocalSend's side (DeviceView.localsend): off, on its port, or why it is elsewhere or not
 * listening at all. `enabled` is the setting, which may say on before the server is up.
 */
export function localsendFindings(status: LocalSendStatusView | null, enabled: boolean): Finding[] {
  if (!status) {
    return [{ level: 'info', text: enabled ? i18n.t('discovery.localsend.starting') : i18n.t('discovery.localsend.off') }];
  }
  const out: Finding[] = [];
  // The engine's own words (English), its final full stop left to the sentence around it.
  if (status.problem)
    out.push({
      level: status.port === null ? 'error' : 'warning',
      text: i18n.t('discovery.localsend.problem', { problem: status.problem.trim().replace(/\.$/, '') }),
    });
  else if (status.port === null) out.push({ level: 'error', text: i18n.t('discovery.localsend.notListening') });
  if (status.port !== null && !status.problem)
    out.push({ level: 'ok', text: i18n.t('discovery.localsend.reachable', { port: status.port }) });
  return out;
}
