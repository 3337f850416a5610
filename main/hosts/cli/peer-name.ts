// `ferry send --to NAME`: the device called NAME (case does not matter) among those the app
// lists, discovered or added by HOST:PORT and probed. Two or more of that name is an error that
// lists them, none an error that lists who did answer.

import type { FerryApp, SendTarget } from '../../core/app/ferry-app.js';
import { ANSWER_JITTER_MS, MIN_ANSWER_GAP_MS } from '../../core/discovery/codec.js';
import { formatPeerAddress } from '../../core/contract/host-port.js';
import type { PeerView } from '../../core/contract/index.js';
import { printable } from '../../core/protocol/wire-path.js';
import { cliError, t } from './i18n.js';

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
  info(t('cli.send.lookingFor', { name: printable(name) }));
  // Not at the first match: a second device of the same name may answer a moment later.
  const peers = await app.findPeers(NAME_TIMEOUT_MS, (list) => Date.now() - started >= NAME_SETTLE_MS && matches(list).length > 0, signal);
  if (signal.aborted) throw cliError('CANCELLED', (tr) => tr('cli.send.interruptedLooking'));
  const found = matches(peers);
  // One computer running Ferry and a LocalSend app under one name: Ferry's protocol resumes.
  const hits = found.some((p) => p.protocol === 'ferry') ? found.filter((p) => p.protocol === 'ferry') : found;
  const at = (p: PeerView): string => formatPeerAddress({ host: p.addresses[0] ?? '', port: p.port, protocol: p.protocol });
  if (hits.length === 0) {
    const names = peers.filter(named).map((p) => printable(p.name));
    throw cliError('CONNECT_FAILED', (tr) => {
      const seen = names.map((n) => tr('cli.event.peerName', { name: n })).join(tr('cli.send.listSeparator'));
      return names.length > 0
        ? tr('cli.send.noSuchDeviceFound', { name: printable(name), seen })
        : tr('cli.send.noSuchDevice', { name: printable(name) });
    });
  }
  if (hits.length > 1) {
    throw cliError('CONNECT_FAILED', (tr) => {
      const list = hits
        .map((h) =>
          h.id
            ? tr('cli.send.namesakeWithId', { name: printable(h.name), address: at(h), id: h.id.slice(0, 16) })
            : tr('cli.send.namesake', { name: printable(h.name), address: at(h) }),
        )
        .join(tr('cli.send.listSeparator'));
      return tr('cli.send.namesakes', { n: hits.length, name: printable(name), list });
    });
  }
  const hit = hits[0]!;
  const host = hit.addresses[0];
  if (host === undefined) throw cliError('CONNECT_FAILED', (tr) => tr('cli.send.noAddress', { name: printable(hit.name) }));
  info(t('cli.send.sendingToNamed', { name: printable(hit.name), address: at(hit) }));
  return { protocol: hit.protocol, host, port: hit.port, name, ...(hit.id ? { expectDeviceId: hit.id } : {}) };
}
