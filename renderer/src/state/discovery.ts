// Reads a DiscoverySnapshot the way a person troubleshooting would: what works, what does
// not and what to try, most serious first.

import type { DiscoverySnapshot, DropReason, LocalSendStatusView } from '../contract.js';
import { plural } from './format.js';

export type Level = 'error' | 'warning' | 'ok' | 'info';

export interface Finding {
  level: Level;
  text: string;
}

const DROP_NAMES: Record<DropReason, string> = {
  oversized: 'too large',
  malformed: 'malformed',
  version: 'from another Ferry version',
  'unknown-kind': 'of an unknown kind',
  'rate-limited': 'over the rate limit',
  'table-full': 'beyond the device limit',
};

/** "3 malformed, 1 from another Ferry version"; empty when nothing was dropped. */
export function droppedSummary(dropped: Partial<Record<DropReason, number>>): string {
  return (Object.entries(dropped) as Array<[DropReason, number]>)
    .filter(([, n]) => Number.isFinite(n) && n > 0)
    .map(([reason, n]) => `${n} ${DROP_NAMES[reason] ?? reason}`)
    .join(', ');
}

export function discoveryFindings(s: DiscoverySnapshot | null): Finding[] {
  if (!s)
    return [
      {
        level: 'error',
        text: 'Discovery is not running on this device, so it neither sees nor announces anyone. Add devices by address instead.',
      },
    ];
  const out: Finding[] = [];
  if (!s.running) out.push({ level: 'error', text: 'Discovery is stopped.' });
  if (!s.listen.ok) {
    out.push({
      level: 'error',
      text: `Ferry cannot listen for other devices on UDP port ${s.port}${s.listen.error ? `: ${s.listen.error.message}` : ''}. Another program may hold the port.`,
    });
  }
  if (s.interfaces.length === 0) {
    out.push({ level: 'error', text: 'No usable network connection: connect this computer to Wi‑Fi or a wired network.' });
  }
  for (const i of s.interfaces) {
    if (i.bindError)
      out.push({ level: 'warning', text: `${i.name} (${i.address}): cannot send from this interface: ${i.bindError.message}.` });
    if (i.joinError)
      out.push({
        level: 'warning',
        text: `${i.name} (${i.address}): multicast is unavailable (${i.joinError.message}); broadcast is used instead.`,
      });
    const failed = i.sends.multicast.failed + (i.sends.broadcast?.failed ?? 0);
    const lastError = i.sends.multicast.lastError ?? i.sends.broadcast?.lastError ?? null;
    if (failed > 0) {
      out.push({
        level: 'warning',
        text: `${i.name}: ${plural(failed, 'announcement')} could not be sent${lastError ? ` (${lastError.message})` : ''}.`,
      });
    }
  }
  if (!s.announcing) {
    out.push({
      level: 'info',
      text: 'This device does not announce itself (“Visible to others” is off, or it is not receiving): others only reach it by address.',
    });
  }
  if (s.peers > 0) out.push({ level: 'ok', text: `${plural(s.peers, 'device')} found on the network.` });
  else if (s.listen.ok && s.received.announces === 0) {
    out.push({
      level: 'info',
      text: `Nothing heard from other devices yet. Another Ferry on this network appears within ${Math.max(1, Math.round(s.intervalMs / 1000))} s; if none does, a firewall may block UDP port ${s.port}, or the Wi‑Fi isolates its clients.`,
    });
  }
  const dropped = droppedSummary(s.dropped);
  if (dropped) out.push({ level: 'info', text: `Ignored messages: ${dropped}.` });
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
    return [
      {
        level: 'info',
        text: enabled
          ? 'LocalSend is starting: phones and LocalSend apps cannot reach this device yet.'
          : 'LocalSend is off: phones and LocalSend apps neither see this device nor reach it (Settings → LocalSend).',
      },
    ];
  }
  const out: Finding[] = [];
  if (status.problem)
    out.push({ level: status.port === null ? 'error' : 'warning', text: `LocalSend: ${status.problem}.`.replace(/\.\.$/, '.') });
  else if (status.port === null)
    out.push({ level: 'error', text: 'LocalSend is not listening: phones and LocalSend apps cannot reach this device.' });
  if (status.port !== null && !status.problem)
    out.push({ level: 'ok', text: `Phones and LocalSend apps reach this device on TCP port ${status.port}.` });
  return out;
}
