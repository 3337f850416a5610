// What gets a person's attention while they are not looking at the page: the tab's title (offers
// waiting for an answer, messages that came meanwhile) and the words of a notification for an
// offer, a finished transfer or a message. Pure: hooks/attention.ts shows them.

import type { OfferView, TextView, TransferView } from '../contract.js';
import { formatBytes, formatContents, plural } from './format.js';
import { textSnippet } from './texts.js';
import { whatLabel } from './transfers.js';

const BASE_TITLE = 'Ferry';

export interface Notice {
  title: string;
  body: string;
}

/** "(2) Offers are waiting · Ferry", "(1) New message · Ferry", "(3) 1 offer and 2 messages are waiting · Ferry". */
export function titleFor(waitingOffers: number, newMessages = 0): string {
  const offers = Math.max(0, waitingOffers);
  const messages = Math.max(0, newMessages);
  if (offers + messages === 0) return BASE_TITLE;
  const what =
    messages === 0
      ? offers === 1
        ? 'An offer is waiting'
        : 'Offers are waiting'
      : offers === 0
        ? messages === 1
          ? 'New message'
          : 'New messages'
        : `${plural(offers, 'offer')} and ${plural(messages, 'message')} are waiting`;
  return `(${offers + messages}) ${what} · ${BASE_TITLE}`;
}

/** Whether an offer is a text message rather than files. */
export function isTextOffer(o: Pick<OfferView, 'text'>): o is { text: { chars: number } } {
  return o.text != null;
}

export function offerNotice(o: OfferView): Notice {
  if (isTextOffer(o))
    return { title: `${o.from.name} wants to send you a message`, body: `${plural(o.text.chars, 'character')}. Open Ferry to answer.` };
  return {
    title: `${o.from.name} wants to send you files`,
    body: `${formatContents(o.fileCount, o.dirCount)}, ${formatBytes(o.totalBytes)}. Open Ferry to answer.`,
  };
}

/**
 * Null where nothing needs saying: a cancelled transfer, a message received (its 'text' event
 * says it) or delivered (as the desktop host's notifications do: only a failed one is news).
 */
export function finishedNotice(t: TransferView): Notice | null {
  const text = t.text != null;
  if (text && (t.direction === 'receive' || t.state === 'done')) return null;
  const what = text ? `Message: ${textSnippet(t.text, 80)}` : whatLabel(t);
  if (t.state === 'done') return { title: t.direction === 'send' ? `Sent to ${t.peer.name}` : `Received from ${t.peer.name}`, body: what };
  if (t.state === 'failed')
    return { title: `${text ? 'Message' : 'Transfer'} ${t.direction === 'send' ? 'to' : 'from'} ${t.peer.name} failed`, body: what };
  return null;
}

export function textNotice(t: TextView): Notice {
  return { title: `Message from ${t.peer.name}`, body: textSnippet(t.text, 200) };
}
