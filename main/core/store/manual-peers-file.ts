// The peers a user typed in as HOST:PORT: peers.json in the config folder. Only where they
// are is kept; what answered there is found out by probing (discovery/manual-peers.ts).

import * as path from 'node:path';
import { formatHostPort, parseHostPort, type HostPort } from '../contract/host-port.js';
import { readJsonFile, writeJsonAtomic } from './atomic-file.js';

export const MAX_MANUAL_PEERS = 64;
export const PEERS_FILE = 'peers.json';

/** The list as stored (absent means none); entries that do not parse, and repeats, are left out. */
export async function readManualPeerList(configDir: string): Promise<HostPort[]> {
  const raw = await readJsonFile(path.join(configDir, PEERS_FILE));
  const list = (raw as { peers?: unknown } | null)?.peers;
  const seen = new Set<string>();
  const out: HostPort[] = [];
  for (const p of Array.isArray(list) ? list.slice(0, MAX_MANUAL_PEERS) : []) {
    const { host, port } = (p ?? {}) as Record<string, unknown>;
    const hp = typeof host === 'string' && typeof port === 'number' ? parseHostPort(formatHostPort({ host, port })) : null;
    if (!hp || seen.has(hostPortKey(hp))) continue;
    seen.add(hostPortKey(hp));
    out.push(hp);
  }
  return out;
}

export async function writeManualPeerList(configDir: string, peers: readonly HostPort[]): Promise<void> {
  await writeJsonAtomic(path.join(configDir, PEERS_FILE), { version: 1, peers: peers.map(({ host, port }) => ({ host, port })) });
}

/** Two spellings of one place (host names in any case) are one peer. */
export function hostPortKey(p: HostPort): string {
  return formatHostPort(p).toLowerCase();
}
