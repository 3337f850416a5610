// The one place the renderer keeps the engine's state: loaded with getState(), then replaced
// by every 'state' event. Shaped for React's useSyncExternalStore (subscribe + an immutable
// snapshot), but free of React so tests drive it with a fake bridge.

import type { AppState, FerryBridge, UploadView } from '../contract.js';
import { shownError } from './errors.js';

export type LoadStatus = 'loading' | 'ready' | 'failed';

export interface StoreSnapshot {
  status: LoadStatus;
  state: AppState | null;
  /** Why the first load failed (shown with a Retry), in the window's language. */
  error: string | null;
  /** The engine can be reached (false while `ferry serve` is away: the state shown is stale). */
  connected: boolean;
  /** Files on their way to `ferry serve` before their transfer starts (browser hosts). */
  uploads: UploadView[];
}

export interface AppStore {
  // Properties, not methods: React calls them unbound (useSyncExternalStore).
  getSnapshot: () => StoreSnapshot;
  subscribe: (listener: () => void) => () => void;
  /** Starts listening and loading; returns a stop function. Starting twice is harmless. */
  start(): () => void;
  /** Loads the state again (the Retry after a failed first load). */
  reload(): Promise<void>;
}

export function createAppStore(bridge: Pick<FerryBridge, 'getState' | 'onEvent'>): AppStore {
  let snapshot: StoreSnapshot = { status: 'loading', state: null, error: null, connected: true, uploads: [] };
  const listeners = new Set<() => void>();
  let unlisten: (() => void) | null = null;
  // Bumped by every state event: a getState() answer older than an event must not undo it.
  let version = 0;

  const set = (next: StoreSnapshot): void => {
    snapshot = next;
    for (const l of [...listeners]) l();
  };

  const reload = async (): Promise<void> => {
    const asked = version;
    if (snapshot.status === 'failed') set({ ...snapshot, status: 'loading', error: null });
    try {
      const state = await bridge.getState();
      if (version !== asked && snapshot.state) return;
      set({ ...snapshot, status: 'ready', state, error: null });
    } catch (err) {
      // A state event may have arrived meanwhile: then we have a state and nothing failed.
      if (snapshot.state) return;
      set({ ...snapshot, status: 'failed', state: null, error: shownError(err) });
    }
  };

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (!unlisten) {
        // Listen before asking, so nothing that changes between the two is lost.
        unlisten = bridge.onEvent((e) => {
          if (e.type === 'connection') {
            // Away from the engine, no device can be reached from here: none shows as online.
            const state =
              !e.connected && snapshot.state
                ? { ...snapshot.state, peers: snapshot.state.peers.map((p) => ({ ...p, online: false })) }
                : snapshot.state;
            set({ ...snapshot, state, connected: e.connected });
            // Back after a failed first load: try again without waiting for a click.
            if (e.connected && snapshot.status === 'failed') void reload();
          } else if (e.type === 'uploads') {
            set({ ...snapshot, uploads: e.uploads });
          } else if (e.type === 'state') {
            version++;
            set({ ...snapshot, status: 'ready', state: e.state, error: null, connected: true });
          }
        });
        void reload();
      }
      return () => {
        unlisten?.();
        unlisten = null;
      };
    },
    reload,
  };
}
