// `ferry send --to NAME`: the device called NAME (case does not matter) among those the app
// lists, discovered or added by HOST:PORT and probed. Two or more of that name is an error that
// lists them, none an error that lists who did answer.

import type { FerryApp, SendTarget } from '../../core/app/ferry-app.js';
import { ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS } from '../../core/discovery/codec.js';
import { formatPeerAddress } from '../../core/contract/host-port.js';
import type { PeerView } from '../../core/contract/index.js';
import { FerryError } from '../../core/errors.js';
import { printable } from '../../core/protocol/wire-path.js';

/** Every answer to our query comes within max(ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS); wait that and a margin before resolving a name. */
const NAME_SETTLE_MS = Math.max(ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS) + 500;
const NAME_TIMEOUT_MS = 3_000;

const fold = (s: string): string => s.normalize('NFC').toLowerCase();

/** A device that told its name: discovered, or a manual peer whose probe answered. */
const named = (p: PeerView): boolean => p.online && p.id !== null;

/**
 * Where to send for `--to NAME`, with the device id the device announced or proved to the probe,
 * for the sender to insist on: an announcement is a hint, not an identity.
 */
export async function resolvePeerName(app: FerryApp, name: string, info: (line: string) => void, signal: AbortSignal): Promise<SendTarget> {
  const want = fold(name);
  const matches = (peers: PeerView[]): PeerView[] => peers.filter((p) => named(p) && fold(p.name) === want);
  const started = Date.now();
  info(`Looking for "${printable(name)}" on the network…`);
  // Not at the first match: a second device of the same name may answer a moment later.
  const peers = await app.findPeers(NAME_TIMEOUT_MS, (list) => Date.now() - started >= NAME_SETTLE_MS && matches(list).length > 0, signal);
  if (signal.aborted) throw new FerryError('CANCELLED', 'interrupted while looking for the device');
  const found = matches(peers);
  // One computer running Ferry and a LocalSend app under one name: Ferry's protocol resumes.
  const hits = found.some((p) => p.protocol === 'ferry') ? found.filter((p) => p.protocol === 'ferry') : found;
  const at = (p: PeerView): string => formatPeerAddress({ host: p.addresses[0] ?? '', port: p.port, protocol: p.protocol });
  if (hits.length === 0) {
    const seen = peers.filter(named).map((p) => `"${printable(p.name)}"`);
    throw new FerryError(
      'CONNECT_FAILED',
      `no device called "${printable(name)}" answered${seen.length > 0 ? `; found ${seen.join(', ')}` : ' (see `ferry peers`)'}; --to HOST:PORT reaches a device discovery cannot see`,
    );
  }
  if (hits.length > 1) {
    const list = hits.map((h) => `"${printable(h.name)}" at ${at(h)}${h.id ? ` (id ${h.id.slice(0, 16)})` : ''}`).join(', ');
    throw new FerryError(
      'CONNECT_FAILED',
      `${hits.length} devices are called "${printable(name)}": ${list}; use --to HOST:PORT to pick one`,
    );
  }
  const hit = hits[0]!;
  const host = hit.addresses[0];
  if (host === undefined) throw new FerryError('CONNECT_FAILED', `no address known for "${printable(hit.name)}"`);
  info(`Sending to "${printable(hit.name)}" at ${at(hit)}`);
  return { protocol: hit.protocol, host, port: hit.port, name, ...(hit.id ? { expectDeviceId: hit.id } : {}) };
}
