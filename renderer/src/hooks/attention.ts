// Getting a person's attention in a browser tab, where the desktop host's OS notifications do
// not reach: the count of offers waiting (and of messages that arrived while the page was
// hidden) in the tab's title, and (when the Notifications setting is on and the browser allows
// it) a notification for an offer, a finished transfer or a message while the tab is in the
// background. An offer unseen until it times out is a failed send. The words: state/notices.ts,
// in the window's language (the title follows a change of language at once).

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { finishedNotice, offerNotice, textNotice, titleFor, type Notice } from '../state/notices.js';
import { useAppState, useBridge } from './app-context.js';

export { titleFor };

function canNotify(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Asks the browser for permission; call from a click (browsers ignore it otherwise). */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

/** Messages that arrived while the page was hidden, until it is shown again. */
function useUnseenMessages(): number {
  const bridge = useBridge();
  const [unseen, setUnseen] = useState(0);
  useEffect(() => {
    const seen = (): void => {
      if (!document.hidden) setUnseen(0);
    };
    document.addEventListener('visibilitychange', seen);
    const stop = bridge.onEvent((e) => {
      if (e.type === 'text' && e.text.direction === 'receive' && document.hidden) setUnseen((n) => n + 1);
    });
    return () => {
      document.removeEventListener('visibilitychange', seen);
      stop();
    };
  }, [bridge]);
  return unseen;
}

export function useBrowserAttention(): void {
  const bridge = useBridge();
  const { offers, settings } = useAppState();
  const browser = bridge.host.kind === 'browser';
  const unseen = useUnseenMessages();
  const { i18n } = useTranslation();
  const lang = i18n.language;

  useEffect(() => {
    document.title = titleFor(offers.length, unseen);
  }, [offers.length, unseen, lang]);

  useEffect(() => {
    if (!browser || !settings.notifications) return;
    return bridge.onEvent((e) => {
      if (!document.hidden || !canNotify()) return;
      let notice: Notice | null = null;
      let tag: string | undefined;
      if (e.type === 'offer') {
        notice = offerNotice(e.offer);
        tag = `offer-${e.offer.id}`;
      } else if (e.type === 'finished') notice = finishedNotice(e.transfer);
      else if (e.type === 'text' && e.text.direction === 'receive') {
        notice = textNotice(e.text);
        tag = `text-${e.text.id}`;
      }
      if (!notice) return;
      const n = new Notification(notice.title, { body: notice.body, tag });
      // The offer dialog (or the message, in Messages) is already in the page: bringing the tab forward shows it.
      n.onclick = () => {
        window.focus();
        n.close();
      };
    });
  }, [bridge, browser, settings.notifications]);
}
