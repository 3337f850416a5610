// The command line's side of discovery: `ferry peers`, announcing while `ferry receive`
// listens, and finding the device `ferry send --to NAME` means. The environment variables
// FERRY_DISCOVERY_PORT and FERRY_DISCOVERY_INTERFACES (names, or `loopback`) exist for tests
// and unusual networks.

import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { FerryError } from '../../core/errors.js';
import { printable } from '../../core/protocol/wire-path.js';
import { CliUsageError } from './usage.js';
import { loadIdentity } from '../../core/security/identity.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import type { LocalIdentity } from '../../core/security/identity.js';
import { probePeer } from '../../core/transfer/probe.js';
import { Discovery, type DiscoveryOptions, type DiscoverySnapshot } from '../../core/discovery/discovery.js';
import { ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS } from '../../core/discovery/codec.js';
import { formatHostPort, type HostPort } from '../../core/contract/host-port.js';
import type { InterfaceChoice } from '../../core/discovery/interfaces.js';
import { ManualPeers, type ManualPeer, type Probe } from '../../core/discovery/manual-peers.js';
import type { Peer } from '../../core/discovery/peer-table.js';

export const DEFAULT_PEERS_TIMEOUT_S = 2;
/** Every answer to our query comes within max(ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS); wait that and a margin before resolving a name. */
const NAME_SETTLE_MS = Math.max(ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS) + 500;
const NAME_TIMEOUT_MS = 3_000;

type Identity = LocalIdentity;

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
      throw new CliUsageError(`FERRY_DISCOVERY_PORT must be a port number, not ${JSON.stringify(port)}`);
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

/** The troubleshooting view in words: where discovery runs, then each thing that failed. */
export function describeSnapshot(s: DiscoverySnapshot): { where: string; problems: string[] } {
  const used = s.interfaces.filter((i) => !i.bindError).map((i) => `${i.name} (${i.address})`);
  const where = used.length > 0 ? `${used.join(', ')}, UDP ${s.port}, group ${s.group}` : 'no usable network interface';
  const problems: string[] = [];
  if (!s.listen.ok) problems.push(`cannot listen on UDP ${s.port}: ${s.listen.error?.message ?? 'unknown error'}`);
  for (const k of s.skipped) if (k.reason === 'not found') problems.push(`${k.name}: no such interface`);
  for (const i of s.interfaces) {
    const { multicast, broadcast } = i.sends;
    if (i.bindError) problems.push(`${i.name}: cannot send: ${i.bindError.message}`);
    if (i.joinError) problems.push(`${i.name}: cannot join ${s.group}: ${i.joinError.message}`);
    if (multicast.lastError) problems.push(`${i.name}: multicast failed: ${multicast.lastError.message}`);
    if (broadcast?.lastError) problems.push(`${i.name}: broadcast failed: ${broadcast.lastError.message}`);
  }
  const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0);
  if (dropped.length > 0) problems.push(`dropped datagrams: ${dropped.map(([why, n]) => `${n} ${why}`).join(', ')}`);
  return { where, problems };
}

interface Found {
  discovered: Peer[];
  manual: ManualPeer[];
  snapshot: DiscoverySnapshot;
  addressOf(p: Peer): string;
}

/** Listens (and queries) until `until` says enough or the time is up; probes manual peers meanwhile. */
async function look(opts: {
  identity: Identity;
  configDir: string;
  timeoutMs: number;
  probe?: Probe;
  until?: (discovered: Peer[], manual: ManualPeer[]) => boolean;
}): Promise<Found> {
  const manualPeers = new ManualPeers({
    configDir: opts.configDir,
    probe: opts.probe ?? ((host, port, signal) => probePeer(host, port, opts.identity, signal)),
    probeTimeoutMs: Math.min(opts.timeoutMs, 3_000),
  });
  let manual: ManualPeer[] = [];
  let wake: () => void = () => {};
  const discovery = new Discovery({ identity: opts.identity, ...discoverySettings(), onEvent: () => wake() });
  await discovery.start();
  const stopProbes = new AbortController();
  try {
    const probing = manualPeers.probeAll(stopProbes.signal).then(
      (list) => ((manual = list), wake()),
      () => {},
    );
    const deadline = Date.now() + opts.timeoutMs;
    while (Date.now() < deadline) {
      if (opts.until?.(discovery.peers(), manual)) break;
      await new Promise<void>((resolve) => {
        // until may depend on time as well as on what arrives: look again every 100 ms.
        const t = setTimeout(resolve, opts.until ? Math.min(deadline - Date.now(), 100) : deadline - Date.now());
        wake = () => (clearTimeout(t), resolve());
      });
    }
    if (!opts.until) await probing;
    const discovered = discovery.peers();
    const addresses = new Map(discovered.map((p) => [p.id, discovery.addressFor(p) ?? p.addresses[0]?.address ?? '']));
    return { discovered, manual, snapshot: discovery.snapshot(), addressOf: (p) => addresses.get(p.id) ?? '' };
  } finally {
    stopProbes.abort(); // a probe still running when we have our answer only holds the process up
    await discovery.stop();
  }
}

export async function peersCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      add: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  const timeout = values.timeout === undefined ? DEFAULT_PEERS_TIMEOUT_S : Number(values.timeout);
  if (!/^\d+(\.\d+)?$/.test(values.timeout ?? '0') || !(timeout >= 0.1 && timeout <= 600))
    throw new CliUsageError('--timeout takes seconds, from 0.1 to 600');
  const configDir = values.config ?? defaultConfigDir();
  const manualPeers = new ManualPeers({ configDir });
  for (const t of values.remove ?? []) {
    if (!(await manualPeers.remove(t))) process.stderr.write(`ferry: no manual peer ${printable(t)}\n`);
  }
  for (const t of values.add ?? []) await manualPeers.add(t);
  const identity = await loadIdentity(configDir);
  const found = await look({ identity, configDir, timeoutMs: timeout * 1000 });
  if (values.json) {
    const lines = [
      ...found.discovered.map((p) => ({
        id: p.id,
        name: p.name,
        platform: p.platform,
        addresses: p.addresses.map((a) => a.address),
        port: p.port,
        appVersion: p.appVersion,
        protocol: p.protocol,
        source: 'discovered',
      })),
      ...found.manual.map((m) => ({
        id: m.deviceId,
        name: m.deviceName,
        platform: m.platform,
        addresses: [m.host],
        port: m.port,
        source: 'manual',
        reachable: m.state === 'reachable',
      })),
    ];
    process.stdout.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return 0;
  }
  const rows = [
    ...found.discovered.map((p) => [
      p.name,
      p.platform,
      formatHostPort({ host: found.addressOf(p), port: p.port }),
      'discovered',
      p.id.slice(0, 16),
    ]),
    ...found.manual.map((m) => [
      m.deviceName ?? '?',
      m.platform ?? '?',
      formatHostPort(m),
      `manual, ${m.state}`,
      m.deviceId?.slice(0, 16) ?? '',
    ]),
  ];
  if (rows.length > 0) process.stdout.write(table([['NAME', 'PLATFORM', 'ADDRESS', 'SOURCE', 'ID'], ...rows]));
  else process.stderr.write(`No devices found within ${timeout} s.\n`);
  const { where, problems } = describeSnapshot(found.snapshot);
  if (rows.length === 0) process.stderr.write(`  discovery: ${where}\n`);
  process.stderr.write(problems.map((p) => `  discovery: ${p}\n`).join(''));
  return 0;
}

function table(rows: string[][]): string {
  const clean = rows.map((r) => r.map((c) => printable(c)));
  const widths = clean[0]!.map((_, i) => Math.max(...clean.map((r) => r[i]!.length)));
  return clean.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

const fold = (s: string): string => s.normalize('NFC').toLowerCase();

/**
 * The device called `name` (case does not matter) among those that answer now, and among
 * the manual peers whose probe told their name. Two or more: an error that lists them.
 * Returns the device id it announced, for the sender to insist on.
 */
export async function resolvePeerName(
  name: string,
  opts: { identity: Identity; configDir: string; probe?: Probe; timeoutMs?: number; info(line: string): void },
): Promise<HostPort & { deviceId?: string }> {
  const want = fold(name);
  type Hit = { id: string | null; name: string; at: HostPort | null };
  const matches = (discovered: Peer[], manual: ManualPeer[]): Hit[] => [
    ...discovered.filter((p) => fold(p.name) === want).map((p) => ({ id: p.id, name: p.name, at: null })),
    ...manual
      .filter((m) => m.state === 'reachable' && m.deviceName !== null && fold(m.deviceName) === want)
      // The same device found both ways is one device.
      .filter((m) => !m.deviceId || !discovered.some((p) => p.id === m.deviceId))
      .map((m) => ({ id: m.deviceId, name: m.deviceName!, at: { host: m.host, port: m.port } })),
  ];
  const started = Date.now();
  const found = await look({
    identity: opts.identity,
    configDir: opts.configDir,
    probe: opts.probe,
    timeoutMs: opts.timeoutMs ?? NAME_TIMEOUT_MS,
    // Not at the first match: a second device of the same name may answer a moment later.
    until: (d, m) => Date.now() - started >= NAME_SETTLE_MS && matches(d, m).length > 0,
  });
  const hits = matches(found.discovered, found.manual).map((h): Hit & { at: HostPort } => {
    const peer = found.discovered.find((p) => p.id === h.id);
    return { ...h, at: h.at ?? { host: peer ? found.addressOf(peer) : '', port: peer?.port ?? 0 } };
  });
  if (hits.length === 0) {
    const seen = [...found.discovered.map((p) => p.name), ...found.manual.flatMap((m) => (m.deviceName ? [m.deviceName] : []))];
    throw new FerryError(
      'CONNECT_FAILED',
      `no device called "${printable(name)}" answered${seen.length > 0 ? `; found ${seen.map((n) => `"${printable(n)}"`).join(', ')}` : ' (see `ferry peers`)'}; --to HOST:PORT reaches a device discovery cannot see`,
    );
  }
  if (hits.length > 1) {
    const list = hits.map((h) => `"${printable(h.name)}" at ${formatHostPort(h.at)}${h.id ? ` (id ${h.id.slice(0, 16)})` : ''}`).join(', ');
    throw new FerryError(
      'CONNECT_FAILED',
      `${hits.length} devices are called "${printable(name)}": ${list}; use --to HOST:PORT to pick one`,
    );
  }
  const hit = hits[0]!;
  opts.info(`Sending to "${printable(hit.name)}" at ${formatHostPort(hit.at)}`);
  // The sender checks that whoever answers there proves this id: an announcement is a hint.
  return { ...hit.at, ...(hit.id ? { deviceId: hit.id } : {}) };
}
