// Offers waiting for a person to answer in a UI (the desktop window, the page of `ferry
// serve`): the asker those hosts use. Each becomes an OfferView in the state and an 'offer'
// event, and is settled by the answerOffer command, or withdrawn when the sender gives up.

import { OFFER_PREVIEW_ENTRIES, type OfferChoice, type OfferView } from '../contract/index.js';
import { FerryError } from '../errors.js';
import { isDir } from '../protocol/messages.js';
import { PERSON_DECLINED, type AskResult, type OfferAsker } from './offer-policy.js';
import type { IncomingOffer } from '../model/transport.js';

export class UiOffers {
  private readonly waiting = new Map<string, { view: OfferView; settle: (r: AskResult) => void }>();

  constructor(
    private readonly hooks: {
      /** A new offer is on screen (hosts notify when their window is hidden). */
      shown(view: OfferView): void;
      /** The list changed. */
      changed(): void;
    },
  ) {}

  readonly ask: OfferAsker = (offer, signal) =>
    new Promise<AskResult>((resolve) => {
      const view = offerView(offer);
      const settle = (r: AskResult): void => {
        if (this.waiting.get(view.id)?.settle === settle) this.waiting.delete(view.id);
        resolve(r);
      };
      this.waiting.set(view.id, { view, settle });
      // The sender gave up (or the connection broke) while the user was looking.
      signal.addEventListener('abort', () => {
        if (this.waiting.get(view.id)?.settle === settle) {
          settle({ answer: 'decline', message: 'the offer was withdrawn' });
          this.hooks.changed();
        }
      });
      this.hooks.shown(view);
      this.hooks.changed();
    });

  answer(offerId: string, answer: 'accept' | 'decline' | 'always', choice: OfferChoice | null = null): void {
    const pending = this.waiting.get(offerId);
    if (!pending) throw new FerryError('NOT_FOUND', 'this offer is no longer waiting for an answer');
    if (answer === 'always' && !pending.view.from.verified) {
      throw new FerryError(
        'INVALID_STATE',
        `${pending.view.from.name} does not prove who it is, so it cannot be trusted; accept this once instead`,
      );
    }
    pending.settle(
      answer === 'decline'
        ? { answer: 'decline', message: PERSON_DECLINED }
        : { answer, paths: choice?.paths ?? null, folder: choice?.folder ?? null },
    );
    this.hooks.changed();
  }

  /** Declines one offer unanswered (the user cancelled it from the queue); false if none waits. */
  decline(offerId: string): boolean {
    const pending = this.waiting.get(offerId);
    pending?.settle({ answer: 'decline', message: PERSON_DECLINED });
    return pending !== undefined;
  }

  declineAll(message: string): void {
    for (const p of [...this.waiting.values()]) p.settle({ answer: 'decline', message });
  }

  views(): OfferView[] {
    return [...this.waiting.values()].map((o) => o.view);
  }
}

function offerView(offer: IncomingOffer): OfferView {
  return {
    id: offer.transferId,
    from: {
      id: offer.peer.deviceId,
      name: offer.peer.deviceName,
      platform: offer.peer.platform,
      address: offer.peer.address,
      verificationCode: offer.peer.verificationCode,
      trusted: offer.peer.trusted,
      identityChangedFrom: offer.peer.identityChangedFrom,
      protocol: offer.peer.protocol,
      verified: offer.peer.verified,
    },
    fileCount: offer.fileCount,
    dirCount: offer.dirCount,
    totalBytes: offer.totalBytes,
    text: offer.text !== null ? { chars: [...offer.text].length } : null,
    entries: offer.entries.slice(0, OFFER_PREVIEW_ENTRIES).map((e) => ({ path: e.path, size: isDir(e) ? null : e.size, dir: isDir(e) })),
    receivedAt: Date.now(),
  };
}
