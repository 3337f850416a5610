// Text messages received, as the UI lists them until dismissed: newest first, a bounded number,
// each with its link when the whole text is one web address (the UI offers to open only that).

import { MAX_TEXTS_SHOWN, type PeerProtocol, type TextView } from '../contract/index.js';
import { FerryError } from '../errors.js';

/** One http(s) URL and nothing else (surrounding blank space aside), at most 2,048 characters. */
export function linkOf(text: string): string | null {
  const t = text.trim();
  if (t.length > 2048 || /\s/.test(t)) return null;
  try {
    const url = new URL(t);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' ? url.href : null;
  } catch {
    return null;
  }
}

/** A text's first line, shortened, for a title ("Message: …"). */
export function snippetOf(text: string, max = 80): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export class ReceivedTexts {
  private list: TextView[] = [];

  add(t: { id: string; peer: TextView['peer']; protocol: PeerProtocol; text: string }): TextView {
    const view: TextView = { ...t, direction: 'receive', link: linkOf(t.text), at: Date.now() };
    this.list = [view, ...this.list.filter((x) => x.id !== t.id)].slice(0, MAX_TEXTS_SHOWN);
    return view;
  }

  get(id: string): TextView | undefined {
    return this.list.find((t) => t.id === id);
  }

  dismiss(id: string): void {
    const before = this.list.length;
    this.list = this.list.filter((t) => t.id !== id);
    if (this.list.length === before) throw new FerryError('NOT_FOUND', 'that message is no longer listed');
  }

  views(): TextView[] {
    return this.list.map((t) => ({ ...t, peer: { ...t.peer } }));
  }
}
