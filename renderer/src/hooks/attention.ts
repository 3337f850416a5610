// Getting a person's attention in a browser tab, where the desktop host's OS notifications do
// not reach: the count of offers waiting in the tab's title, and (when the Notifications
// setting is on and the browser allows it) a notification for an offer or a finished transfer
// while the tab is in the background. An offer unseen until it times out is a failed send.

import { useEffect } from 'react';
import type { OfferView, TransferView } from '../contract.js';
import { formatBytes, formatContents } from '../state/format.js';
import { whatLabel } from '../state/transfers.js';
import { useAppState, useBridge } from './app-context.js';

const BASE_TITLE = 'Ferry';

export function titleFor(waitingOffers: number): string {
  return waitingOffers > 0
    ? `(${waitingOffers}) ${waitingOffers === 1 ? 'An offer is waiting' : 'Offers are waiting'} · ${BASE_TITLE}`
    : BASE_TITLE;
}

function canNotify(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Asks the browser for permission; call from a click (browsers ignore it otherwise). */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

function offerNotice(o: OfferView): { title: string; body: string } {
  return {
    title: `${o.from.name} wants to send you files`,
    body: `${formatContents(o.fileCount, o.dirCount)}, ${formatBytes(o.totalBytes)}. Open Ferry to answer.`,
  };
}

function finishedNotice(t: TransferView): { title: string; body: string } | null {
  const what = whatLabel(t);
  if (t.state === 'done') return { title: t.direction === 'send' ? `Sent to ${t.peer.name}` : `Received from ${t.peer.name}`, body: what };
  if (t.state === 'failed') return { title: `Transfer ${t.direction === 'send' ? 'to' : 'from'} ${t.peer.name} failed`, body: what };
  return null;
}

export function useBrowserAttention(): void {
  const bridge = useBridge();
  const { offers, settings } = useAppState();
  const browser = bridge.host.kind === 'browser';

  useEffect(() => {
    document.title = titleFor(offers.length);
  }, [offers.length]);

  useEffect(() => {
    if (!browser || !settings.notifications) return;
    return bridge.onEvent((e) => {
      if (!document.hidden || !canNotify()) return;
      const notice = e.type === 'offer' ? offerNotice(e.offer) : e.type === 'finished' ? finishedNotice(e.transfer) : null;
      if (!notice) return;
      const n = new Notification(notice.title, { body: notice.body, tag: e.type === 'offer' ? `offer-${e.offer.id}` : undefined });
      // The offer dialog is already open in the page: bringing the tab forward shows it.
      n.onclick = () => {
        window.focus();
        n.close();
      };
    });
  }, [bridge, browser, settings.notifications]);
}
