// How every host decides an incoming offer: the accept policy, trusted devices, the bound on
// offers waiting for a person, and, when a person must answer, the host's asker (a dialog in
// the desktop app, the page of `ferry serve`, a prompt in `ferry receive`'s terminal). A fix
// to the policy lands here once, for all of them.

import type { AcceptPolicy } from '../contract/index.js';
import type { WaitingOffers } from '../security/waiting-offers.js';
import type { Decision, IncomingOffer } from '../model/transport.js';
import { isDir } from '../protocol/messages.js';

/** The settings' policies, which the command line's `--accept` sets too. */
export type OfferPolicy = AcceptPolicy;

/** What the sender is told when the person at the receiver said no. */
export const PERSON_DECLINED = 'the receiver declined the offer';

export const OFFER_POLICIES: readonly OfferPolicy[] = ['all', 'ask', 'trusted', 'none'];

export type AskResult =
  | {
      answer: 'accept' | 'always';
      /** Part of the offer (entry paths as offered; a folder takes what is under it); absent or null: all. */
      paths?: readonly string[] | null;
      /** Another folder for this transfer (absolute, existing and writable: the asker checked). */
      folder?: string | null;
    }
  | { answer: 'decline'; message?: string };

/**
 * Puts an offer to a person and resolves with their answer; the signal aborts when the sender
 * gives up (the asker then withdraws its question and resolves as it likes).
 */
export type OfferAsker = (offer: IncomingOffer, signal: AbortSignal) => Promise<AskResult>;

export interface OfferContext {
  policy: OfferPolicy;
  waiting: WaitingOffers;
  /** Trusts the sender for good ("always"). */
  trust(deviceId: string, name: string): Promise<unknown>;
  ask: OfferAsker;
}

export async function decideOffer(offer: IncomingOffer, ctx: OfferContext, signal: AbortSignal): Promise<Decision> {
  const { peer } = offer;
  if (ctx.policy === 'none') return { accept: false, message: 'the receiver is not accepting files right now' };
  if (ctx.policy === 'all' || peer.trusted) return { accept: true };
  if (ctx.policy === 'trusted') {
    return {
      accept: false,
      message: peer.identityChangedFrom
        ? `the receiver only accepts devices it trusts, and "${peer.deviceName}" now has another identity than the one it trusts`
        : 'the receiver only accepts devices it trusts',
    };
  }
  const slot = ctx.waiting.admit(peer);
  if (typeof slot === 'string') return { accept: false, message: slot };
  try {
    const result = await ctx.ask(offer, signal);
    if (result.answer === 'decline') return { accept: false, message: result.message ?? PERSON_DECLINED };
    // An id no certificate proves (a LocalSend app without one) is never pinned: "always" is once.
    if (result.answer === 'always' && peer.verified) await ctx.trust(peer.deviceId, peer.deviceName);
    const files = result.paths ? chosenFiles(offer, result.paths) : null;
    if (files && files.size === 0) return { accept: false, message: PERSON_DECLINED };
    return { accept: true, ...(files ? { files } : {}), ...(result.folder ? { folder: result.folder } : {}) };
  } finally {
    slot.release();
  }
}

/**
 * What the chosen entries cover, as the engine takes it (Decision.files): each chosen file,
 * every file under a chosen folder, and the chosen folders themselves (so that an empty one the
 * person kept is made).
 */
export function chosenFiles(offer: Pick<IncomingOffer, 'entries'>, paths: readonly string[]): Set<string> {
  const chosen = new Set(paths);
  const out = new Set<string>();
  for (const e of offer.entries) {
    if (isDir(e)) {
      if (chosen.has(e.path)) out.add(e.path);
      continue;
    }
    if (chosen.has(e.path)) {
      out.add(e.path);
      continue;
    }
    // A chosen folder takes every file below it, however deep.
    for (let i = e.path.lastIndexOf('/'); i > 0; i = e.path.lastIndexOf('/', i - 1)) {
      if (chosen.has(e.path.slice(0, i))) {
        out.add(e.path);
        break;
      }
    }
  }
  return out;
}
