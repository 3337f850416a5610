// The call tables (main/core/contract/commands.ts) and what derives from them: every command, host call
// and serve call has its checks and its channel, with the argument limits every edge has
// always had. The guarantees the compiler gives are pinned with @ts-expect-error below:
// `npm run typecheck` fails as soon as one of them stops being a compile error.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCall } from '../../main/core/app/validate-call.js';
import {
  COMMAND_NAMES,
  COMMANDS,
  HOST_CALL_NAMES,
  HOST_CALLS,
  SERVE_CALL_NAMES,
  SERVE_CALLS,
  WS_CALLS,
  type CallTable,
  type Check,
  type Commands,
  type HostCalls,
} from '../../main/core/contract/commands.js';
import { COMMAND_CHANNELS, HOST_CHANNELS } from '../../main/hosts/electron/channels.js';
import { FerryError } from '../../main/core/errors.js';

// ---- compile-time guarantees (checked by tsc, not at run time) ----

interface CommandsPlusOne extends Commands {
  frobnicate(what: string): void;
}

// Never called: tsc checks its body, the test runner never runs it.
export function compileErrors(aString: Check<string>, acceptOrDecline: Check<'accept' | 'decline'>): unknown[] {
  // @ts-expect-error a command in the interface but missing from the table
  const missing: CallTable<CommandsPlusOne> = COMMANDS;
  // @ts-expect-error a table entry that is no command
  const extra: CallTable<Commands> = { ...COMMANDS, frobnicate: [] };
  // @ts-expect-error a parameter without its check
  const tooFew: CallTable<HostCalls> = { ...HOST_CALLS, openReceived: [aString, aString] };
  // @ts-expect-error a check written for fewer values than the parameter takes ('always')
  const outgrown: CallTable<Commands> = { ...COMMANDS, answerOffer: [aString, acceptOrDecline] };
  // @ts-expect-error a check that refuses null, for a parameter that may be null
  const notNullable: CallTable<Commands> = { ...COMMANDS, setSecret: [aString] };
  return [missing, extra, tooFew, outgrown, notNullable];
}

// ---- at run time ----

const x = (n: number): string => 'x'.repeat(n);

/** For each call: arguments at every limit (accepted), then arguments just past one (refused). */
const LIMITS: Array<[table: 'commands' | 'host' | 'serve', name: string, ok: unknown[][], bad: unknown[][]]> = [
  ['commands', 'getState', [[]], [['extra'], [undefined]]],
  ['commands', 'getDiscoveryStatus', [[]], [[1]]],
  ['commands', 'getHistory', [[]], [[1]]],
  ['commands', 'getTransferFiles', [['t'], [x(128)]], [[''], [x(129)], [7], []]],
  [
    'commands',
    'sendPaths',
    [
      ['p', ['/a']],
      [x(512), [x(32_768)]],
      ['p', Array.from({ length: 10_000 }, (_, i) => `/f${i}`)],
    ],
    [
      ['', ['/a']],
      [x(513), ['/a']],
      ['p', []],
      ['p', ['']],
      ['p', [x(32_769)]],
      ['p', Array.from({ length: 10_001 }, (_, i) => `/f${i}`)],
      ['p', '/a'],
      ['p', [42]],
    ],
  ],
  [
    'commands',
    'answerOffer',
    [
      ['o', 'accept', null],
      ['o', 'decline', null],
      [x(128), 'always', null],
      ['o', 'accept', { paths: ['a', 'b/c'], folder: '/x' }],
      ['o', 'accept', { paths: null, folder: null }],
    ],
    [
      ['o', 'maybe', null],
      [x(129), 'accept', null],
      ['o'],
      ['o', 'accept', { paths: [''], folder: null }],
      ['o', 'accept', { paths: null, folder: null, extra: 1 }],
      ['o', 'accept', { paths: 'a', folder: null }],
      ['o', 'accept', { paths: null }],
    ],
  ],
  [
    'commands',
    'sendText',
    [
      ['p', 'hi'],
      [x(512), x(65_536)],
    ],
    [['p', ''], ['p', x(65_537)], [x(513), 'hi'], ['p', 42], ['p']],
  ],
  ['commands', 'dismissText', [[x(128)]], [[x(129)], [''], [null]]],
  ['commands', 'cancelTransfer', [[x(128)]], [[x(129)], [null]]],
  ['commands', 'retryTransfer', [[x(128)]], [[x(129)]]],
  ['commands', 'dismissTransfer', [[x(128)]], [[x(129)]]],
  ['commands', 'clearHistory', [[]], [['all']]],
  ['commands', 'addManualPeer', [['h:1'], [x(300)]], [[x(301)], ['']]],
  ['commands', 'removeManualPeer', [[x(300)]], [[x(301)]]],
  ['commands', 'trustDevice', [[x(64)]], [[x(65)], ['']]],
  ['commands', 'untrustDevice', [[x(64)]], [[x(65)], ['']]],
  ['commands', 'createDownloadDir', [['/dl'], [x(32_768)]], [[''], [x(32_769)], [null]]],
  ['commands', 'getPartials', [[]], [['all']]],
  ['commands', 'discardPartials', [[null], [x(128)]], [[''], [x(129)], [undefined]]],
  [
    'commands',
    'updateSettings',
    [[{}], [Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))]],
    [[Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i]))], [null], [['port']], ['x']],
  ],
  ['commands', 'setSecret', [[null], ['s'], [x(4096)]], [[''], [x(4097)], [42], [undefined]]],
  ['commands', 'setLocalSendPin', [[null], ['1234'], [x(64)]], [[''], [x(65)], [1234], [undefined]]],
  [
    'commands',
    'answerPin',
    [
      ['t', '1234'],
      [x(128), null],
      ['t', x(64)],
    ],
    [['t'], [x(129), '1'], ['t', x(65)], ['t', 12]],
  ],
  ['commands', 'generateSecret', [[]], [[16]]],
  [
    'host',
    'pickAndSend',
    [
      ['p', 'files'],
      [x(512), 'folder'],
    ],
    [
      [x(513), 'files'],
      ['p', 'everything'],
      ['', 'files'],
    ],
  ],
  ['host', 'pickFolder', [[]], [['/tmp']]],
  ['host', 'openTextLink', [['t'], [x(128)]], [[''], [x(129)], ['https://example.org/'.repeat(10)]]],
  [
    'host',
    'openReceived',
    [
      ['t', '', 'open'],
      [x(128), x(32_768), 'show'],
    ],
    [
      [x(129), 'a', 'open'],
      ['t', x(32_769), 'open'],
      ['t', 'a', 'run'],
      ['t', 7, 'open'],
      ['', 'a', 'open'],
    ],
  ],
  [
    'serve',
    'sendBatch',
    [
      ['p', 'b'],
      [x(512), x(64)],
    ],
    [[x(513), 'b'], ['p', x(65)], ['p', ''], ['p']],
  ],
  ['serve', 'discardBatch', [['b'], [x(64)]], [[x(65)], [{}], []]],
];

const TABLES: Record<'commands' | 'host' | 'serve', { readonly [name: string]: readonly Check<never>[] }> = {
  commands: COMMANDS,
  host: HOST_CALLS,
  serve: SERVE_CALLS,
};

describe('the call tables', () => {
  test('name every command, host call and serve call once, with no name in two tables', () => {
    assert.equal(COMMAND_NAMES.length, 24);
    assert.deepEqual(COMMAND_NAMES, Object.keys(COMMANDS));
    assert.deepEqual(HOST_CALL_NAMES, ['pickAndSend', 'pickFolder', 'openReceived', 'openTextLink']);
    assert.deepEqual(SERVE_CALL_NAMES, ['sendBatch', 'discardBatch']);
    const all = [...COMMAND_NAMES, ...HOST_CALL_NAMES, ...SERVE_CALL_NAMES];
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual(Object.keys(WS_CALLS), [...COMMAND_NAMES, ...SERVE_CALL_NAMES]);
  });

  test('give every command and host call its own IPC channel, and nothing else one', () => {
    assert.deepEqual(Object.keys(COMMAND_CHANNELS), [...COMMAND_NAMES]);
    assert.deepEqual(Object.keys(HOST_CHANNELS), [...HOST_CALL_NAMES]);
    for (const name of COMMAND_NAMES) assert.equal(COMMAND_CHANNELS[name], `ferry:${name}`);
    for (const name of HOST_CALL_NAMES) assert.equal(HOST_CHANNELS[name], `ferry:host:${name}`);
  });

  test('check each argument up to the same limits as ever, and refuse one past them with BAD_MESSAGE', () => {
    const covered = new Set(LIMITS.map(([table, name]) => `${table}.${name}`));
    for (const [table, names] of [
      ['commands', COMMAND_NAMES],
      ['host', HOST_CALL_NAMES],
      ['serve', SERVE_CALL_NAMES],
    ] as const) {
      for (const name of names) assert.ok(covered.has(`${table}.${name}`), `${table}.${name} has limits pinned here`);
    }
    for (const [table, name, ok, bad] of LIMITS) {
      for (const args of ok)
        assert.deepEqual(checkCall(TABLES[table], name, args), { name, args }, `${name} ${JSON.stringify(args).slice(0, 80)}`);
      for (const args of bad) {
        assert.throws(
          () => checkCall(TABLES[table], name, args),
          (e: unknown) => e instanceof FerryError && e.code === 'BAD_MESSAGE' && e.message === `bad arguments for ${name}`,
          `${name} ${JSON.stringify(args).slice(0, 80)} must be refused`,
        );
      }
    }
  });

  test('know only their own names: anything else is UNKNOWN_TYPE, whatever the prototype has', () => {
    for (const name of ['frobnicate', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 42, null, undefined]) {
      for (const table of Object.values(TABLES)) {
        assert.throws(
          () => checkCall(table, name, []),
          (e: unknown) => e instanceof FerryError && e.code === 'UNKNOWN_TYPE',
          String(name),
        );
      }
    }
    // A table knows only its own calls: a host call is no command, a command no serve call.
    assert.throws(
      () => checkCall(COMMANDS, 'pickFolder', []),
      (e: unknown) => e instanceof FerryError && e.code === 'UNKNOWN_TYPE',
    );
    assert.throws(
      () => checkCall(SERVE_CALLS, 'getState', []),
      (e: unknown) => e instanceof FerryError && e.code === 'UNKNOWN_TYPE',
    );
    assert.throws(
      () => checkCall(WS_CALLS, 'pickFolder', []),
      (e: unknown) => e instanceof FerryError && e.code === 'UNKNOWN_TYPE',
    );
  });
});
