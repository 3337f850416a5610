// The transfers a UI lists, sending and receiving, newest first: each engine event applied to
// its transfer, finished ones reported once, and at most MAX_FINISHED_IN_QUEUE of those kept.

import type { TransferView } from '../contract/index.js';
import type { TransferEvent } from '../model/events.js';
import { applyEvent, isFinal, newTransfer, type TrackedTransfer } from './transfers.js';

const MAX_FINISHED_IN_QUEUE = 50;

export class TransferQueue {
  private readonly transfers = new Map<string, TrackedTransfer>();

  constructor(
    private readonly hooks: {
      /** A transfer just reached a final state (once per transfer). */
      finished(t: TrackedTransfer): void;
      changed(): void;
    },
  ) {}

  /** A new transfer; one with the same id (a sender's retry reconnects with it) is replaced. */
  add(init: Parameters<typeof newTransfer>[0]): TrackedTransfer {
    const t = newTransfer(init);
    this.transfers.set(init.id, t);
    this.trim();
    this.hooks.changed();
    return t;
  }

  get(id: string): TrackedTransfer | undefined {
    return this.transfers.get(id);
  }

  isFinal(id: string): boolean {
    const t = this.transfers.get(id);
    return t !== undefined && isFinal(t.view.state);
  }

  apply(e: TransferEvent): void {
    if (!('transferId' in e) || !e.transferId) return;
    const t = this.transfers.get(e.transferId);
    if (!t || ('direction' in e && e.direction !== t.view.direction)) return;
    if (applyEvent(t, e)) this.hooks.finished(t);
    this.hooks.changed();
  }

  /** Removes a finished transfer from the list (history keeps it). */
  dismiss(id: string): void {
    if (this.isFinal(id)) this.transfers.delete(id);
    this.hooks.changed();
  }

  abortAll(): void {
    for (const t of this.transfers.values()) t.abort?.abort();
  }

  views(): TransferView[] {
    return [...this.transfers.values()].map((t) => ({ ...t.view, peer: { ...t.view.peer } })).reverse();
  }

  private trim(): void {
    const finished = [...this.transfers.values()].filter((t) => isFinal(t.view.state));
    for (const t of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_IN_QUEUE))) this.transfers.delete(t.view.id);
  }
}
