// The cancels of a LocalSend send, both ways. Ours: POST /api/localsend/v2/cancel to the
// receiver, brief and best effort. The receiver's: it posts the same to *our* LocalSend server
// (at the port our `info` gave), which hands it to cancelledByReceiver; this registry of the sends
// in progress is where it finds the send it means, by session id and source address.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { LocalIdentity } from '../security/identity.js';
import { localSendRequest } from './https-client.js';

/** Telling the receiver of a cancel is a courtesy: the send has ended whatever it answers. */
const CANCEL_TIMEOUT_MS = 3_000;
/** How long a broken upload waits for the receiver's cancel notice before it counts as a failure. */
const NOTICE_WAIT_MS = 1_000;

/** A send in progress, as a cancel notice from its receiver finds it. */
export interface ActiveSend {
  /** The receiver's addresses (its host, resolved), as our server sees a request's source. */
  addresses: Set<string>;
  /** The receiver's session once it accepted; null while the offer waits. */
  sessionId: string | null;
  byPeer: boolean;
  stop(): void;
  /** Set while the send waits for a cancel notice (noticeAfter). */
  hear?: () => void;
}

/** Every send in progress: what a cancel notice is matched against. */
export const active = new Set<ActiveSend>();

/** Our LocalSend server got POST /cancel?sessionId=… from `address`: if it is the receiver of one of our sends, that send ends as cancelled by the peer. True if it was. */
export function cancelledByReceiver(sessionId: string | null, address: string): boolean {
  const from = plainAddress(address);
  // Without a session id (as LocalSend's v1 route allowed), only an offer still waiting can be
  // meant, and only if it is the one such offer to that address.
  const found = [...active].filter((s) => s.addresses.has(from) && s.sessionId === sessionId);
  if (found.length !== 1) return false;
  const send = found[0]!;
  send.byPeer = true;
  send.stop();
  send.hear?.();
  return true;
}

export interface CancelTarget {
  host: string;
  port: number;
  identity: LocalIdentity;
}

/** Waits (briefly) for the receiver's cancel notice; resolves either way. */
export async function noticeAfter(send: ActiveSend): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, NOTICE_WAIT_MS);
    send.hear = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** POST /api/localsend/v2/cancel, best effort and brief; awaited, so that no socket outlives the send. */
export async function postCancel(r: CancelTarget, fingerprint: string, sessionId: string | null): Promise<void> {
  const query = sessionId === null ? '' : `?sessionId=${encodeURIComponent(sessionId)}`;
  try {
    await localSendRequest({
      host: r.host,
      port: r.port,
      method: 'POST',
      path: `/api/localsend/v2/cancel${query}`,
      fingerprint,
      credentials: r.identity.tls,
      timeoutMs: CANCEL_TIMEOUT_MS,
      connectTimeoutMs: CANCEL_TIMEOUT_MS,
      maxResponseBytes: 16 * 1024,
    });
  } catch {
    // The receiver is gone or does not care: the send has ended either way.
  }
}

/**
 * A host name's addresses, so that a cancel notice from the receiver (which our server sees by
 * address) finds this send. The connection resolves the name itself and reports its failure.
 */
export async function resolveAddresses(send: ActiveSend, host: string): Promise<void> {
  if (isIP(stripBrackets(host))) return;
  try {
    for (const a of await lookup(host, { all: true })) send.addresses.add(plainAddress(a.address));
  } catch {
    // The connect that follows says what is wrong with the name.
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** An address as our server reports a request's source: IPv4-mapped IPv6 as plain IPv4, lower case. */
export function plainAddress(address: string): string {
  const a = stripBrackets(address).toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
