// The sender's inbox: what the receiver said, in order, for code that awaits its next reply,
// and why the connection closed once it has. Messages that arrived before the close are
// still handed out first.

import { FerryError } from '../../errors.js';
import type { Message } from '../../protocol/messages.js';

export class Mailbox {
  private readonly inbox: Message[] = [];
  private waiter: ((m: Message | null) => void) | null = null;
  private isClosed = false;
  private reason: FerryError | null = null;

  /** Why the connection closed (null while open, or after a clean close). */
  get closedWith(): FerryError | null {
    return this.reason;
  }

  put(m: Message): void {
    this.inbox.push(m);
    this.wake();
  }

  close(err: FerryError | null): void {
    this.isClosed = true;
    this.reason = err;
    this.wake();
  }

  /** The next message; rejects with why the connection closed when none will come. */
  next(what: string): Promise<Message> {
    const m = this.inbox.shift();
    if (m) return Promise.resolve(m);
    this.checkOpen();
    return new Promise((resolve, reject) => {
      this.waiter = (msg) => {
        if (msg) resolve(msg);
        else reject(this.reason ?? new FerryError('CONNECTION_LOST', `connection closed while waiting for ${what}`));
      };
    });
  }

  /** Throws why the connection closed, if it has. */
  checkOpen(): void {
    if (this.isClosed) throw this.reason ?? new FerryError('CONNECTION_LOST', 'the connection closed');
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    const m = this.inbox.shift();
    if (m || this.isClosed) {
      this.waiter = null;
      w(m ?? null);
    }
  }
}
