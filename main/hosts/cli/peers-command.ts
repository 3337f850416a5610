// `ferry peers`: the devices this computer can send to, as the desktop app lists them (the
// same app facade): those that answer discovery within --timeout, and the manual peers kept
// with --add, each probed to say whether it answers. A table, or one JSON object per line.

import { parseArgs } from 'node:util';
import { FerryApp } from '../../core/app/ferry-app.js';
import { formatHostPort } from '../../core/contract/host-port.js';
import type { PeerView } from '../../core/contract/index.js';
import { toFerryError } from '../../core/errors.js';
import { printable } from '../../core/protocol/wire-path.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { describeSnapshot, discoverySettings } from './discovery-settings.js';
import { CliUsageError } from './usage.js';

export const DEFAULT_PEERS_TIMEOUT_S = 2;

export async function peersCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      add: { type: 'string', multiple: true, default: [] },
      remove: { type: 'string', multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const timeout = values.timeout === undefined ? DEFAULT_PEERS_TIMEOUT_S : Number(values.timeout);
  if (!/^\d+(\.\d+)?$/.test(values.timeout ?? '0') || !(timeout >= 0.1 && timeout <= 600))
    throw new CliUsageError('--timeout takes seconds, from 0.1 to 600');
  const app = await FerryApp.start({
    configDir: values.config ?? defaultConfigDir(),
    // Listening and asking only: no receiver, so nothing to announce.
    receive: false,
    discovery: discoverySettings(),
    history: false,
    manualPeers: values.add,
  });
  let peers: PeerView[];
  try {
    for (const hostPort of values.remove) {
      await app.removeManualPeer(hostPort).catch((err) => process.stderr.write(`ferry: ${printable(toFerryError(err).message)}\n`));
    }
    peers = await app.findPeers(timeout * 1000);
    const snapshot = await app.getDiscoveryStatus();
    if (values.json) {
      process.stdout.write(peers.map((p) => `${JSON.stringify(jsonLine(p))}\n`).join(''));
      return 0;
    }
    if (peers.length > 0) process.stdout.write(table([['NAME', 'PLATFORM', 'ADDRESS', 'SOURCE', 'ID'], ...peers.map(row)]));
    else process.stderr.write(`No devices found within ${timeout} s.\n`);
    if (snapshot) {
      const { where, problems } = describeSnapshot(snapshot);
      if (peers.length === 0) process.stderr.write(`  discovery: ${where}\n`);
      process.stderr.write(problems.map((p) => `  discovery: ${p}\n`).join(''));
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
    id: p.id,
    name: known ? p.name : null,
    platform: p.platform,
    addresses: p.addresses,
    port: p.port,
  };
  if (p.source === 'manual') return { ...common, source: 'manual', reachable: p.online };
  return {
    ...common,
    appVersion: p.appVersion,
    protocol: p.protocolVersion,
    source: 'discovered',
    // A device discovered that the user also added by HOST:PORT is listed once.
    ...(p.manual !== null ? { manual: p.manual } : {}),
  };
}

function row(p: PeerView): string[] {
  const hostPort = formatHostPort({ host: p.addresses[0] ?? '', port: p.port });
  if (p.source === 'discovered') return [p.name, p.platform ?? '?', hostPort, 'discovered', p.id?.slice(0, 16) ?? ''];
  const known = p.id !== null;
  return [
    known ? p.name : '?',
    p.platform ?? '?',
    p.manual ?? hostPort,
    `manual, ${p.online ? 'reachable' : 'unreachable'}`,
    p.id?.slice(0, 16) ?? '',
  ];
}

function table(rows: string[][]): string {
  const clean = rows.map((r) => r.map((c) => printable(c)));
  const widths = clean[0]!.map((_, i) => Math.max(...clean.map((r) => r[i]!.length)));
  return clean.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
