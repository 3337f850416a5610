// A text message as LocalSend sends one: a single text/plain file whose words ride in the
// offer's `preview`. A receiver that shows texts answers the offer 204 and that is all; one
// that wants the file (an app that does not treat texts apart) gets it uploaded like any other,
// so it is written to a temporary file of its own for the upload to read.

import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileEntry } from '../protocol/messages.js';
import { hashFile } from './send-files.js';
import { newFileId, type OutgoingFile } from './send-prepare.js';

/** The name the receiver saves it under if it keeps it as a file. */
const TEXT_FILE_NAME = 'message.txt';

export interface TextFile {
  file: OutgoingFile & { dto: OutgoingFile['dto'] & { preview: string } };
  /** Removes the temporary copy. */
  remove(): Promise<void>;
}

export async function textFile(text: string, signal: AbortSignal): Promise<TextFile> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-text-'));
  const remove = (): Promise<void> => fs.rm(dir, { recursive: true, force: true });
  try {
    const local = path.join(dir, TEXT_FILE_NAME);
    await fs.writeFile(local, text, { encoding: 'utf8', mode: 0o600 });
    const st = await fs.stat(local);
    const entry: FileEntry = { path: TEXT_FILE_NAME, size: st.size, mtime: Math.trunc(st.mtimeMs) };
    const digests = await hashFile(local, entry, signal);
    const now = new Date().toISOString();
    return {
      file: {
        dto: {
          id: newFileId(),
          fileName: TEXT_FILE_NAME,
          size: st.size,
          fileType: 'text/plain',
          sha256: digests.sha256,
          preview: text,
          metadata: { modified: now, accessed: now },
        },
        entry,
        local,
        md5: digests.md5,
      },
      remove,
    };
  } catch (err) {
    await remove();
    throw err;
  }
}
