// Where the command line's discovery listens and speaks, and what it says when discovery
// struggles. The environment variables FERRY_DISCOVERY_PORT and FERRY_DISCOVERY_INTERFACES
// (names, or `loopback`) exist for tests and unusual networks.

import * as os from 'node:os';
import type { DiscoveryOptions, DiscoverySnapshot } from '../../core/discovery/discovery.js';
import type { InterfaceChoice } from '../../core/discovery/interfaces.js';
import { t } from './i18n.js';
import { CliUsageError } from './usage.js';

/**
 * Where discovery listens and speaks. A receiver bound to one address (`--host 127.0.0.1`)
 * announces only on the interface holding it: announcing elsewhere would advertise a port
 * nobody there can reach.
 */
export function discoverySettings(
  env: NodeJS.ProcessEnv = process.env,
  host?: string,
): Pick<DiscoveryOptions, 'discoveryPort' | 'interfaces'> {
  const out: Pick<DiscoveryOptions, 'discoveryPort' | 'interfaces'> = {};
  const port = env.FERRY_DISCOVERY_PORT;
  if (port) {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      throw new CliUsageError(t('cli.usage.envPort', { name: 'FERRY_DISCOVERY_PORT', value: JSON.stringify(port) }));
    out.discoveryPort = Number(port);
  }
  const names = env.FERRY_DISCOVERY_INTERFACES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names && names.length > 0) out.interfaces = { only: names };
  else if (host) out.interfaces = interfacesHolding(host);
  return out;
}

function interfacesHolding(host: string): InterfaceChoice | undefined {
  if (host === '0.0.0.0' || host === '::' || host === '') return undefined;
  if (host === 'localhost') return { only: ['loopback'] };
  const names = Object.entries(os.networkInterfaces())
    .filter(([, infos]) => (infos ?? []).some((i) => i.address === host))
    .map(([name]) => name);
  return names.length > 0 ? { only: names } : undefined;
}

/** LocalSend's discovery port, for tests and unusual networks (FERRY_LOCALSEND_DISCOVERY_PORT). */
export function localSendDiscoverySettings(env: NodeJS.ProcessEnv = process.env): { port?: number } {
  const port = env.FERRY_LOCALSEND_DISCOVERY_PORT;
  if (!port) return {};
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    throw new CliUsageError(t('cli.usage.envPort', { name: 'FERRY_LOCALSEND_DISCOVERY_PORT', value: JSON.stringify(port) }));
  return { port: Number(port) };
}

/** The troubleshooting view in words: where discovery runs, then each thing that failed. */
export function describeSnapshot(s: DiscoverySnapshot): { where: string; problems: string[] } {
  const used = s.interfaces.filter((i) => !i.bindError).map((i) => `${i.name} (${i.address})`);
  const where =
    used.length > 0
      ? t('cli.discovery.where', { interfaces: used.join(', '), port: s.port, group: s.group })
      : t('cli.discovery.noInterface');
  const problems: string[] = [];
  // The OS's own reasons (EADDRINUSE …) are quoted as they are, in every language.
  if (!s.listen.ok)
    problems.push(t('cli.discovery.cannotListen', { port: s.port, reason: s.listen.error?.message ?? t('cli.discovery.unknownError') }));
  for (const k of s.skipped) if (k.reason === 'not found') problems.push(t('cli.discovery.noSuchInterface', { name: k.name }));
  for (const i of s.interfaces) {
    const { multicast, broadcast } = i.sends;
    if (i.bindError) problems.push(t('cli.discovery.cannotSend', { name: i.name, reason: i.bindError.message }));
    if (i.joinError) problems.push(t('cli.discovery.cannotJoin', { name: i.name, group: s.group, reason: i.joinError.message }));
    if (multicast.lastError) problems.push(t('cli.discovery.multicastFailed', { name: i.name, reason: multicast.lastError.message }));
    if (broadcast?.lastError) problems.push(t('cli.discovery.broadcastFailed', { name: i.name, reason: broadcast.lastError.message }));
  }
  const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0);
  if (dropped.length > 0) problems.push(t('cli.discovery.dropped', { counts: dropped.map(([why, n]) => `${n} ${why}`).join(', ') }));
  return { where, problems };
}
