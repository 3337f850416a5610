// Files dropped on a peer card, folders included. Browsers only reveal a dropped folder's
// contents through its directory entry (webkitGetAsEntry), read in batches through
// callbacks; this walks such entries into {file, relativePath} pairs. Written against the
// entries' shape, not the DOM types, so tests hand it fakes.

export interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
}

export interface FileEntryLike<F> extends EntryLike {
  file(success: (file: F) => void, failure?: (err: unknown) => void): void;
}

export interface DirectoryReaderLike {
  readEntries(success: (entries: EntryLike[]) => void, failure?: (err: unknown) => void): void;
}

export interface DirectoryEntryLike extends EntryLike {
  createReader(): DirectoryReaderLike;
}

/** What a drop item gave us synchronously (the DataTransfer is emptied once the event ends). */
export type DropRoot<F> = { kind: 'file'; file: F; name: string } | { kind: 'entry'; entry: EntryLike };

export interface Collected<F> {
  files: Array<{ file: F; relativePath: string }>;
  /** Folders with nothing in them ("holiday/empty"): sent as folders, as the CLI sends them. */
  emptyDirs: string[];
  /** Paths that could not be read (permissions, vanished), for a message. */
  unreadable: string[];
}

function readBatch(reader: DirectoryReaderLike): Promise<EntryLike[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf<F>(entry: FileEntryLike<F>): Promise<F> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Walks the dropped roots depth-first; a folder's files keep the folder's name as their first segment. */
export async function collectDropped<F>(roots: ReadonlyArray<DropRoot<F>>): Promise<Collected<F>> {
  const out: Collected<F> = { files: [], emptyDirs: [], unreadable: [] };
  const walk = async (entry: EntryLike, prefix: string): Promise<void> => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    try {
      if (entry.isFile) {
        out.files.push({ file: await fileOf(entry as FileEntryLike<F>), relativePath: path });
      } else if (entry.isDirectory) {
        const reader = (entry as DirectoryEntryLike).createReader();
        // readEntries hands out a batch per call (Chromium: 100) until it hands out none.
        let children = 0;
        for (;;) {
          const batch = await readBatch(reader);
          if (batch.length === 0) break;
          children += batch.length;
          for (const child of batch) await walk(child, path);
        }
        if (children === 0) out.emptyDirs.push(path);
      }
    } catch {
      out.unreadable.push(path);
    }
  };
  for (const root of roots) {
    if (root.kind === 'file') out.files.push({ file: root.file, relativePath: root.name });
    else await walk(root.entry, '');
  }
  return out;
}
