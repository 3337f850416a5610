// Opening the "Send a message" dialog from anywhere: a card's "Send text…" button, text pasted
// on a card (for that device, or for every selected one), the selection bar's "Send text…", or
// text pasted on the window elsewhere (the person picks the device). The
// window (App.tsx's Shell) holds the one dialog; this is how the rest reaches it.

import { createContext, useContext, useEffect } from 'react';

/**
 * Opens the composer: for one device (its key), for several (the selected ones: each gets the
 * message), or with a device picker (null); prefilled with `text`.
 */
export type Compose = (target: string | readonly string[] | null, text?: string) => void;

const ComposeContext = createContext<Compose | null>(null);

export const ComposeProvider = ComposeContext.Provider;

export function useCompose(): Compose {
  const compose = useContext(ComposeContext);
  if (!compose) throw new Error('useCompose outside <ComposeProvider>');
  return compose;
}

const EDITABLE = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

/**
 * A paste this feature must leave alone: typed into a field (the field takes it), or made while
 * a dialog is open (the page under it is inert; the dialog has its own fields).
 */
export function pasteBelongsElsewhere(target: EventTarget | null): boolean {
  const candidates = [target, document.activeElement];
  for (const el of candidates) if (el instanceof Element && (el.closest(EDITABLE) || el.closest('dialog'))) return true;
  return document.querySelector('dialog[open]') !== null;
}

/** The words of a paste, when there are any to send (whitespace alone is not a message). */
export function pastedText(data: DataTransfer | null): string | null {
  const text = data?.getData('text/plain') ?? '';
  return text.trim() === '' ? null : text;
}

/**
 * Text pasted on the window, outside any field and any device card (a card takes its own paste
 * first and marks it handled): opens the composer with a device picker.
 */
export function useWindowPaste(compose: Compose): void {
  useEffect(() => {
    const onPaste = (e: ClipboardEvent): void => {
      if (e.defaultPrevented || pasteBelongsElsewhere(e.target)) return;
      const text = pastedText(e.clipboardData);
      if (text === null) return;
      e.preventDefault();
      compose(null, text);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [compose]);
}
