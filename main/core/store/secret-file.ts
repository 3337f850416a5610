// The shared secret the UI set: a file of its own in the config folder, readable by the user
// only, never sent to a UI. Text only here; what makes a secret acceptable is security/secret.ts's.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readTextFile, writeFileAtomic } from './atomic-file.js';

const FILE = 'shared-secret';

export function readSecretFile(configDir: string): Promise<string | null> {
  return readTextFile(path.join(configDir, FILE));
}

export async function writeSecretFile(configDir: string, secret: string | null): Promise<void> {
  const file = path.join(configDir, FILE);
  if (secret === null) await fs.rm(file, { force: true });
  else await writeFileAtomic(file, `${secret.trim()}\n`, 0o600);
}
