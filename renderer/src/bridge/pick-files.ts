// The browser's file and folder picker, opened from the click that asked for it: the files
// picked, each with the path under the folder when a folder was picked.

import type { DroppedFile } from '../contract.js';

/**
 * Opens the file (or folder) picker from the click that called it, and resolves with what was
 * picked, or null when the person cancelled. A folder's files carry "folder/…" paths.
 */
export function pickFiles(kind: 'files' | 'folder'): Promise<DroppedFile[] | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    if (kind === 'folder') input.webkitdirectory = true;
    input.style.display = 'none';
    document.body.append(input);
    let settled = false;
    const done = (picked: File[] | null): void => {
      if (settled) return;
      settled = true;
      input.remove();
      if (!picked || picked.length === 0) return resolve(null);
      resolve(picked.map((file) => ({ file, relativePath: file.webkitRelativePath || file.name })));
    };
    input.addEventListener('change', () => done(input.files ? [...input.files] : null));
    input.addEventListener('cancel', () => done(null));
    // No await before this: the picker needs the person's click to still count as one.
    input.click();
  });
}
