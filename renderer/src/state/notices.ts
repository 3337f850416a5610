// What gets a person's attention while they are not looking at the page: the tab's title (offers
// waiting for an answer, messages that came meanwhile) and the words of a notification for an
// offer, a finished transfer or a message, in the window's language. No React or DOM:
// hooks/attention.ts shows them.

import type { OfferView, TextView, TransferView } from '../contract.js';
import { i18n } from '../i18n/setup.js';
import { formatBytes, formatContents } from './format.js';
import { textSnippet } from './texts.js';
import { whatLabel } from './transfers.js';

export interface Notice {
  title: string;
  body: string;
}

/** "(2) Offers are waiting · Ferry", "(1) New message · Ferry", "(3) 1 offer and 2 messages are waiting · Ferry". */
export function titleFor(waitingOffers: number, newMessages = 0): string {
  const offers = Math.max(0, waitingOffers);
  const messages = Math.max(0, newMessages);
  if (offers + messages === 0) return i18n.t('app.brand');
  const what =
    messages === 0
      ? offers === 1
        ? i18n.t('app.title.offerWaiting')
        : i18n.t('app.title.offersWaiting')
      : offers === 0
        ? messages === 1
          ? i18n.t('app.title.newMessage')
          : i18n.t('app.title.newMessages')
        : i18n.t('app.title.both', {
            offers: i18n.t('app.title.offers', { count: offers }),
            messages: i18n.t('app.title.messages', { count: messages }),
          });
  return i18n.t('app.title.withCount', { n: offers + messages, what });
}

/** Whether an offer is a text message rather than files. */
export function isTextOffer(o: Pick<OfferView, 'text'>): o is { text: { chars: number } } {
  return o.text != null;
}

export function offerNotice(o: OfferView): Notice {
  if (isTextOffer(o))
    return {
      title: i18n.t('app.notice.offerText', { name: o.from.name }),
      body: i18n.t('app.notice.offerTextBody', { count: o.text.chars }),
    };
  return {
    title: i18n.t('app.notice.offerFiles', { name: o.from.name }),
    body: i18n.t('app.notice.offerFilesBody', { contents: formatContents(o.fileCount, o.dirCount), size: formatBytes(o.totalBytes) }),
  };
}

/**
 * Null where nothing needs saying: a cancelled transfer, a message received (its 'text' event
 * says it) or delivered (as the desktop host's notifications do: only a failed one is news).
 */
export function finishedNotice(t: TransferView): Notice | null {
  const text = t.text != null;
  if (text && (t.direction === 'receive' || t.state === 'done')) return null;
  const what = text ? i18n.t('app.notice.messageBody', { snippet: textSnippet(t.text, 80) }) : whatLabel(t);
  const name = t.peer.name;
  const send = t.direction === 'send';
  if (t.state === 'done')
    return { title: send ? i18n.t('app.notice.sentTo', { name }) : i18n.t('app.notice.receivedFrom', { name }), body: what };
  if (t.state === 'failed') {
    const title = text
      ? send
        ? i18n.t('app.notice.messageToFailed', { name })
        : i18n.t('app.notice.messageFromFailed', { name })
      : send
        ? i18n.t('app.notice.transferToFailed', { name })
        : i18n.t('app.notice.transferFromFailed', { name });
    return { title, body: what };
  }
  return null;
}

export function textNotice(t: TextView): Notice {
  return { title: i18n.t('app.notice.messageFrom', { name: t.peer.name }), body: textSnippet(t.text, 200) };
}
