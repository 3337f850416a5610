// Keeping keyboard focus somewhere useful when what held it goes away: a removed row, a button
// that only exists in one state, a confirmation that closes. Left alone, the browser drops
// focus to <body> and a keyboard user starts over from the top of the window.

import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

/** The enabled, visible controls inside `root`, in document order. */
export function focusableIn(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
  );
}

/** What a control does, as its name's first word ("Dismiss", "Remove"): to find its twin in another row. */
function verbOf(el: HTMLElement): string {
  return (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().split(/\s+/)[0] ?? '';
}

/** One step from the focused control up to the container: a node, its parent, and its place there. */
interface Link {
  node: Element;
  parent: Element;
  index: number;
}

/** Taken when a control gets focus: once it is gone, its ancestors can no longer be asked. */
function pathOf(el: HTMLElement, container: HTMLElement): Link[] {
  const links: Link[] = [];
  for (let node: Element = el; node !== container && node.parentElement; node = node.parentElement) {
    links.push({ node, parent: node.parentElement, index: Array.prototype.indexOf.call(node.parentElement.children, node) });
  }
  return links;
}

/**
 * Where focus goes when `lost` left the page: into whatever took the place of the removed
 * part (the next row, the next card, the button that replaced it), the same control first
 * ("Dismiss" for "Dismiss"), else the first control nearby. Never the container as a whole:
 * past it, the caller's fallback decides.
 */
function replacementFor(lost: HTMLElement, path: Link[]): HTMLElement | null {
  // The removed part's root: the highest ancestor gone, whose parent is still there.
  const at = path.findIndex((l) => !l.node.isConnected && l.parent.isConnected);
  const root = path[at];
  if (!root || at === path.length - 1) return null;
  const siblings = Array.from(root.parent.children);
  const scopes = [siblings[Math.min(root.index, siblings.length - 1)], ...path.slice(at + 1).map((l) => l.node)];
  const verb = verbOf(lost);
  for (const scope of scopes) {
    if (!scope) continue;
    const controls = focusableIn(scope);
    if (controls.length > 0) return controls.find((c) => verbOf(c) === verb) ?? controls[0]!;
  }
  return null;
}

function focusLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/**
 * When the focused control inside `container` leaves the page and focus falls to <body>, moves
 * focus to what took its place (the same control of the next row, when a row was removed),
 * else to `fallback()` (a heading with tabIndex -1, say). Focus the user moved elsewhere on
 * purpose is never taken back.
 */
export function useFocusRescue(container: RefObject<HTMLElement | null>, fallback: () => HTMLElement | null): void {
  // Read when focus is lost, not when the observer starts: kept current after each render.
  const fallbackRef = useRef(fallback);
  useLayoutEffect(() => {
    fallbackRef.current = fallback;
  });
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    let last: { el: HTMLElement; path: Link[] } | null = null;
    const onFocusIn = (e: FocusEvent): void => {
      last = e.target instanceof HTMLElement && root.contains(e.target) ? { el: e.target, path: pathOf(e.target, root) } : null;
    };
    // Mutations are delivered after React's commit, when the replacement controls exist already.
    const observer = new MutationObserver(() => {
      if (!last || last.el.isConnected || !focusLost()) return;
      const target = replacementFor(last.el, last.path) ?? fallbackRef.current();
      last = null;
      target?.focus();
    });
    document.addEventListener('focusin', onFocusIn);
    observer.observe(root, { childList: true, subtree: true });
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      observer.disconnect();
    };
  }, [container]);
}
