// A modal dialog on the native <dialog> element: the browser traps focus, makes the rest of
// the page inert and puts it in the top layer. Named by its heading (aria-labelledby).

import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';

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

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
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
      if (previous?.isConnected) previous.focus();
    };
  }, [initialFocus]);

  return (
    <dialog ref={ref} className={className ? `modal ${className}` : 'modal'} aria-labelledby={labelledBy} aria-describedby={describedBy}>
      {children}
    </dialog>
  );
}
