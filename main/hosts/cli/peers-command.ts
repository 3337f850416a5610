// `ferry peers`: the devices this computer can send to, as the desktop app lists them (the
// same app facade): those that answer discovery within --timeout, and the manual peers kept
// with --add, each probed to say whether it answers. A table, or one JSON object per line.

import { parseArgs } from 'node:util';
import { FerryApp } from '../../core/app/ferry-app.js';
import { formatPeerAddress } from '../../core/contract/host-port.js';
import type { PeerView } from '../../core/contract/index.js';
import { toFerryError } from '../../core/errors.js';
import { printable } from '../../core/protocol/wire-path.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { describeSnapshot, discoverySettings, localSendDiscoverySettings } from './discovery-settings.js';
import { DEFAULT_PEERS_TIMEOUT_S, PEERS } from './help.js';
import { errorLine, t } from './i18n.js';
import { outputWidth, renderTable, type Column } from './table.js';
import { parseSeconds } from './usage.js';

/** Long enough for a slow network, short enough that a typo (600 for 60) is not an hour. */
const MAX_TIMEOUT_S = 600;

const columns = (): Column[] => [
  // The widest column is cut first: a long name long before an address. With every column at
  // its minimum the table fits 56 columns.
  { header: t('cli.peers.name'), min: 8, cut: 'end' },
  { header: t('cli.peers.platform'), min: 6, cut: 'end' },
  { header: t('cli.peers.address'), min: 15, cut: 'middle' },
  { header: t('cli.peers.source'), min: 10, cut: 'end' },
  { header: t('cli.peers.id'), min: 9, cut: 'end' },
];

export async function peersCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: PEERS.flags, strict: true, allowPositionals: false });
  const timeout = values.timeout === undefined ? DEFAULT_PEERS_TIMEOUT_S : parseSeconds(values.timeout, '--timeout', 0.1, MAX_TIMEOUT_S);
  const app = await FerryApp.start({
    configDir: values.config ?? defaultConfigDir(),
    // Listening and asking only: no receiver, so nothing to announce.
    receive: false,
    discovery: discoverySettings(),
    localsendDiscovery: localSendDiscoverySettings(),
    history: false,
    manualPeers: values.add,
  });
  let peers: PeerView[];
  try {
    for (const hostPort of values.remove) {
      await app.removeManualPeer(hostPort).catch((err) => process.stderr.write(`ferry: ${printable(errorLine(toFerryError(err)))}\n`));
    }
    peers = await app.findPeers(timeout * 1000);
    const snapshot = await app.getDiscoveryStatus();
    if (values.json) {
      process.stdout.write(peers.map((p) => `${JSON.stringify(jsonLine(p))}\n`).join(''));
      return 0;
    }
    if (peers.length > 0) process.stdout.write(renderTable(columns(), peers.map(row), outputWidth()));
    else process.stderr.write(`${t('cli.peers.noneFound', { seconds: timeout })}\n`);
    if (snapshot) {
      const { where, problems } = describeSnapshot(snapshot);
      if (peers.length === 0) process.stderr.write(`${t('cli.discovery.line', { text: where })}\n`);
      process.stderr.write(problems.map((p) => `${t('cli.discovery.line', { text: p })}\n`).join(''));
    }
    return 0;
  } finally {
    await app.stop();
  }
}

/** A manual peer that never answered has no name, platform or id yet: null, not its address. */
function jsonLine(p: PeerView): object {
  const known = p.source === 'discovered' || p.id !== null;
  const common = {
    protocol: p.protocol,
    id: p.id,
    name: known ? p.name : null,
    platform: p.platform,
    addresses: p.addresses,
    port: p.port,
    // LocalSend's own words for it: what kind of device, and the certificate every connection is pinned to.
    ...(p.protocol === 'localsend' ? { deviceType: p.deviceType, fingerprint: p.id } : {}),
  };
  if (p.source === 'manual') return { ...common, source: 'manual', reachable: p.online };
  return {
    ...common,
    appVersion: p.appVersion,
    protocolVersion: p.protocolVersion,
    source: 'discovered',
    // A device discovered that the user also added by HOST:PORT is listed once.
    ...(p.manual !== null ? { manual: p.manual } : {}),
  };
}

function row(p: PeerView): string[] {
  const hostPort = formatPeerAddress({ host: p.addresses[0] ?? '', port: p.port, protocol: p.protocol });
  if (p.source === 'discovered') {
    return [
      p.name,
      p.platform ?? '?',
      hostPort,
      p.protocol === 'localsend' ? 'LocalSend' : t('cli.peers.discovered'),
      p.id?.slice(0, 16) ?? '',
    ];
  }
  const known = p.id !== null;
  return [
    known ? p.name : '?',
    p.platform ?? '?',
    p.manual ?? hostPort,
    p.online ? t('cli.peers.manualReachable') : t('cli.peers.manualUnreachable'),
    p.id?.slice(0, 16) ?? '',
  ];
}
