// Fuzzing with fast-check, for a bounded time:
//
//   1. the frame reader (FrameDecoder): any split of a stream of valid frames decodes the same;
//      random and mutated streams decode or fail with a documented FerryError, never hang and
//      never hold more than the header cap;
//   2. the header validator (validateMessage): random and mutated messages of every type are
//      accepted only when the documented schema (modelled independently in
//      fixtures/fuzz-protocol.ts) says so, rejected with a documented code otherwise, and
//      Object.prototype stays clean;
//   3. a live `ferry receive` in its own process, hammered by many RawClient connections with
//      garbage, mutated sessions, hostile offers and early data: it stays up, stays within its
//      memory, answers every peer in protocol, writes only safe names inside its download folder
//      and still completes a real `ferry send` afterwards.
//
// Properties 1 and 2 run in a worker thread watched from here, so that a synchronous hang is
// reported (with the seed and the run) instead of stalling the test run.
//
//   FERRY_FUZZ_SECONDS  fuzzing time in seconds, all three parts together (default 20;
//                       setup and the final checks add a few seconds)
//   FERRY_FUZZ_SEED     replay a run: the seed printed when it ran (and in every failure)
//   FERRY_FUZZ_PATH     with the seed, replay exactly the failing case (fast-check's "path")
//   FERRY_FUZZ_ONLY     comma-separated: frame-split, frame-mutated, validator-mutated,
//                       validator-random, wire-path, live, slots
//   FERRY_FUZZ_KINDS    comma-separated live scenario kinds (see scenarioArb), to focus on some
//
// The live part runs the built CLI (dist/): `npm run build` first. tests/run.mjs stops a test
// file after 3 minutes; for longer runs start the file directly:
//   FERRY_FUZZ_SECONDS=600 node --import tsx tests/fuzz.test.ts The last test pins down,
// deterministically, a problem the live fuzzing found (connection slots held after the peer
// had closed).

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { wirePathProblem } from '../../main/core/protocol/wire-path.js';
import type { TransferEvent } from '../../main/core/model/events.js';
import {
  helloOf,
  identity,
  LONG_PATH_4096,
  md5File,
  RawClient,
  REPO,
  sleep,
  startCli,
  startReceiver,
  tempDir,
  UNSAFE_PATHS,
} from '../helpers.js';
import type { LocalIdentity } from '../../main/core/security/identity.js';
import {
  byteMutationArb,
  DOC,
  frameBytes,
  intIn,
  makeArbs,
  mutate,
  mutateBytes,
  specPathOk,
  toText,
  type Arbs,
  type Json,
  type Mutation,
  type Pools,
  type PropertyName,
  type WorkerInput,
  type WorkerResult,
} from '../fixtures/fuzz-protocol.js';

// ---- settings ----

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  assert.ok(Number.isFinite(n), `${name}=${v} is not a number`);
  return n;
}

const SECONDS = envNumber('FERRY_FUZZ_SECONDS', 20);
const SEED = envNumber('FERRY_FUZZ_SEED', randomBytes(4).readInt32LE(0));
const REPLAY_PATH = process.env.FERRY_FUZZ_PATH || undefined;
const ONLY = (process.env.FERRY_FUZZ_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
/** Live scenario kinds to run (all by default): garbage, plain-tcp, hello-then-garbage, ... */
const KINDS = (process.env.FERRY_FUZZ_KINDS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const wanted = (name: string): boolean => ONLY.length === 0 || ONLY.includes(name);
const replayHint = (name: string, at?: string): string =>
  `FERRY_FUZZ_SEED=${SEED}${at ? ` FERRY_FUZZ_PATH='${at}'` : ''} FERRY_FUZZ_ONLY=${name} node tests/run.mjs fuzz`;
const pathOf = (report: string): string | undefined => /path: "([^"]*)"/.exec(report)?.[1];

const POOLS: Pools = { unsafePaths: UNSAFE_PATHS.map(([p]) => p), longPath: LONG_PATH_4096 };

// Printed once up front as well, so even a run killed from outside shows it.
console.log(`# fuzz: seed ${SEED} (FERRY_FUZZ_SEED), ${SECONDS} s of fuzzing (FERRY_FUZZ_SECONDS)`);

// ---- 1 and 2: properties in a watched worker ----

/** How long past its budget a worker may take (startup, shrinking a failure) before it counts as hung. */
const GRACE_S = 15;

async function runProperties(t: TestContext, props: Array<{ name: PropertyName; share: number }>, seconds: number): Promise<void> {
  const chosen = props.filter((p) => wanted(p.name));
  if (chosen.length === 0) return void t.skip('not in FERRY_FUZZ_ONLY');
  const progress = new SharedArrayBuffer(12);
  const counters = new Int32Array(progress);
  const shares = chosen.reduce((n, p) => n + p.share, 0);
  const input: WorkerInput = {
    ferryFuzz: true,
    props: chosen.map((p) => ({ name: p.name, budgetMs: Math.max(250, (seconds * 1000 * p.share) / shares) })),
    seed: SEED,
    ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}),
    pools: POOLS,
    progress,
  };
  t.diagnostic(`seed ${SEED}`);
  const tsx = import.meta.resolve('tsx/esm/api');
  const fixture = new URL('../fixtures/fuzz-protocol.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(fixture)}); });`, {
    eval: true,
    workerData: input,
  });
  const results: WorkerResult[] = [];
  const budget = input.props.reduce((n, p) => n + p.budgetMs, 0);
  try {
    await new Promise<void>((resolve, reject) => {
      // Budget plus room for startup and for shrinking a failure.
      const watchdog = setTimeout(
        () => {
          const name = input.props[Atomics.load(counters, 0)]?.name ?? '?';
          const calls = Atomics.load(counters, 1);
          // Before any failure, run #n is fast-check's path "n"; while replaying, it is the path replayed.
          const at = REPLAY_PATH ?? String(calls - 1);
          reject(
            new Error(
              `${name} did not finish ${(budget / 1000 + GRACE_S).toFixed(0)} s after it started: run #${calls - 1} hangs (an endless loop? a regular expression backtracking?). ` +
                `seed ${SEED}. Replay that run: ${replayHint(name, at)}`,
            ),
          );
        },
        budget + GRACE_S * 1000,
      );
      worker.on('message', (m: WorkerResult | { done: true }) => {
        if ('done' in m) {
          clearTimeout(watchdog);
          resolve();
        } else results.push(m);
      });
      worker.once('error', (err) => {
        clearTimeout(watchdog);
        reject(new Error(`the fuzz worker crashed (seed ${SEED}): ${err.stack ?? String(err)}`));
      });
      worker.once('exit', (code) => {
        clearTimeout(watchdog);
        reject(new Error(`the fuzz worker exited (${code}) before it finished (seed ${SEED})`));
      });
    });
  } finally {
    await worker.terminate();
  }
  for (const r of results) {
    await t.test(r.name, () => {
      t.diagnostic(`${r.name}: ${r.runs} runs in ${(r.ms / 1000).toFixed(1)} s, seed ${SEED}`);
      if (!r.ok) {
        assert.fail(
          `${r.name} failed with seed ${SEED}\n${r.report}\n${r.notes.join('\n')}\nReplay: ${replayHint(r.name, r.report ? pathOf(r.report) : undefined)}`,
        );
      }
    });
  }
}

// Long local runs (FERRY_FUZZ_SECONDS=600) must outlast the runner's default per-test timeout.
const timeoutFor = (fuzzSeconds: number): { timeout: number } => ({ timeout: (fuzzSeconds + GRACE_S + 120) * 1000 });

test(
  'fuzz: frame reader — any split of valid frames decodes the same; mutated streams decode or fail with BAD_FRAME/BAD_JSON, bounded',
  timeoutFor(SECONDS * 0.25),
  async (t) => {
    await runProperties(
      t,
      [
        { name: 'frame-split', share: 1 },
        { name: 'frame-mutated', share: 1 },
      ],
      SECONDS * 0.25,
    );
  },
);

test(
  'fuzz: header validator — accepts exactly what the documentation allows, rejects with documented codes, no prototype pollution',
  timeoutFor(SECONDS * 0.25),
  async (t) => {
    await runProperties(
      t,
      [
        { name: 'validator-mutated', share: 5 },
        { name: 'validator-random', share: 3 },
        { name: 'wire-path', share: 2 },
      ],
      SECONDS * 0.25,
    );
  },
);

// ---- 3: a live receiver ----

/**
 * Every hello the live test sends is built here: the one a well-behaved peer sends for the
 * certificate `c` presented (deviceId = its fingerprint, a fresh nonce). Scenarios mutate it
 * afterwards. The validator's model of hello is HELLO_FIELDS in fixtures/fuzz-protocol.ts.
 */
function hello(c: RawClient): Json {
  return helloOf(c.identity, { deviceName: 'fuzz', appVersion: 'fuzz' });
}

type LiveFile = { path: string; size: number; mtime: number; seed: number } | { path: string; dir: true };
const isDirEntry = (f: LiveFile): f is { path: string; dir: true } => 'dir' in f;

/** Devices several connections share (same certificate, same partial names); -1 in a scenario means a device of its own. */
const DEVICES: LocalIdentity[] = [identity('fuzz shared 1'), identity('fuzz shared 2'), identity('fuzz shared 3')];

/** A fixed set of names several connections share, so partials, resumes and superseding happen. */
const SHARED_FILES: LiveFile[] = [
  { path: 'fuzz/a.txt', size: 5, mtime: 1_700_000_000_000, seed: 1 },
  { path: 'fuzz/big.bin', size: 300_000, mtime: 1_600_000_000_123, seed: 2 },
  { path: 'fuzz/empty', size: 0, mtime: 0, seed: 3 },
  { path: 'e\u0301/x.txt', size: 1000, mtime: -1000, seed: 4 },
  { path: '\u00e9/x.txt', size: 1000, mtime: -1000, seed: 5 },
  { path: 'CONSOLE', size: 3, mtime: DOC.maxMtime, seed: 6 },
  { path: 'far/past', size: 7, mtime: -DOC.maxMtime, seed: 7 },
  { path: '日本語/ファイル.txt', size: 2000, mtime: 1e12, seed: 8 },
  { path: 'fuzz', dir: true },
  { path: 'dir/sub', dir: true },
  { path: 'fuzz/a.txt/inside', size: 1, mtime: 0, seed: 9 },
  { path: LONG_PATH_4096, size: 10, mtime: 0, seed: 10 },
  { path: `${'deep/'.repeat(30)}f`, size: 4, mtime: 5, seed: 11 },
];

type How = 'correct' | 'bad-md5' | 'short' | 'long' | 'bad-offset' | 'cut' | 'error-before' | 'error-mid' | 'twice' | 'wrong-index';
type Op =
  | { op: 'file'; at: number; how: How; chunk: number; code: string }
  | { op: 'text'; text: string }
  | { op: 'end' }
  | { op: 'cancel' }
  | { op: 'error'; code: string };

type Step =
  | { t: 'hello'; mutations?: Mutation[] }
  | { t: 'await'; type: string | null; ms: number }
  | { t: 'text'; text: string }
  | { t: 'raw'; bytes: Uint8Array; pieces: number }
  | {
      t: 'offer';
      entries: LiveFile[];
      countDelta: number;
      bytesDelta: number;
      /** A hostile files frame: its text, the counts the offer announces, and its entries when they are known exactly. */
      files?: { text: string; count: number; bytes: number; known: LiveFile[] | null };
    }
  | { t: 'stream'; ops: Op[] }
  | {
      t: 'session';
      entries: LiveFile[];
      mutations: Array<typeof byteMutationArb extends fc.Arbitrary<infer M> ? M : never>;
      pieces: number;
    }
  | { t: 'end'; ms: number };

interface Scenario {
  kind: string;
  /** Index into DEVICES, or -1 for a device of its own. */
  device: number;
  /** Plain TCP instead of TLS: what the receiver does with bytes that are no TLS handshake. */
  plain?: boolean;
  steps: Step[];
  /** A well-behaved sender: every file must be verified and the receiver must say end. */
  clean: boolean;
  lingerMs: number;
  /** Keeps writing after the receiver said error (others stop, as a sender that reads does). */
  stubborn: boolean;
}

function liveFileArb(arbs: Arbs): fc.Arbitrary<LiveFile> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SHARED_FILES) },
    {
      weight: 3,
      arbitrary: fc.record({
        path: arbs.validPath,
        size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 }), fc.constant(300_000)),
        mtime: intIn(-DOC.maxMtime, DOC.maxMtime),
        seed: fc.nat(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ path: arbs.validPath, dir: fc.constant(true as const) }) },
  );
}

/** An entry as a LiveFile (null-safe for what a hostile list holds; its content is made up). */
function asLiveFile(e: Json): LiveFile {
  const p = typeof e.path === 'string' ? e.path : String(e.path);
  if (e.dir !== undefined) return { path: p, dir: true };
  return { path: p, size: typeof e.size === 'number' ? e.size : -1, mtime: typeof e.mtime === 'number' ? e.mtime : 0, seed: 0 };
}

/** An offer the receiver must take: unique NFC paths, no file that is also a folder. */
function offerOk(entries: LiveFile[]): boolean {
  const files = new Set(entries.filter((e) => !isDirEntry(e)).map((e) => e.path.normalize('NFC')));
  return entries.every((e) => {
    const parts = e.path.normalize('NFC').split('/');
    return parts.every((_, i) => i === 0 || !files.has(parts.slice(0, i).join('/')));
  });
}

let cleanRuns = 0;

function scenarioArb(arbs: Arbs): fc.Arbitrary<Scenario> {
  const device = fc.constantFrom(-1, -1, -1, 0, 1, 2);
  const linger = fc.constantFrom(0, 0, 50, 200, 600);
  const file = liveFileArb(arbs);
  const entries = fc.uniqueArray(file, { minLength: 1, maxLength: 5, selector: (e) => e.path.normalize('NFC') });
  const garbageBytes = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.uint8Array({ minLength: 1, maxLength: 8 }));
  const pieces = fc.integer({ min: 1, max: 12 });
  const messageText = fc.oneof(
    arbs.validMessage.map((m) => toText(m)),
    fc.tuple(arbs.validMessage, arbs.mutations).map(([m, muts]) => toText(mutate(m, muts, POOLS.unsafePaths))),
  );
  const code = fc.oneof(fc.constantFrom('SOURCE_CHANGED', 'IO_ERROR', 'INTERNAL', 'BAD_MESSAGE', 'TIMEOUT'), fc.string({ maxLength: 10 }));
  const how = fc.constantFrom<How>(
    'correct',
    'correct',
    'correct',
    'bad-md5',
    'short',
    'long',
    'bad-offset',
    'cut',
    'error-before',
    'error-mid',
    'twice',
    'wrong-index',
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        op: fc.constant('file' as const),
        at: fc.nat(),
        how,
        chunk: fc.constantFrom(1, 7, 1000, 65_536, 1 << 20),
        code,
      }),
    },
    { weight: 2, arbitrary: messageText.map((text) => ({ op: 'text' as const, text })) },
    { weight: 1, arbitrary: fc.constant({ op: 'end' as const }) },
    { weight: 1, arbitrary: fc.constant({ op: 'cancel' as const }) },
    { weight: 1, arbitrary: code.map((c) => ({ op: 'error' as const, code: c })) },
  );
  const ops = fc.array(op, { minLength: 1, maxLength: 6 });
  const hostileEntry: fc.Arbitrary<Json> = fc.oneof(
    arbs.unsafePath.map((p) => ({ path: p, size: 1, mtime: 0 })),
    arbs.unsafePath.map((p) => ({ path: p, dir: true })),
    arbs.entry.map((e) => e as Json),
  );
  const scenario = (kind: string, steps: fc.Arbitrary<Step[]>, clean = false, plain = false): fc.Arbitrary<Scenario> =>
    fc.record({
      kind: fc.constant(kind),
      device,
      steps,
      clean: fc.constant(clean),
      lingerMs: linger,
      plain: fc.constant(plain),
      stubborn: fc.constantFrom(true, false, false, false),
    });

  const all = fc.oneof(
    {
      weight: 2,
      arbitrary: scenario(
        'garbage',
        fc.tuple(garbageBytes, pieces).map(([bytes, n]) => [{ t: 'raw', bytes, pieces: n }]),
      ),
    },
    {
      weight: 1,
      arbitrary: scenario(
        'plain-tcp',
        fc
          .tuple(
            fc.oneof(
              garbageBytes,
              messageText.map((text) => frameBytes(text)),
            ),
            pieces,
          )
          .map(([bytes, n]): Step[] => [
            { t: 'raw', bytes, pieces: n },
            { t: 'await', type: null, ms: 300 },
          ]),
        false,
        true,
      ),
    },
    {
      weight: 2,
      arbitrary: scenario(
        'hello-then-garbage',
        fc
          .tuple(garbageBytes, pieces, fc.array(messageText, { maxLength: 3 }))
          .map(([bytes, n, texts]) => [
            { t: 'hello' },
            { t: 'await', type: 'hello', ms: 2000 },
            ...texts.map((text): Step => ({ t: 'text', text })),
            { t: 'raw', bytes, pieces: n },
          ]),
      ),
    },
    {
      weight: 2,
      arbitrary: scenario(
        'bad-hello',
        fc.oneof(
          arbs.mutations.map((mutations): Step[] => [
            { t: 'hello', mutations },
            { t: 'await', type: null, ms: 1000 },
          ]),
          messageText.map((text): Step[] => [
            { t: 'text', text },
            { t: 'await', type: null, ms: 1000 },
          ]),
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: scenario(
        'mutated-session',
        fc.tuple(entries, fc.array(byteMutationArb, { minLength: 1, maxLength: 4 }), pieces).map(([e, mutations, n]) => [
          { t: 'session', entries: e, mutations, pieces: n },
          { t: 'await', type: null, ms: 300 },
        ]),
      ),
    },
    {
      weight: 3,
      arbitrary: scenario(
        'hostile-offer',
        fc
          .tuple(
            entries,
            fc.array(hostileEntry, { maxLength: 3 }),
            fc.nat(),
            fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arbs.mutations }),
            fc.constantFrom(0, 0, 0, -1, 1),
            fc.constantFrom(0, 0, 0, -1, 1, DOC.maxSize),
            fc.boolean(),
            ops,
          )
          .map(([good, bad, at, muts, countDelta, bytesDelta, early, o]) => {
            const list: Json[] = good.map((e) =>
              isDirEntry(e) ? { path: e.path, dir: true } : { path: e.path, size: e.size, mtime: e.mtime },
            );
            list.splice(at % (list.length + 1), 0, ...bad);
            const files = muts ? mutate({ type: 'files', entries: list }, muts, POOLS.unsafePaths) : { type: 'files', entries: list };
            // entryCount and totalBytes as the list before mutation needs them (then the delta).
            const bytes = list.reduce((n, e) => n + (e.dir === undefined && typeof e.size === 'number' ? e.size : 0), 0);
            const steps: Step[] = [
              { t: 'hello' },
              { t: 'await', type: 'hello', ms: 2000 },
              {
                t: 'offer',
                entries: good,
                countDelta,
                bytesDelta,
                files: { text: toText(files), count: list.length, bytes, known: muts ? null : list.map(asLiveFile) },
              },
            ];
            // Data straight after the offer (before any answer), or once the answer is in.
            if (!early) steps.push({ t: 'await', type: 'answer', ms: 2000 });
            steps.push({ t: 'stream', ops: o });
            return steps;
          }),
      ),
    },
    {
      weight: 2,
      arbitrary: scenario(
        'data-before-acceptance',
        fc
          .tuple(entries, ops)
          .map(([e, o]) => [
            { t: 'hello' },
            { t: 'await', type: 'hello', ms: 2000 },
            { t: 'offer', entries: e, countDelta: 0, bytesDelta: 0 },
            { t: 'stream', ops: o },
            { t: 'await', type: null, ms: 300 },
          ]),
      ),
    },
    {
      weight: 3,
      arbitrary: scenario(
        'transfer',
        fc
          .tuple(entries, ops, fc.boolean())
          .map(([e, o, end]) => [
            { t: 'hello' },
            { t: 'await', type: 'hello', ms: 2000 },
            { t: 'offer', entries: e, countDelta: 0, bytesDelta: 0 },
            { t: 'await', type: 'answer', ms: 3000 },
            { t: 'stream', ops: o },
            ...(end ? [{ t: 'end', ms: 3000 } as Step] : []),
          ]),
      ),
    },
    {
      weight: 2,
      arbitrary: scenario(
        'clean',
        fc
          .tuple(
            fc.constant(null).map(() => `clean-${++cleanRuns}`), // a folder no other connection uses
            fc.uniqueArray(liveFileArb(arbs), { minLength: 1, maxLength: 4, selector: (e) => e.path.normalize('NFC') }),
            fc.constantFrom(1000, 65_536, 1 << 20),
          )
          .map(([root, list, chunk]) => {
            // Under a folder of its own: nothing an earlier connection left can be in the way.
            const e = list
              .map((f): LiveFile =>
                isDirEntry(f)
                  ? { path: `${root}/${f.path}`, dir: true }
                  : { ...f, path: `${root}/${f.path}`, mtime: 1_600_000_000_000 + f.seed },
              )
              .filter((f) => specPathOk(f.path) && Buffer.byteLength(f.path) < 3000);
            return { e: e.length && offerOk(e) ? e : [{ path: `${root}/only.txt`, size: 10, mtime: 0, seed: 1 }], chunk };
          })
          .map(({ e, chunk }) => [
            { t: 'hello' },
            { t: 'await', type: 'hello', ms: 5000 },
            { t: 'offer', entries: e, countDelta: 0, bytesDelta: 0 },
            { t: 'await', type: 'answer', ms: 8000 },
            {
              t: 'stream',
              ops: e.filter((f) => !isDirEntry(f)).map((_, i): Op => ({ op: 'file', at: i, how: 'correct', chunk, code: '' })),
            },
            { t: 'end', ms: 15_000 },
          ]),
        true,
      ),
    },
    {
      weight: 2,
      arbitrary: scenario(
        'random-messages',
        fc
          .array(
            fc.oneof(
              messageText.map((text): Step => ({ t: 'text', text })),
              fc.constant<Step>({ t: 'await', type: null, ms: 100 }),
            ),
            { minLength: 1, maxLength: 8 },
          )
          .map((s) => [{ t: 'hello' }, { t: 'await', type: 'hello', ms: 2000 }, ...s]),
      ),
    },
    {
      weight: 1,
      arbitrary: scenario(
        'half-a-frame',
        fc.nat().map((n): Step[] => [
          {
            t: 'raw',
            bytes: frameBytes(JSON.stringify({ type: 'hello', protocol: '1.0', deviceId: 'ab'.repeat(32) })).subarray(0, 1 + (n % 60)),
            pieces: 1,
          },
        ]),
      ),
    },
  );
  return KINDS.length ? all.filter((sc) => KINDS.includes(sc.kind)) : all;
}

// ---- running a scenario ----

const contents = new Map<string, Buffer>();
function content(f: { size: number; seed: number }): Buffer {
  const key = `${f.seed}:${f.size}`;
  let b = contents.get(key);
  if (!b) {
    b = Buffer.alloc(f.size);
    let x = (f.seed * 2654435761) | 1;
    for (let i = 0; i < f.size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff;
    }
    contents.set(key, b);
  }
  return b;
}
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
/** A delay for Promise.race that does not keep the process alive once the race is over. */
const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** When the live fuzzing stops: scenarios still running then skip their remaining steps. */
let stopAt = Infinity;

interface Run {
  sc: Scenario;
  /** Cut short at stopAt (so not judged as a complete transfer). */
  cut?: boolean;
  c: RawClient;
  closed: boolean;
  /** The offer's entries exactly as sent (null when the offer was mangled or never sent). */
  offer: LiveFile[] | null;
  /** A path the receiver must refuse, which the files frame carried. */
  unsafeOffer: unknown;
  resume: Map<number, { offset: number; md5: string }>;
}

const silenced = (run: Run): boolean => run.closed || (!run.sc.stubborn && run.c.messages.some((m) => m.type === 'error'));
function send(run: Run, msg: Json): void {
  if (!silenced(run)) run.c.send(msg);
}
function sendRaw(run: Run, bytes: Uint8Array): void {
  if (!silenced(run) && bytes.length) run.c.sendRaw(Buffer.from(bytes));
}
function sendText(run: Run, text: string): void {
  if (!text) return;
  // Another offer or file list may change what the entry indices mean: stop judging by them.
  if (/"type"\s*:\s*"(offer|files)"/.test(text)) run.offer = null;
  sendRaw(run, frameBytes(text));
}

/** Waits for a message of `type` (any new one for null) after index `from`; null on close or timeout. */
async function awaitMessage(run: Run, from: number, type: string | null, ms: number, untilStop = true): Promise<Json | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = run.c.messages.slice(from).find((x) => type === null || x.type === type);
    if (m) return m;
    if (run.closed || Date.now() > deadline) return null;
    if (untilStop && Date.now() > stopAt) {
      run.cut = true;
      return null;
    }
    await sleep(5);
  }
}

/** Frames that send file `index` of the offer, well or in one of many wrong ways. */
function fileFrames(run: Run, o: Extract<Op, { op: 'file' }>): void {
  const files = (run.offer ?? []).map((f, i) => [f, i] as const).filter(([f]) => !isDirEntry(f)) as Array<
    readonly [{ path: string; size: number; mtime: number; seed: number }, number]
  >;
  if (files.length === 0 || o.how === 'wrong-index') {
    const file = files.length === 0 ? o.at % 300_000 : run.offer!.length + (o.at % 3);
    send(run, { type: 'data', file, offset: 0, length: 3 });
    sendRaw(run, Buffer.from('abc'));
    send(run, { type: 'file-end', file, md5: md5(Buffer.from('abc')) });
    return;
  }
  const [f, file] = files[o.at % files.length]!;
  if (!(f.size >= 0 && f.size <= 1_000_000)) {
    // A size no test should allocate (up to 2^53): its first bytes, then the connection ends mid-file.
    send(run, { type: 'data', file, offset: 0, length: 1000 });
    sendRaw(run, Buffer.alloc(1000, 0x42));
    return;
  }
  const body = content(f);
  const point = run.resume.get(file);
  let start = point && point.offset <= f.size && md5(body.subarray(0, point.offset)) === point.md5 ? point.offset : 0;
  if (o.how === 'error-before') {
    send(run, { type: 'file-error', file, code: o.code, message: 'fuzz: could not read it' });
    return;
  }
  let end = f.size;
  if (o.how === 'short' && f.size > 0) end = f.size - 1;
  if (o.how === 'long') end = f.size + 1 + (o.chunk % 100);
  if (o.how === 'bad-offset') start = start + 1;
  if (o.how === 'cut' || o.how === 'error-mid') end = Math.min(end, start + Math.floor((f.size - start) / 2));
  const chunk = Math.max(o.chunk, Math.ceil((end - start) / 64));
  const payload = end > f.size ? Buffer.concat([body, Buffer.alloc(end - f.size, 0x55)]) : body;
  for (const times of o.how === 'twice' ? [0, 1] : [0]) {
    void times;
    for (let at = start; at < end; at += chunk) {
      const length = Math.min(chunk, end - at);
      send(run, { type: 'data', file, offset: at, length });
      sendRaw(run, payload.subarray(at, at + length));
    }
    if (o.how === 'cut') {
      // Declare more than follows: the connection ends mid-body.
      send(run, { type: 'data', file, offset: end, length: Math.max(1, f.size - end) });
      sendRaw(run, payload.subarray(end, end + Math.floor((f.size - end) / 2)));
      return;
    }
    if (o.how === 'error-mid') {
      send(run, { type: 'file-error', file, code: o.code, message: 'fuzz: changed while sending' });
      return;
    }
    send(run, { type: 'file-end', file, md5: o.how === 'bad-md5' ? md5(Buffer.concat([body, Buffer.from('x')])) : md5(body) });
  }
}

function offerFrames(
  entries: LiveFile[],
  countDelta = 0,
  bytesDelta = 0,
  totals?: { count: number; bytes: number },
): { offer: Json; files: Json } {
  const list = entries.map((e) => (isDirEntry(e) ? { path: e.path, dir: true } : { path: e.path, size: e.size, mtime: e.mtime }));
  const count = totals?.count ?? list.length;
  const bytes = totals?.bytes ?? entries.reduce((n, e) => n + (isDirEntry(e) ? 0 : e.size), 0);
  return {
    offer: {
      type: 'offer',
      transferId: `fuzz-${randomBytes(6).toString('hex')}`,
      entryCount: Math.max(0, count + countDelta),
      totalBytes: Math.max(0, bytes + bytesDelta),
    },
    files: { type: 'files', entries: list },
  };
}

/** A path in a files frame (as text) that the receiver must refuse, or undefined. */
function unsafePathIn(text: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entries = (v as Json | null)?.entries;
  if (!Array.isArray(entries)) return undefined;
  const bad = entries.find(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      !Array.isArray(e) &&
      (typeof (e as Json).path !== 'string' || !specPathOk((e as Json).path as string)),
  );
  return bad ? ((bad as Json).path ?? null) : undefined;
}

async function runSteps(run: Run): Promise<void> {
  const { c, sc } = run;
  for (const step of sc.steps) {
    if (run.closed && step.t !== 'await') break;
    if (Date.now() > stopAt) {
      run.cut = true;
      break;
    }
    const from = c.messages.length;
    switch (step.t) {
      case 'hello': {
        const h = hello(c);
        sendText(run, step.mutations ? toText(mutate(h, step.mutations, POOLS.unsafePaths)) : toText(h));
        break;
      }
      case 'await': {
        const m = await awaitMessage(run, step.type === null ? from : 0, step.type, step.ms);
        if (m?.type === 'answer' && m.accept === true) {
          // The resume points follow the answer at once.
          const deadline = Date.now() + 1000;
          const points = (): Json[] =>
            c.messages.filter((x) => x.type === 'resume').flatMap((x) => (Array.isArray(x.entries) ? (x.entries as Json[]) : []));
          while (points().length < (m.resumeCount as number) && !run.closed && Date.now() < deadline) await sleep(5);
          for (const p of points()) run.resume.set(p.file as number, { offset: p.offset as number, md5: p.md5 as string });
        }
        break;
      }
      case 'text':
        sendText(run, step.text);
        break;
      case 'raw': {
        const size = Math.ceil(step.bytes.length / step.pieces);
        for (let at = 0; at < step.bytes.length; at += size) {
          sendRaw(run, step.bytes.subarray(at, at + size));
          if (step.pieces > 1) await sleep(1);
        }
        break;
      }
      case 'offer': {
        const { offer, files } = offerFrames(step.entries, step.countDelta, step.bytesDelta, step.files);
        send(run, offer);
        if (step.files) {
          sendText(run, step.files.text);
          run.unsafeOffer = unsafePathIn(step.files.text);
          run.offer = step.files.known;
        } else {
          send(run, files);
          run.offer = step.entries;
        }
        break;
      }
      case 'stream':
        for (const o of step.ops) {
          if (run.closed) break;
          if (o.op === 'file') fileFrames(run, o);
          else if (o.op === 'text') sendText(run, o.text);
          else if (o.op === 'end') send(run, { type: 'end' });
          else if (o.op === 'cancel') send(run, { type: 'cancel', message: 'fuzz' });
          else send(run, { type: 'error', code: o.code, message: 'fuzz' });
          await sleep(0);
        }
        break;
      case 'session': {
        const { offer, files } = offerFrames(step.entries);
        const frames: Buffer[] = [frameBytes(toText(hello(c))), frameBytes(toText(offer)), frameBytes(toText(files))];
        step.entries.forEach((f, file) => {
          if (isDirEntry(f)) return;
          const body = content(f);
          if (body.length) frames.push(frameBytes(toText({ type: 'data', file, offset: 0, length: body.length }), body));
          frames.push(frameBytes(toText({ type: 'file-end', file, md5: md5(body) })));
        });
        frames.push(frameBytes('{"type":"end"}'));
        const starts: number[] = [];
        frames.reduce((at, f) => (starts.push(at), at + f.length), 0);
        const bytes = mutateBytes(Buffer.concat(frames), starts, step.mutations);
        const size = Math.ceil(bytes.length / step.pieces);
        for (let at = 0; at < bytes.length; at += size) {
          sendRaw(run, bytes.subarray(at, at + size));
          await sleep(1);
        }
        break;
      }
      case 'end':
        send(run, { type: 'end' });
        await awaitMessage(run, from, 'end', step.ms);
        break;
    }
  }
}

interface LiveStats {
  connections: number;
  kinds: Record<string, number>;
  codes: Record<string, number>;
  accepted: number;
  verified: number;
  cleanOk: number;
  refused: number;
}

/** Everything the receiver said on one connection, checked against the protocol. */
function checkConversation(
  run: Run,
  closedInTime: boolean,
  validate: (m: Json) => unknown,
  isCode: (c: unknown) => boolean,
  stats: LiveStats,
): string[] {
  const problems: string[] = [];
  const msgs = run.c.messages;
  const say = (what: string): void => void problems.push(what);
  let accepted: Json | null = null;
  let points = 0;
  let lastWasAnswerOrResume = false;
  msgs.forEach((m, i) => {
    try {
      validate(m);
    } catch (err) {
      say(`message ${i} breaks the protocol (${String(err)}): ${JSON.stringify(m).slice(0, 300)}`);
    }
    if (i === 0 && m.type !== 'hello' && m.type !== 'error') say(`the first message is ${String(m.type)}`);
    if (i > 0 && ['error', 'end', 'cancel'].includes(msgs[i - 1]!.type as string))
      say(`${String(m.type)} after ${String(msgs[i - 1]!.type)}`);
    if (m.type === 'hello' && i !== 0) say('a second hello');
    if (m.type === 'error' || (m.type === 'verdict' && m.ok === false) || (m.type === 'answer' && m.accept === false)) {
      const code = m.code as string;
      stats.codes[`${String(m.type)}:${code}`] = (stats.codes[`${String(m.type)}:${code}`] ?? 0) + 1;
      if (!isCode(code)) say(`an undocumented code ${JSON.stringify(code)}`);
      // (A failing verdict may say INTERNAL: it echoes the code of the sender's file-error, §5.8.)
      if (code === 'INTERNAL' && m.type === 'error') say(`INTERNAL (a bug in the receiver): ${JSON.stringify(m).slice(0, 400)}`);
    }
    if (m.type === 'answer') {
      if (msgs.slice(0, i).some((x) => x.type === 'answer')) say('a second answer');
      if (m.accept === true) {
        accepted = m;
        stats.accepted++;
        if (run.unsafeOffer !== undefined)
          say(`accepted an offer that lists the unsafe path ${JSON.stringify(run.unsafeOffer)}: ${JSON.stringify(m)}`);
      }
    }
    if (m.type === 'resume') {
      if (!lastWasAnswerOrResume || !accepted) say('resume points that do not follow an accepting answer');
      for (const p of Array.isArray(m.entries) ? (m.entries as Json[]) : []) {
        points++;
        const f = run.offer?.[p.file as number];
        if (run.offer && (!f || isDirEntry(f) || (p.offset as number) > f.size))
          say(`a resume point that does not fit the offer: ${JSON.stringify(p)}`);
      }
    } else if (lastWasAnswerOrResume && accepted && points !== (accepted.resumeCount as number)) {
      say(`${points} resume points for a resumeCount of ${String(accepted.resumeCount)}`);
    }
    if (m.type === 'verdict') {
      if (!accepted) say('a verdict before any accepting answer');
      if (m.ok === true) stats.verified++;
      const f = run.offer?.[m.file as number];
      if (run.offer && (!f || isDirEntry(f))) say(`a verdict for ${String(m.file)}, which is not a file of the offer`);
    }
    lastWasAnswerOrResume = m.type === 'answer' || m.type === 'resume';
  });
  if (msgs.some((m) => m.type === 'error') && !closedInTime) say('the receiver sent error but did not close the connection');
  if (run.sc.clean && !run.cut) {
    const files = (run.offer ?? []).map((f, i) => [f, i] as const).filter(([f]) => !isDirEntry(f));
    const ok = files.every(([, i]) => msgs.some((m) => m.type === 'verdict' && m.file === i && m.ok === true));
    if (!ok || !msgs.some((m) => m.type === 'end')) {
      say(`a well-behaved transfer did not complete: ${JSON.stringify(msgs).slice(0, 800)}`);
    } else stats.cleanOk++;
  }
  return problems;
}

/** Connects as `id`; null when the receiver closed the connection during the TLS handshake (at its caps). */
async function connect(port: number, id: LocalIdentity, plain = false): Promise<RawClient | null> {
  try {
    return plain ? await RawClient.connectPlain(port, '127.0.0.1') : await RawClient.connect(port, '127.0.0.1', id);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|hang up/i.test(String(err))) return null;
    throw err;
  }
}

async function runScenario(
  port: number,
  sc: Scenario,
  check: (run: Run, closedInTime: boolean) => string[],
  stats: LiveStats,
): Promise<string[]> {
  const c = await connect(port, sc.device < 0 ? identity('fuzz') : DEVICES[sc.device]!, sc.plain);
  if (!c) {
    stats.refused++;
    return [];
  }
  const run: Run = { sc, c, closed: false, offer: null, unsafeOffer: undefined, resume: new Map() };
  void c.closed.then(() => (run.closed = true));
  let closedInTime = true;
  try {
    await Promise.race([runSteps(run), later(40_000)]);
    if (sc.lingerMs > 0) await Promise.race([c.closed, later(sc.lingerMs)]);
    if (c.messages.some((m) => m.type === 'error'))
      closedInTime = await Promise.race([c.closed.then(() => true), later(2000).then(() => false)]);
  } finally {
    c.close();
  }
  const problems = check(run, closedInTime);
  return problems.map((p) => `[${sc.kind}${sc.device >= 0 ? `, shared device ${sc.device}` : ''}] ${p}`);
}

/** hello → hello, end → end: the receiver is alive and in protocol. Retries while it is at its connection caps. */
async function probe(port: number): Promise<string | null> {
  // Connections closed by their peer may hold a slot for up to 5 s (see the "fuzz finding" test).
  for (const deadline = Date.now() + 8000; Date.now() < deadline;) {
    const c = await connect(port, identity('fuzz probe'));
    if (!c) {
      await sleep(100);
      continue;
    }
    const run: Run = {
      sc: { kind: 'probe', device: -1, steps: [], clean: false, lingerMs: 0, stubborn: false },
      c,
      closed: false,
      offer: null,
      unsafeOffer: undefined,
      resume: new Map(),
    };
    void c.closed.then(() => (run.closed = true));
    try {
      send(run, hello(c));
      const first = await awaitMessage(run, 0, null, 10_000, false);
      if (first?.type !== 'hello') return `the probe got ${JSON.stringify(first)} instead of hello`;
      send(run, { type: 'end' });
      const end = await awaitMessage(run, 1, null, 10_000, false);
      return end?.type === 'end' ? null : `the probe got ${JSON.stringify(end)} instead of end`;
    } finally {
      c.close();
    }
  }
  return 'the receiver refused every connection for 8 s';
}

/**
 * §2 and §12: a connection its peer has closed is over, and no longer counts against the
 * connection caps — also when the peer was still writing as the receiver said `error`.
 * 16 such connections (the per-address cap) must not lock the address out for seconds.
 */
async function slotsFreedPromptly(port: number): Promise<string | null> {
  const clients = await Promise.all(Array.from({ length: 16 }, () => connect(port, identity('fuzz slot'))));
  if (clients.some((c) => c === null)) return 'the receiver refused one of 16 connections on a quiet address';
  await Promise.all(
    clients.map(async (c) => {
      c!.sendRaw(Buffer.from([0, 0, 0, 0])); // BAD_FRAME: the receiver says error and closes
      for (let i = 0; i < 5; i++) {
        await sleep(2); // the peer was still writing meanwhile
        c!.sendRaw(Buffer.alloc(10, 1));
      }
      c!.close();
      await c!.closed;
    }),
  );
  await sleep(500);
  const c = await connect(port, identity('fuzz slot probe'));
  if (!c) {
    return (
      '0.5 s after 16 connections were closed by their peer, a new connection from the same address was dropped during the TLS handshake: ' +
      'the receiver still counts them against its per-address cap (they stay open until the 5 s destroy timer of Connection.close, which paused reading and so never sees the peer close)'
    );
  }
  c.close();
  return null;
}

async function rssOf(pid: number): Promise<number | null> {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(await fs.readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const RSS_LIMIT = 200 * 1024 * 1024;

/** Newest mtime of the TypeScript sources the CLI is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (d.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** A fast-check failure, its counterexample shortened (a batch can hold 100 KB of garbage), and what went wrong. */
function summarize(err: Error): string {
  const text = err.message.replace(
    /^Counterexample: (.*)$/m,
    (_, ce: string) => `Counterexample: ${ce.length > 4000 ? `${ce.slice(0, 4000)}… (${ce.length} characters)` : ce}`,
  );
  const cause = err.cause instanceof Error ? `\nGot: ${err.cause.message}` : '';
  return `${text}${cause}`;
}

type Of<K extends TransferEvent['event']> = Extract<TransferEvent, { event: K }>;

test(
  'fuzz: a live receiver survives hostile connections, stays bounded, writes only safe names in its folder, and still receives',
  timeoutFor(SECONDS * 0.5),
  async (t) => {
    if (!wanted('live')) return void t.skip('not in FERRY_FUZZ_ONLY');
    t.diagnostic(`seed ${SEED}`);
    const cliJs = path.join(REPO, 'dist', 'main', 'hosts', 'cli', 'ferry.js');
    assert.ok(existsSync(cliJs), 'dist/ is missing: run `npm run build` first');
    if (newestSource(path.join(REPO, 'main')) > statSync(cliJs).mtimeMs) {
      t.diagnostic('warning: main/ has sources newer than dist/; the live part tests the last build (npm run build)');
    }
    // The receiver under test is the built one: judge what it says with its own validator.
    const distMessages = (await import(
      pathToFileURL(path.join(REPO, 'dist/main/core/protocol/messages.js')).href
    )) as typeof import('../../main/core/protocol/messages.js');
    const distErrors = (await import(
      pathToFileURL(path.join(REPO, 'dist/main/core/errors.js')).href
    )) as typeof import('../../main/core/errors.js');

    const parent = await tempDir('ferry-fuzz-live-');
    const downloads = path.join(parent, 'download');
    await fs.mkdir(downloads);
    const config = await tempDir('ferry-fuzz-rcfg-');
    const rx = startCli([
      'receive',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--accept',
      'all',
      '--json',
      '--dir',
      downloads,
      '--config',
      config,
    ]);
    // If this process is stopped from outside (a runner's timeout), take the receiver along.
    const killRx = (): void => void rx.child.kill('SIGKILL');
    const onTerm = (): void => {
      killRx();
      for (const dir of [parent, config]) rmSync(dir, { recursive: true, force: true });
      process.exit(143);
    };
    process.once('exit', killRx);
    process.once('SIGTERM', onTerm);
    t.after(() => {
      process.off('exit', killRx);
      process.off('SIGTERM', onTerm);
    });
    const { port } = (await rx.waitFor((e) => e.event === 'listening', 30_000)) as Of<'listening'>;
    const pid = rx.child.pid!;
    let stderr = '';
    rx.child.stderr!.on('data', (s: string) => (stderr += s));
    let exited: string | null = null;
    rx.child.once('exit', (code, signal) => (exited = `the receiver exited (${code ?? signal}); its stderr: ${stderr}`));
    let maxRss = (await rssOf(pid)) ?? 0;
    const startRss = maxRss;
    const sampler = setInterval(() => void rssOf(pid).then((r) => (maxRss = Math.max(maxRss, r ?? 0))), 100);
    t.after(() => clearInterval(sampler));

    const stats: LiveStats = { connections: 0, kinds: {}, codes: {}, accepted: 0, verified: 0, cleanOk: 0, refused: 0 };
    const arbs = makeArbs(POOLS);
    const check = (run: Run, closedInTime: boolean): string[] =>
      checkConversation(
        run,
        closedInTime,
        (m) => distMessages.validateMessage(m),
        (c) => distErrors.isErrorCode(c),
        stats,
      );
    const alive = async (): Promise<void> => {
      assert.equal(exited, null, exited ?? '');
      const rss = (await rssOf(pid)) ?? 0;
      maxRss = Math.max(maxRss, rss);
      assert.ok(maxRss < RSS_LIMIT, `the receiver's RSS reached ${(maxRss / 2 ** 20).toFixed(0)} MB (limit ${RSS_LIMIT / 2 ** 20} MB)`);
    };

    let batches = 0;
    const started = Date.now();
    const liveMs = SECONDS * 500;
    stopAt = started + liveMs;
    // fast-check's time limit does not wait for the run in flight: this does.
    let inflight: Promise<unknown> = Promise.resolve();
    let failure: Error | null = null;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(scenarioArb(arbs), { minLength: 1, maxLength: 8 }), (batch) => {
          const run = (async () => {
            batches++;
            await alive();
            for (const sc of batch) stats.kinds[sc.kind] = (stats.kinds[sc.kind] ?? 0) + 1;
            stats.connections += batch.length;
            const problems = (await Promise.all(batch.map((sc) => runScenario(port, sc, check, stats)))).flat();
            assert.deepEqual(problems, [], 'the receiver misbehaved');
            if (Date.now() < stopAt) {
              const p = await probe(port);
              assert.equal(p, null, p ?? '');
            }
            await alive();
          })();
          inflight = run;
          return run;
        }),
        {
          seed: SEED,
          ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}),
          numRuns: 1_000_000_000,
          endOnFailure: true, // no shrinking against a live process
          plugins: [fc.interruptAfterTimeLimit(liveMs)],
        },
      );
    } catch (err) {
      failure = err as Error;
    }
    try {
      await inflight;
    } catch (err) {
      // The batch that was still running when the time was up: fast-check ignores its outcome.
      failure ??= new Error(`batch #${batches - 1} failed: ${(err as Error).message}\n{ seed: ${SEED}, path: "${batches - 1}" }`, {
        cause: err,
      });
    }
    if (failure)
      throw new Error(`${summarize(failure)}\nreceiver stderr: ${stderr}\nReplay: ${replayHint('live', pathOf(failure.message))}`);
    const fuzzSeconds = (Date.now() - started) / 1000;

    // A real transfer at the end, through the real sender.
    await sleep(300);
    const src = await tempDir('ferry-fuzz-src-');
    const name = `final-${randomBytes(6).toString('hex')}.bin`;
    const payload = randomBytes(700_000);
    await fs.writeFile(path.join(src, name), payload);
    const sent = await startCli([
      'send',
      '--to',
      `127.0.0.1:${port}`,
      '--json',
      '--retries',
      '5',
      '--config',
      await tempDir('ferry-fuzz-scfg-'),
      path.join(src, name),
    ]).done;
    assert.equal(sent.code, 0, `a real ferry send failed after the fuzzing (seed ${SEED}): ${sent.stderr}${sent.stdout.slice(-2000)}`);
    const done = (await rx.waitFor((e) => e.event === 'file-done' && e.path === name, 10_000)) as Of<'file-done'>;
    assert.equal(
      await md5File(path.join(downloads, done.savedAs ?? name)),
      md5(payload),
      'the file that arrived differs from the one sent',
    );
    await alive();

    // Stop it, then look at the disk: nothing is being written any more.
    rx.child.kill('SIGTERM');
    const result = await Promise.race([rx.done, later(15_000).then(() => null)]);
    assert.ok(result, 'the receiver did not stop within 15 s of SIGTERM');
    clearInterval(sampler);

    assert.deepEqual(await fs.readdir(parent), ['download'], `something was written next to the download folder (seed ${SEED})`);
    const unsafe: string[] = [];
    let files = 0;
    let dirs = 0;
    async function walk(dir: string, rel: string): Promise<void> {
      for (const d of await fs.readdir(dir, { withFileTypes: true })) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          dirs++;
          await walk(path.join(dir, d.name), r);
        } else if (d.isFile()) files++;
        else unsafe.push(`${JSON.stringify(r)} is neither a file nor a folder`);
        if (wirePathProblem(r) !== null || !specPathOk(r))
          unsafe.push(`${JSON.stringify(r)}: ${wirePathProblem(r) ?? 'breaks PROTOCOL.md §7.1'}`);
        if (r !== r.normalize('NFC')) unsafe.push(`${JSON.stringify(r)} is not NFC`);
      }
    }
    await walk(downloads, '');
    assert.deepEqual(unsafe, [], `unsafe names in the download folder (seed ${SEED})`);

    // Nothing crashed inside: no INTERNAL of its own making, no stack traces or warnings.
    const internal = result.events.filter((e) => e.event === 'error' && e.code === 'INTERNAL' && !e.message.startsWith('peer error'));
    assert.deepEqual(internal, [], `the receiver reported internal errors (seed ${SEED})`);
    assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$|Unhandled|uncaught|Warning:/im, `the receiver's stderr: ${result.stderr}`);

    t.diagnostic(
      `live: ${batches} batches, ${stats.connections} connections in ${fuzzSeconds.toFixed(1)} s; ${stats.accepted} offers accepted, ` +
        `${stats.verified} files verified, ${stats.cleanOk} clean transfers, ${stats.refused} refused at the cap; ` +
        `RSS ${(startRss / 2 ** 20).toFixed(0)} → max ${(maxRss / 2 ** 20).toFixed(0)} MB; download folder: ${files} files, ${dirs} folders`,
    );
    t.diagnostic(`live scenarios: ${JSON.stringify(stats.kinds)}`);
    t.diagnostic(`live codes: ${JSON.stringify(stats.codes)}`);
  },
);

// Found by the live fuzzing above (the probe between batches kept being dropped although every
// fuzz connection was closed): pinned here deterministically, on a receiver of its own.
test('fuzz finding: connections their peer has closed free their connection slots at once', async (t) => {
  if (!wanted('slots')) return void t.skip('not in FERRY_FUZZ_ONLY');
  const r = await startReceiver();
  const problem = await slotsFreedPromptly(r.port);
  assert.equal(problem, null, `${problem}; the receiver still holds ${r.receiver.openConnections} connections`);
});
