// Non-blocking messages (mostly errors from bridge calls): a small list with ids, where the
// same message twice in a row is counted instead of stacked.

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** How many times this message came while shown. */
  count: number;
}

export interface ToastStore {
  // Properties, not methods: React calls them unbound (useSyncExternalStore), and so do handlers.
  getSnapshot: () => readonly Toast[];
  subscribe: (listener: () => void) => () => void;
  push(kind: ToastKind, message: string): number;
  dismiss: (id: number) => void;
}

export const MAX_TOASTS = 4;

export function createToastStore(): ToastStore {
  let toasts: readonly Toast[] = [];
  let nextId = 1;
  const listeners = new Set<() => void>();
  const set = (next: readonly Toast[]): void => {
    toasts = next;
    for (const l of [...listeners]) l();
  };
  return {
    getSnapshot: () => toasts,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(kind, message) {
      const same = toasts.find((t) => t.kind === kind && t.message === message);
      if (same) {
        // A new id restarts the toast's timer in the UI.
        const bumped = { ...same, id: nextId++, count: same.count + 1 };
        set([...toasts.filter((t) => t !== same), bumped]);
        return bumped.id;
      }
      const toast: Toast = { id: nextId++, kind, message, count: 1 };
      set([...toasts, toast].slice(-MAX_TOASTS));
      return toast.id;
    },
    dismiss(id) {
      if (toasts.some((t) => t.id === id)) set(toasts.filter((t) => t.id !== id));
    },
  };
}
