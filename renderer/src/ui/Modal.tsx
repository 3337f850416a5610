// A modal dialog on the native <dialog> element: the browser makes the rest of the page inert
// and puts it in the top layer. Named by its heading (aria-labelledby). Every dialog of the app
// is one of these, so Escape, the focus trap and the return of focus behave the same in all.

import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { focusableIn } from './focus.js';

export interface ModalProps {
  labelledBy: string;
  describedBy?: string;
  /** Escape or the close button; omitted, Escape does nothing (the dialog wants an answer). */
  onClose?: () => void;
  className?: string;
  /** An element id to focus on open instead of the browser's first focusable choice. */
  initialFocus?: string;
  children: ReactNode;
}

export function Modal({ labelledBy, describedBy, onClose, className, initialFocus, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  // The latest onClose, for the dialog's listeners (set up once): kept current after each render.
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  // A layout effect: its cleanup runs before React removes the dialog, so focus goes back to the
  // opener at once instead of falling to <body> for a moment (which useFocusRescue would act on).
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && !dialog.contains(active) ? active : null;
    if (!dialog.open) dialog.showModal();
    if (initialFocus) document.getElementById(initialFocus)?.focus();
    const onCancel = (e: Event): void => {
      e.preventDefault();
      onCloseRef.current?.();
    };
    // Chromium closes a dialog anyway when Escape is pressed twice without a click between
    // (its close-watcher rule): then close for real, or, for a dialog that wants an answer,
    // show it again rather than leave it invisible in the page.
    const onClosed = (): void => {
      if (onCloseRef.current) onCloseRef.current();
      else if (dialog.isConnected && !dialog.open) dialog.showModal();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClosed);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClosed);
      if (dialog.open) dialog.close();
      // Back to where the user was (a peer card, a button), not the top of the page.
      if (opener?.isConnected) opener.focus();
    };
  }, [initialFocus]);

  // The rest of the page is inert, but Tab past the last control would still leave for the
  // browser's own UI (or nowhere, in Electron): wrap around inside the dialog instead.
  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>): void => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = focusableIn(ref.current);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
    >
      {children}
    </dialog>
  );
}
