#!/usr/bin/env node
// libuv sizes its thread pool on first use: more threads let many small files' opens,
// writes and renames overlap.
process.env.UV_THREADPOOL_SIZE ??= '8';
// One bundled file (scripts/bundle-cli.mjs): a start loads one module instead of dozens.
await import('../dist/main/hosts/cli/ferry.bundle.mjs');
