// makeFolders, on real folders: what mkdir -p does, and a clear BAD_CONFIG (never a hang)
// where a folder cannot be made.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { FerryError } from '../../main/core/errors.js';
import { makeFolders } from '../../main/core/folders.js';

const made: string[] = [];
after(async () => {
  for (const d of made) await fs.rm(d, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const d = await fs.mkdtemp(path.join(tmpdir(), 'ferry-folders-'));
  made.push(d);
  return d;
}

async function refusal(p: Promise<unknown>): Promise<FerryError> {
  const err = await p.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FerryError, String(err));
  assert.equal(err.code, 'BAD_CONFIG');
  return err;
}

describe('makeFolders', () => {
  test('makes the folder and its missing parents with the mode asked for; an existing folder is fine', async () => {
    const base = await scratch();
    const deep = path.join(base, 'a', 'b', 'c');
    await makeFolders(deep, 0o700);
    for (const d of [path.join(base, 'a'), path.join(base, 'a', 'b'), deep]) {
      const st = await fs.stat(d);
      assert.ok(st.isDirectory(), d);
      assert.equal(st.mode & 0o077, 0, `${d} is private`);
    }
    await makeFolders(deep);
    await makeFolders(base);
  });

  test('several at once for the same folders all succeed (a folder made meanwhile is what was wanted)', async () => {
    const base = await scratch();
    const deep = path.join(base, 'x', 'y', 'z');
    await Promise.all(Array.from({ length: 8 }, () => makeFolders(deep)));
    assert.ok((await fs.stat(deep)).isDirectory());
  });

  test('a file where the folder should be, or above it, is named in the refusal, and nothing is made', async () => {
    const base = await scratch();
    const file = path.join(base, 'f');
    await fs.writeFile(file, 'x');
    assert.equal((await refusal(makeFolders(file))).message, `Ferry cannot create ${file}: a file of that name is there`);
    const below = path.join(file, 'x', 'y');
    assert.equal((await refusal(makeFolders(below))).message, `Ferry cannot create ${below}: ${file} is a file, not a folder`);
    assert.equal(await fs.readFile(file, 'utf8'), 'x');
  });

  test(
    'a folder a virtual file system will not hold (/proc) is refused at once, not retried for ever',
    { skip: !existsSync('/proc/self') },
    async () => {
      // Node's own recursive mkdir spins on this path with one core busy and never returns.
      const err = await refusal(makeFolders('/proc/ferry-test/x'));
      assert.equal(err.message, 'Ferry cannot create /proc/ferry-test/x: folders cannot be made there');
    },
  );
});
