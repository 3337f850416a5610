// Which rows of a long list of fixed-height rows are in view of its scroll container, so only
// those (and a few either side) are rendered: a transfer can list tens of thousands of files.

import { useEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  /** First rendered row (inclusive) and the end (exclusive). */
  start: number;
  end: number;
  /** Blank space standing in for the rows before and after, in pixels. */
  before: number;
  after: number;
}

/** The rows to render for a scroll position (pure). */
export function rowWindow(count: number, rowHeight: number, scrollTop: number, viewHeight: number, overscan: number): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(viewHeight, rowHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first, count) - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, before: start * rowHeight, after: Math.max(0, count - end) * rowHeight };
}

/**
 * Follows the scroll position and height of `scroller` and returns the rows to render. Until
 * the element is measured it assumes `initialHeight`, so the first paint is not an empty list.
 */
export function useRowWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  { overscan = 6, initialHeight = 320 } = {},
): RowWindow {
  const [view, setView] = useState({ top: 0, height: initialHeight });

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void =>
      setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [scroller]);

  return rowWindow(count, rowHeight, view.top, view.height, overscan);
}
