// The events every UI hears. State pushes are coalesced: whatever changes (progress of many
// transfers, peers coming and going), a UI gets at most one complete state per interval, so
// nothing downstream (IPC, a WebSocket, React) runs per chunk.

import type { AppState, UiEvent } from '../contract/index.js';

export class UiEventHub {
  private readonly listeners = new Set<(e: UiEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly state: () => AppState,
    private readonly intervalMs: number,
  ) {}

  on(listener: (e: UiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: UiEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // One broken listener (a closed window, a dead socket) must not stop the others.
      }
    }
  }

  /** Something changed: a state push goes out within intervalMs, one for all changes until then. */
  stateChanged(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.emit({ type: 'state', state: this.state() });
    }, this.intervalMs);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}
