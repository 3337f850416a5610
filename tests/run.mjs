// Runs every tests/**/*.test.ts with Node's own test runner (TypeScript through tsx).
// Node 20's runner takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const only = process.argv.slice(2);

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'fixtures' ? [] : collect(p);
    return d.name.endsWith('.test.ts') ? [p] : [];
  });
}

let files = collect(root).sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
console.log(`running ${files.length} test files: ${files.map((f) => relative(root, f)).join(', ')}`);
const result = spawnSync(
  process.execPath,
  // A hung test fails with its name after 3 minutes instead of stalling CI until it is killed.
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=180000', ...files],
  { stdio: 'inherit', env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '8' } },
);
process.exit(result.status ?? 1);
