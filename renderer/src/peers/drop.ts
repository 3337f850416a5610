// Turns a drop event's DataTransfer into DroppedFiles. Everything the DataTransfer holds is
// read synchronously (it is emptied when the event handler returns), then folders are walked.

import type { DroppedFile } from '../contract.js';
import { collectDropped, type DropRoot, type EntryLike } from '../state/dropped.js';

// The parts of a DataTransfer used here, so the logic runs (and is tested) outside a browser too.
interface ItemLike {
  kind: string;
  webkitGetAsEntry?: () => unknown;
  getAsFile(): File | null;
}
export interface DataTransferLike {
  items?: ArrayLike<ItemLike>;
  files: ArrayLike<File>;
  types: ArrayLike<string>;
}

/** A file's path inside a picked or dropped folder, where the browser tells it. */
function nameOf(file: File): string {
  return (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
}

export function hasFiles(dt: DataTransferLike | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

/**
 * wholeFolders: the host turns a dropped folder's own File into its path (Electron), so the
 * folder is handed over as one item instead of walked file by file — a folder of 100,000
 * files sends at once, and an empty folder can be sent at all.
 */
export function dropRoots(dt: DataTransferLike, { wholeFolders = false }: { wholeFolders?: boolean } = {}): DropRoot<File>[] {
  const roots: DropRoot<File>[] = [];
  const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
  if (items.length > 0) {
    for (const item of items) {
      // Not every DataTransfer has entries (one built by a script has none): then the File.
      const entry = typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as EntryLike | null) : null;
      const whole = entry?.isDirectory && wholeFolders ? item.getAsFile() : null;
      if (whole) {
        roots.push({ kind: 'file', file: whole, name: whole.name });
        continue;
      }
      if (entry?.isDirectory) {
        roots.push({ kind: 'entry', entry });
        continue;
      }
      const file = item.getAsFile();
      if (file) roots.push({ kind: 'file', file, name: nameOf(file) });
      else if (entry) roots.push({ kind: 'entry', entry });
    }
    return roots;
  }
  for (const file of Array.from(dt.files)) roots.push({ kind: 'file', file, name: nameOf(file) });
  return roots;
}

export async function droppedFiles(roots: DropRoot<File>[]): Promise<{ files: DroppedFile[]; emptyDirs: string[]; unreadable: string[] }> {
  return collectDropped(roots);
}
