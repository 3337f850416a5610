// The peers a user typed in as HOST:PORT (or localsend://HOST:PORT): peers.json in the config
// folder. Only where they are and which protocol reaches them is kept; what answered there is
// found out by probing (discovery/manual-peers.ts).

import * as path from 'node:path';
import { formatHostPort, formatPeerAddress, parseHostPort, type PeerAddress } from '../contract/host-port.js';
import { readJsonFile, writeJsonAtomic } from './atomic-file.js';

export const MAX_MANUAL_PEERS = 64;
export const PEERS_FILE = 'peers.json';

/** The list as stored (absent means none); entries that do not parse, and repeats, are left out. */
export async function readManualPeerList(configDir: string): Promise<PeerAddress[]> {
  const raw = await readJsonFile(path.join(configDir, PEERS_FILE));
  const list = (raw as { peers?: unknown } | null)?.peers;
  const seen = new Set<string>();
  const out: PeerAddress[] = [];
  for (const p of Array.isArray(list) ? list.slice(0, MAX_MANUAL_PEERS) : []) {
    const { host, port, protocol } = (p ?? {}) as Record<string, unknown>;
    const hp = typeof host === 'string' && typeof port === 'number' ? parseHostPort(formatHostPort({ host, port })) : null;
    // Written before LocalSend: no protocol is Ferry's.
    const at: PeerAddress | null = hp ? { ...hp, protocol: protocol === 'localsend' ? 'localsend' : 'ferry' } : null;
    if (!at || seen.has(hostPortKey(at))) continue;
    seen.add(hostPortKey(at));
    out.push(at);
  }
  return out;
}

export async function writeManualPeerList(configDir: string, peers: readonly PeerAddress[]): Promise<void> {
  await writeJsonAtomic(path.join(configDir, PEERS_FILE), {
    version: 1,
    peers: peers.map(({ host, port, protocol }) => (protocol === 'localsend' ? { host, port, protocol } : { host, port })),
  });
}

/** Two spellings of one place (host names in any case) are one peer; each protocol there is another. */
export function hostPortKey(p: PeerAddress): string {
  return formatPeerAddress(p).toLowerCase();
}
