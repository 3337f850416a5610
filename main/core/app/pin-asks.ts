// Sends waiting for their person to type the PIN a LocalSend receiver asked for: the transfer
// shows the question (TransferView.pin) until answerPin settles it, or the send ends.

import { FerryError } from '../errors.js';
import type { TrackedTransfer } from './transfers.js';

export class PinAsks {
  private readonly waiting = new Map<string, (pin: string | null) => void>();

  constructor(private readonly changed: () => void) {}

  /** Asks on the transfer's row; resolves with the PIN, or null when the person gives up or the send ends. */
  ask(t: TrackedTransfer, state: 'required' | 'wrong', signal: AbortSignal): Promise<string | null> {
    return new Promise((resolve) => {
      const id = t.view.id;
      const settle = (pin: string | null): void => {
        if (this.waiting.get(id) !== settle) return;
        this.waiting.delete(id);
        signal.removeEventListener('abort', onAbort);
        t.view.pin = null;
        this.changed();
        resolve(pin);
      };
      const onAbort = (): void => settle(null);
      this.waiting.get(id)?.(null);
      this.waiting.set(id, settle);
      signal.addEventListener('abort', onAbort, { once: true });
      t.view.pin = state;
      this.changed();
    });
  }

  answer(transferId: string, pin: string | null): void {
    const settle = this.waiting.get(transferId);
    if (!settle) throw new FerryError('NOT_FOUND', 'that transfer is not waiting for a PIN');
    settle(pin);
  }
}
