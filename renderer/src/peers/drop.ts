// Turns a drop event's DataTransfer into DroppedFiles. Everything the DataTransfer holds is
// read synchronously (it is emptied when the event handler returns), then folders are walked.

import type { DroppedFile } from '../contract.js';
import { collectDropped, type DropRoot, type EntryLike } from '../state/dropped.js';

export function hasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

export function dropRoots(dt: DataTransfer): DropRoot<File>[] {
  const roots: DropRoot<File>[] = [];
  const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
  if (items.length > 0) {
    for (const item of items) {
      // Not every DataTransfer has entries (one built by a script has none): then the File.
      const entry = typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as EntryLike | null) : null;
      if (entry?.isDirectory) {
        roots.push({ kind: 'entry', entry });
        continue;
      }
      const file = item.getAsFile();
      if (file) roots.push({ kind: 'file', file, name: file.webkitRelativePath || file.name });
      else if (entry) roots.push({ kind: 'entry', entry });
    }
    return roots;
  }
  for (const file of Array.from(dt.files)) roots.push({ kind: 'file', file, name: file.webkitRelativePath || file.name });
  return roots;
}

export async function droppedFiles(roots: DropRoot<File>[]): Promise<{ files: DroppedFile[]; unreadable: string[] }> {
  return collectDropped(roots);
}
