// What every component may reach: the bridge (the only way out), the state store and the
// toast list. Provided once by main.tsx; tests and the screenshot harness provide fakes.

import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { AppState, FerryBridge } from '../contract.js';
import { i18n } from '../i18n/setup.js';
import { describeError, shownError } from '../state/errors.js';
import type { AppStore, StoreSnapshot } from '../state/store.js';
import type { ToastKind, ToastStore } from '../state/toasts.js';

export interface AppServices {
  bridge: FerryBridge;
  store: AppStore;
  toasts: ToastStore;
}

const ServicesContext = createContext<AppServices | null>(null);

export const ServicesProvider = ServicesContext.Provider;

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <ServicesProvider>');
  return services;
}

export function useBridge(): FerryBridge {
  return useServices().bridge;
}

export function useStoreSnapshot(): StoreSnapshot {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The engine's state; only for components rendered once it is loaded. */
export function useAppState(): AppState {
  const snapshot = useStoreSnapshot();
  if (!snapshot.state) throw new Error('useAppState before the state loaded');
  return snapshot.state;
}

export function useNotify(): (kind: ToastKind, message: string) => void {
  const { toasts } = useServices();
  return useCallback((kind, message) => void toasts.push(kind, message), [toasts]);
}

export type RunResult<T> = { ok: true; value: T } | { ok: false; code: string | null; message: string };

/**
 * Runs a bridge call and turns a failure into an error toast (the FerryError's message in
 * English, its code's sentence in another language: errorText), so no click ever fails
 * silently. `quiet` skips the toast when the caller shows the error itself; the result's
 * `message` is in the window's language too. `prefix`: what was being done, already translated.
 */
export function useRun(): <T>(call: () => Promise<T>, options?: { prefix?: string; quiet?: boolean }) => Promise<RunResult<T>> {
  const { toasts } = useServices();
  return useCallback(
    async <T,>(call: () => Promise<T>, options: { prefix?: string; quiet?: boolean } = {}): Promise<RunResult<T>> => {
      try {
        return { ok: true, value: await call() };
      } catch (err) {
        const { code } = describeError(err);
        const message = shownError(err);
        if (!options.quiet)
          toasts.push('error', options.prefix ? i18n.t('app.toast.failed', { prefix: options.prefix, message }) : message);
        return { ok: false, code, message };
      }
    },
    [toasts],
  );
}
