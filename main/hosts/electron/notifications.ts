// OS notifications for what happens while nobody is looking at the window: an offer waiting
// for an answer (always: the sender waits on it), a transfer that finished and a text message
// that arrived (when the notifications setting is on). Clicking one brings the window up.

import { formatBytes } from '../../core/contract/format.js';
import type { Notification, NotificationConstructorOptions } from 'electron';
import type { OfferView, TextView, TransferView, UiEvent } from '../../core/contract/index.js';

export interface NotifierDeps {
  Notification: Pick<typeof Notification, 'isSupported'> &
    (new (options: NotificationConstructorOptions) => Pick<Notification, 'show' | 'on' | 'close'>);
  /** The window is visible, not minimised and focused: the user sees the UI itself. */
  isAttended: () => boolean;
  showWindow: () => void;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function offerText(offer: OfferView): NotificationConstructorOptions {
  if (offer.text) {
    return {
      title: `${offer.from.name} wants to send you a message`,
      body: `${count(offer.text.chars, 'character', 'characters')} from ${offer.from.address}. Open Ferry to accept or decline.`,
    };
  }
  const what = [
    offer.fileCount > 0 ? count(offer.fileCount, 'file', 'files') : '',
    offer.dirCount > 0 ? count(offer.dirCount, 'folder', 'folders') : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    title: `${offer.from.name} wants to send you ${what || 'nothing'}`,
    body: `${formatBytes(offer.totalBytes)} from ${offer.from.address}. Open Ferry to accept or decline.`,
  };
}

/** A text message, its first lines as the body (the OS shows them as plain text). */
export function messageText(t: TextView): NotificationConstructorOptions {
  const body = t.text.length > 300 ? `${t.text.slice(0, 299)}…` : t.text;
  return { title: `Message from ${t.peer.name}`, body };
}

/** Null for transfers that need no word (cancelled here or there). */
export function finishedText(t: TransferView): NotificationConstructorOptions | null {
  // A received text has its own notification (messageText); a sent one needs none when it arrived.
  if (t.text !== null && (t.direction === 'receive' || t.state === 'done')) return null;
  const files = count(t.fileCount, 'file', 'files');
  const sent = t.direction === 'send';
  switch (t.state) {
    case 'done':
      return {
        title: sent ? `Sent to ${t.peer.name}` : `Received from ${t.peer.name}`,
        body: `${files}, ${formatBytes(t.totalBytes)}${t.filesFailed > 0 ? ` (${t.filesFailed} failed)` : ''}`,
      };
    case 'failed':
      return {
        title: sent ? `Sending to ${t.peer.name} failed` : `Receiving from ${t.peer.name} failed`,
        body: t.error?.message ?? 'unknown error',
      };
    case 'declined':
      return sent ? { title: `${t.peer.name} declined`, body: `${files} were not sent` } : null;
    default:
      return null;
  }
}

export class Notifier {
  private enabled = true;
  // Held until closed or clicked: a notification that is garbage-collected loses its click handler.
  private readonly live = new Set<Pick<Notification, 'close'>>();

  constructor(private readonly deps: NotifierDeps) {}

  /** The notifications setting, as the state events carry it. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  handle(e: UiEvent): void {
    if (e.type === 'state') this.enabled = e.state.settings.notifications;
    else if (e.type === 'offer') this.show(offerText(e.offer));
    else if (e.type === 'text' && this.enabled) this.show(messageText(e.text));
    else if (e.type === 'finished' && this.enabled) {
      const text = finishedText(e.transfer);
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
