// Where the repository and the CLI are, for tests that read files or run the real `ferry`. A
// module of its own so that unit tests can import it without the fixtures of helpers.ts.

import * as path from 'node:path';

export const REPO = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
export const FERRY_BIN = path.join(REPO, 'bin', 'ferry.js');
