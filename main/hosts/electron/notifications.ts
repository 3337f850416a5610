// OS notifications for what happens while nobody is looking at the window: an offer waiting
// for an answer (always: the sender waits on it), a transfer that finished and a text message
// that arrived (when the notifications setting is on). Clicking one brings the window up.

import type { Notification, NotificationConstructorOptions } from 'electron';
import type { OfferView, TextView, TransferView, UiEvent } from '../../core/contract/index.js';
import { formatters } from '../../i18n/format.js';
import { errorText, type I18n } from '../../i18n/index.js';
import { ENGLISH } from './language.js';

export interface NotifierDeps {
  Notification: Pick<typeof Notification, 'isSupported'> &
    (new (options: NotificationConstructorOptions) => Pick<Notification, 'show' | 'on' | 'close'>);
  /** The window is visible, not minimised and focused: the user sees the UI itself. */
  isAttended: () => boolean;
  showWindow: () => void;
  /** The language in force when a notification is made (default English). */
  i18n?: () => I18n;
}

export function offerText(offer: OfferView, i18n: I18n = ENGLISH): NotificationConstructorOptions {
  const t = i18n.t.bind(i18n);
  const fmt = formatters(i18n);
  if (offer.text) {
    return {
      title: t('desktop.notify.offerMessageTitle', { name: offer.from.name }),
      body: t('desktop.notify.offerMessageBody', {
        chars: t('desktop.notify.characters', { count: offer.text.chars }),
        address: offer.from.address,
      }),
    };
  }
  const nothing = offer.fileCount <= 0 && offer.dirCount <= 0;
  return {
    title: t('desktop.notify.offerTitle', {
      name: offer.from.name,
      what: nothing ? t('desktop.notify.nothing') : fmt.contents(offer.fileCount, offer.dirCount),
    }),
    body: t('desktop.notify.offerBody', { size: fmt.bytes(offer.totalBytes), address: offer.from.address }),
  };
}

/** A text message, its first lines as the body (the OS shows them as plain text). */
export function messageText(text: TextView, i18n: I18n = ENGLISH): NotificationConstructorOptions {
  const body = text.text.length > 300 ? `${text.text.slice(0, 299)}…` : text.text;
  return { title: i18n.t('desktop.notify.messageTitle', { name: text.peer.name }), body };
}

/** Null for transfers that need no word (cancelled here or there). */
export function finishedText(tr: TransferView, i18n: I18n = ENGLISH): NotificationConstructorOptions | null {
  // A received text has its own notification (messageText); a sent one needs none when it arrived.
  if (tr.text !== null && (tr.direction === 'receive' || tr.state === 'done')) return null;
  const t = i18n.t.bind(i18n);
  const fmt = formatters(i18n);
  const files = t('common.count.files', { count: tr.fileCount });
  const name = tr.peer.name;
  const sent = tr.direction === 'send';
  switch (tr.state) {
    case 'done': {
      const size = fmt.bytes(tr.totalBytes);
      return {
        title: sent ? t('desktop.notify.sentTitle', { name }) : t('desktop.notify.receivedTitle', { name }),
        body:
          tr.filesFailed > 0
            ? t('desktop.notify.doneBodyFailed', { files, size, failed: tr.filesFailed })
            : t('desktop.notify.doneBody', { files, size }),
      };
    }
    case 'failed':
      return {
        title: sent ? t('desktop.notify.sendFailedTitle', { name }) : t('desktop.notify.receiveFailedTitle', { name }),
        body: tr.error ? errorText(i18n, tr.error) : t('desktop.notify.unknownError'),
      };
    case 'declined':
      return sent ? { title: t('desktop.notify.declinedTitle', { name }), body: t('desktop.notify.declinedBody', { files }) } : null;
    default:
      return null;
  }
}

export class Notifier {
  private enabled = true;
  // Held until closed or clicked: a notification that is garbage-collected loses its click handler.
  private readonly live = new Set<Pick<Notification, 'close'>>();

  constructor(private readonly deps: NotifierDeps) {}

  private i18n(): I18n {
    return this.deps.i18n?.() ?? ENGLISH;
  }

  /** The notifications setting, as the state events carry it. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  handle(e: UiEvent): void {
    if (e.type === 'state') this.enabled = e.state.settings.notifications;
    else if (e.type === 'offer') this.show(offerText(e.offer, this.i18n()));
    else if (e.type === 'text' && this.enabled) this.show(messageText(e.text, this.i18n()));
    else if (e.type === 'finished' && this.enabled) {
      const text = finishedText(e.transfer, this.i18n());
      if (text) this.show(text);
    }
  }

  private show(options: NotificationConstructorOptions): void {
    if (this.deps.isAttended() || !this.deps.Notification.isSupported()) return;
    const n = new this.deps.Notification({ ...options, silent: false });
    this.live.add(n);
    const forget = (): void => void this.live.delete(n);
    n.on('click', () => {
      forget();
      this.deps.showWindow();
    });
    n.on('close', forget);
    n.on('failed', forget);
    // Never more than a handful on screen from us.
    if (this.live.size > 10) {
      const oldest = this.live.values().next().value;
      if (oldest) {
        this.live.delete(oldest);
        oldest.close();
      }
    }
    n.show();
  }
}
