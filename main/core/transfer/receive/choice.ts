// What the person at the receiver chose of an offer: which entries are left out
// (Decision.files) and where the rest goes (Decision.folder). A file left out is refused as not
// wanted (DECLINED) and nothing of it touches the disk, not even its folder; the folders the
// person kept are made, empty ones included. Used by Ferry's receiver and by the LocalSend
// server alike, so both read a choice the same way.

import * as fs from 'node:fs/promises';
import { FerryError } from '../../errors.js';
import { isDir, type Entry } from '../../protocol/messages.js';

/** What a file left out is told, on the wire and in events. */
export const NOT_WANTED = 'not wanted by the receiver';

/**
 * The indices of the entries left out of `entries` (empty when `chosen` is absent: all taken).
 *
 * `chosen` holds entry paths as offered: files, and (so that a host may pass the person's ticks
 * as they are) folders, each of which takes its whole subtree. A file is taken when it or one
 * of its ancestors is in `chosen`. A folder is made when it or an ancestor is in `chosen`, when
 * a file under it is taken, or, for a folder with no file under it, when an ancestor folder has
 * every one of its files taken: hosts expand a ticked folder into its files, and the empty
 * folders inside it were ticked along with them. An empty folder nothing points to is left out.
 */
export function leftOut(entries: readonly Entry[], chosen: ReadonlySet<string> | undefined): ReadonlySet<number> {
  const out = new Set<number>();
  if (chosen === undefined) return out;
  const inChosen = (p: string): boolean => chosen.has(p) || ancestors(p).some((a) => chosen.has(a));
  // Files and taken files under each folder path (listed or only implied by a file's path).
  const under = new Map<string, { files: number; taken: number }>();
  entries.forEach((e, index) => {
    if (isDir(e)) return;
    const taken = inChosen(e.path);
    if (!taken) out.add(index);
    for (const a of ancestors(e.path)) {
      const c = under.get(a) ?? { files: 0, taken: 0 };
      c.files++;
      if (taken) c.taken++;
      under.set(a, c);
    }
  });
  const wholly = (p: string): boolean => {
    const c = under.get(p);
    return c !== undefined && c.files > 0 && c.taken === c.files;
  };
  entries.forEach((e, index) => {
    if (!isDir(e) || inChosen(e.path)) return;
    const c = under.get(e.path);
    if (c && c.taken > 0) return;
    if (!c && ancestors(e.path).some(wholly)) return;
    out.add(index);
  });
  return out;
}

/** "a/b/c" → ["a/b", "a"]: the folder paths above an entry, nearest first. */
function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
  return out;
}

/**
 * The folder a person chose for this transfer, resolved as the download folder is (so that
 * `inside` checks hold). The host checked it; it may have gone since, and then nothing lands.
 */
export async function chosenFolder(folder: string): Promise<string> {
  try {
    const real = await fs.realpath(folder);
    if ((await fs.stat(real)).isDirectory()) return real;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new FerryError('IO_ERROR', `the folder chosen for these files cannot be used (${code})`);
  }
  throw new FerryError('IO_ERROR', 'the folder chosen for these files is not a folder');
}
