// Non-blocking messages in a corner: errors from bridge calls and short confirmations.
// Errors stay until closed or 8 s pass; others leave after 4 s.

import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../hooks/app-context.js';
import { sentence } from '../state/errors.js';
import type { Toast } from '../state/toasts.js';
import { Icon } from './Icon.js';

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const { t } = useTranslation();
  useEffect(() => {
    const timer = window.setTimeout(() => onDismiss(toast.id), toast.kind === 'error' ? 8000 : 4000);
    return () => window.clearTimeout(timer);
  }, [toast.id, toast.kind, onDismiss]);
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <Icon name={toast.kind === 'error' ? 'alert' : toast.kind === 'success' ? 'check' : 'info'} className="toast-icon" />
      <p className="toast-message">
        {sentence(toast.message)}
        {toast.count > 1 && <span className="toast-count"> ×{toast.count}</span>}
      </p>
      <button type="button" className="icon-button toast-close" aria-label={t('app.toast.dismiss')} onClick={() => onDismiss(toast.id)}>
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}

export function Toasts() {
  const { toasts } = useServices();
  const list = useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
  return (
    <div className="toasts" aria-live="polite">
      {list.map((t) => (
        <ToastItem key={t.id} toast={t} onDismiss={toasts.dismiss} />
      ))}
    </div>
  );
}
