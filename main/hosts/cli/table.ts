// A table for a terminal: columns aligned by what a terminal shows (a CJK character or an emoji
// takes two cells, a combining accent none), and cut with an ellipsis to fit the width, so one
// long device name cannot wrap every line. Cells are made printable first.

import { printable } from '../../core/protocol/wire-path.js';

export interface Column {
  header: string;
  /** Below this many cells the column is not cut further. */
  min: number;
  /** Where a cut goes: the end (a name), or the middle (an address, whose port matters). */
  cut: 'end' | 'middle';
}

/** When stdout is no terminal (a pipe, a file), lines are kept to this many cells. */
export const PIPE_WIDTH = 100;
const GAP = 2;
const ELLIPSIS = '…';

// Made on first use: creating a segmenter loads ICU's break rules, 15–20 ms that every start
// of the CLI paid, tables or not.
let segmenter: Intl.Segmenter | null = null;
function graphemes(s: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(s);
}
// East Asian wide and fullwidth blocks, and characters shown as emoji: two cells each.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]|\p{Emoji_Presentation}|\uFE0F/u;

function cellsOf(grapheme: string): number {
  return WIDE.test(grapheme) ? 2 : 1;
}

export function displayWidth(s: string): number {
  let n = 0;
  for (const { segment } of graphemes(s)) n += cellsOf(segment);
  return n;
}

/** `s` in at most `width` cells, never splitting a character. */
export function truncate(s: string, width: number, cut: 'end' | 'middle' = 'end'): string {
  if (displayWidth(s) <= width) return s;
  const parts = [...graphemes(s)].map((g) => g.segment);
  const room = Math.max(0, width - 1);
  const take = (from: string[], cells: number): string[] => {
    const out: string[] = [];
    let used = 0;
    for (const g of from) {
      if (used + cellsOf(g) > cells) break;
      out.push(g);
      used += cellsOf(g);
    }
    return out;
  };
  if (cut === 'end') return take(parts, room).join('') + ELLIPSIS;
  const head = take(parts, Math.ceil(room / 2));
  const tail = take([...parts].reverse(), room - displayWidth(head.join(''))).reverse();
  return head.join('') + ELLIPSIS + tail.join('');
}

/** How wide stdout is: the terminal's columns, or PIPE_WIDTH when it is not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns > 0 ? stream.columns : PIPE_WIDTH;
}

/**
 * The rows under their headers, within `width` cells when the columns' minimums allow it:
 * the widest column gives up a cell at a time, so a long name shrinks before a short address.
 */
export function renderTable(columns: Column[], rows: string[][], width: number): string {
  const cells = [columns.map((c) => c.header), ...rows].map((r) => r.map((c) => printable(c)));
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => displayWidth(r[i] ?? ''))));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > columns[i]!.min && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    if (widest < 0) break; // every column at its minimum: the line is as short as it gets
    widths[widest]!--;
  }
  const line = (r: string[]): string =>
    r
      .map((c, i) => {
        const text = truncate(c, widths[i]!, columns[i]!.cut);
        // The last column is not padded: no trailing spaces.
        return i === r.length - 1 ? text : text + ' '.repeat(widths[i]! - displayWidth(text));
      })
      .join(' '.repeat(GAP));
  return cells.map(line).join('\n') + '\n';
}
