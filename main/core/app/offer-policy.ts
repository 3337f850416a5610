// How every host decides an incoming offer: the accept policy, trusted devices, the bound on
// offers waiting for a person, and, when a person must answer, the host's asker (a dialog in
// the desktop app, the page of `ferry serve`, a prompt in `ferry receive`'s terminal). A fix
// to the policy lands here once, for all of them.

import type { AcceptPolicy } from '../contract/index.js';
import type { WaitingOffers } from '../security/waiting-offers.js';
import type { Decision, IncomingOffer } from '../model/transport.js';

/** The settings' policies, which the command line's `--accept` sets too. */
export type OfferPolicy = AcceptPolicy;

/** What the sender is told when the person at the receiver said no. */
export const PERSON_DECLINED = 'the receiver declined the offer';

export const OFFER_POLICIES: readonly OfferPolicy[] = ['all', 'ask', 'trusted', 'none'];

export type AskResult = { answer: 'accept' | 'always' } | { answer: 'decline'; message?: string };

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
    return { accept: true };
  } finally {
    slot.release();
  }
}
