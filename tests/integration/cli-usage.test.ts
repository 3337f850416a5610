// The `ferry` command line as a person types it: each command's --help, usage errors in one
// line with a pointer to that help, clear refusals of bad numbers, and `--to` with an address
// but no port. Real `ferry` processes; nothing here sends a byte beyond loopback.

import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { COMMANDS, SERVE } from '../../main/hosts/cli/help.js';
import { DEFAULT_PORT } from '../../main/core/protocol/limits.js';
import { freeUdpPort, randomFile, REPO, runCli, tempDir } from '../helpers.js';

/** A wrong command line: exit 2, nothing on stdout, the reason and the pointer to help on stderr. */
function assertUsageError(run: { code: number | null; stdout: string; stderr: string }, command: string | null, reason: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, '');
  const lines = run.stderr.split('\n');
  assert.equal(lines.length, 3, `two lines, not the usage text: ${run.stderr}`);
  assert.match(lines[0]!, /^ferry: /);
  assert.match(lines[0]!, reason);
  assert.equal(lines[1], command ? `Run 'ferry ${command} --help' for usage.` : "Run 'ferry --help' for the list of commands.");
  assert.doesNotMatch(run.stderr, /ambiguous|Unknown option|ERR_PARSE_ARGS/);
}

/** Nothing answers TCP on this loopback address and port (a test must not reach a real receiver). */
function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('ferry --help and usage errors', { concurrency: true }, () => {
  for (const spec of COMMANDS) {
    test(`ferry ${spec.name} --help and -h print its own usage, every flag explained, and exit 0`, async () => {
      const [long, short, viaHelp] = await Promise.all([
        runCli([spec.name, '--help']),
        runCli([spec.name, '-h']),
        runCli(['help', spec.name]),
      ]);
      for (const run of [long, short, viaHelp]) {
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, '');
        assert.equal(run.stdout, long.stdout);
      }
      const text = long.stdout;
      assert.match(text, new RegExp(`^Usage: ferry ${spec.name}\\b`));
      // Just this command: no other command's synopsis.
      for (const other of COMMANDS.filter((c) => c.name !== spec.name))
        assert.doesNotMatch(text, new RegExp(`^(Usage:)? *ferry ${other.name}\\b`, 'm'));
      for (const [flag, f] of Object.entries(spec.flags)) {
        const lines = text.split('\n');
        const label = `  --${flag}${f.value ? ` ${f.value}` : ''}`;
        const at = lines.findIndex((l) => l.startsWith(`${label} `) || l === label);
        // A label too long for its column has its explanation on the next line, indented.
        const explained = at >= 0 && (lines[at] === label ? /^ {10,}\S/.test(lines[at + 1] ?? '') : /\S\s{2,}\S/.test(lines[at]!));
        assert.ok(explained, `--${flag} has a line with its explanation:\n${text}`);
      }
      assert.match(text, /^ {2}-h, --help +show this help$/m);
    });
  }

  test("ferry serve's help table lists exactly the flags serve.ts parses (it keeps its own parser)", async () => {
    const source = await fs.readFile(path.join(REPO, 'main/hosts/cli/serve.ts'), 'utf8');
    const block = /parseArgs\(\{[\s\S]*?options: \{([\s\S]*?)\n {4}\},/.exec(source)?.[1] ?? '';
    const parsed = [...block.matchAll(/^ {6}'?([a-z-]+)'?: \{ type: '(string|boolean)'/gm)].map((m) => `${m[1]}:${m[2]}`);
    assert.ok(parsed.length > 0, 'found serve.ts options');
    assert.deepEqual(
      parsed.sort(),
      Object.entries(SERVE.flags)
        .map(([flag, f]) => `${flag}:${f.type}`)
        .sort(),
    );
  });

  test('--help wins over anything else on the line, even a mistake or a missing value', async () => {
    for (const args of [
      ['send', '--bogus', '--help'],
      ['send', '--to', '--help'],
      ['peers', '--timeout', '-1', '-h'],
      ['trust', 'add', '--help'],
    ]) {
      const run = await runCli(args);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^Usage: ferry ${args[0]}`), args.join(' '));
    }
    // After `--`, `--help` is a file name, not a request for help.
    const file = await runCli(['send', '--to', '127.0.0.1:9', '--retries', '0', '--config', await tempDir(), '--', '--help']);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /cannot read --help/);
  });

  test('ferry --help and ferry help print the overview: every command, and how to get its usage', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = await runCli(args);
      assert.equal(run.code, 0, run.stderr);
      for (const spec of COMMANDS) assert.match(run.stdout, new RegExp(`^ {2}${spec.name} +\\S`, 'm'));
      assert.match(run.stdout, /Run 'ferry COMMAND --help'/);
    }
    assertUsageError(await runCli(['help', 'frobnicate']), null, /unknown command "frobnicate"/);
  });

  test("a usage error is one line of reason and a pointer to that command's --help, exit 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [['send', 'x'], /send needs --to/],
      [['send', '--to', 'box'], /send needs at least one file or folder/],
      [['send', '--to'], /--to needs a value/],
      [['send', '--to', '--json', 'x'], /--to needs a value/],
      [['send', '--to', 'a:b:1', 'x'], /--to wants HOST:PORT/],
      [['receive', '--bogus'], /unknown option "--bogus"/],
      [['receive', '--json=yes'], /--json takes no value/],
      [['receive', 'extra'], /receive takes no arguments, only options; not "extra"/],
      [['receive', '--accept', 'maybe'], /--accept takes all, ask, trusted or none, not "maybe"/],
      [['peers', '-x'], /unknown option "-x"/],
      [['serve', '--bogus=1'], /unknown option "--bogus"/],
      [['trust'], /trust needs an action/],
      [['trust', 'frob'], /no trust action "frob"/],
      [['secret', 'old'], /secret takes "new"/],
    ];
    await Promise.all(
      cases.map(async ([args, reason]) => assertUsageError(await runCli(args, { FERRY_CONFIG_DIR: await tempDir() }), args[0]!, reason)),
    );
  });

  test('every numeric flag refuses negatives and garbage in its own words, as `--flag V` and `--flag=V`', async () => {
    const cases: Array<[string, string[], string, RegExp]> = [
      ['peers', [], '--timeout', /--timeout takes a number of seconds from 0\.1 to 600, not "VALUE"/],
      ['send', ['--to', 'box', 'x'], '--retries', /--retries takes a whole number from 0 to 100, not "VALUE"/],
      ['receive', [], '--port', /--port takes a port number from 0 to 65535, not "VALUE"/],
      ['serve', [], '--port', /--port takes a port number from 0 to 65535, not "VALUE"/],
      ['serve', [], '--ui-port', /--ui-port takes a port number from 0 to 65535, not "VALUE"/],
    ];
    const run = async (command: string, args: string[], reason: RegExp, value: string): Promise<void> => {
      const want = new RegExp(reason.source.replace('VALUE', value.replace(/[.]/g, '\\.')));
      assertUsageError(await runCli([command, ...args], { FERRY_CONFIG_DIR: await tempDir() }), command, want);
    };
    await Promise.all(
      cases.flatMap(([command, rest, flag, reason]) =>
        ['-1', 'abc'].flatMap((value) => [
          run(command, [flag, value, ...rest], reason, value),
          run(command, [`${flag}=${value}`, ...rest], reason, value),
        ]),
      ),
    );
    const [, , flag, reason] = cases[0]!;
    for (const value of ['-0.5', '1e3', '']) await run('peers', [`${flag}=${value}`], reason, value);
    await run('peers', [flag, '-0.5'], reason, '-0.5');
    // Out of range, too.
    assertUsageError(await runCli(['peers', '--timeout', '0']), 'peers', /--timeout takes a number of seconds from 0\.1 to 600, not "0"/);
    assertUsageError(await runCli(['send', '--retries', '101', '--to', 'box', 'x']), 'send', /not "101"/);
    assertUsageError(await runCli(['receive', '--port', '65536']), 'receive', /not "65536"/);
  });
});

describe('ferry send --to ADDRESS without a port', { concurrency: true }, () => {
  test(`an IPv4 address alone means port ${DEFAULT_PORT}: the refusal names 127.0.0.1:${DEFAULT_PORT}`, async (t) => {
    if (!(await refused('127.0.0.1', DEFAULT_PORT))) return t.skip(`something listens on 127.0.0.1:${DEFAULT_PORT}`);
    const file = await randomFile(path.join(await tempDir(), 'a.txt'), 10);
    const run = await runCli(['send', '--to', '127.0.0.1', '--retries', '0', '--config', await tempDir(), file]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`Sending to 127\\.0\\.0\\.1:${DEFAULT_PORT} \\(Ferry's default port`));
    const last = run.stderr.trim().split('\n').at(-1)!;
    assert.match(last, /^ferry: cannot connect: /);
    assert.match(last, /refused|ECONNREFUSED/i);
    assert.ok(last.includes(`127.0.0.1:${DEFAULT_PORT}`), last);
    assert.doesNotMatch(run.stderr, /Looking for|no device called/);
  });

  test('an IPv6 address alone, bare or in brackets, means the default port too', async (t) => {
    if (!(await refused('::1', DEFAULT_PORT))) return t.skip(`no IPv6 loopback, or something listens on [::1]:${DEFAULT_PORT}`);
    const file = await randomFile(path.join(await tempDir(), 'a.txt'), 10);
    for (const to of ['::1', '[::1]']) {
      const run = await runCli(['send', '--to', to, '--retries', '0', '--config', await tempDir(), file]);
      assert.equal(run.code, 1, run.stderr);
      assert.ok(run.stderr.includes(`Sending to [::1]:${DEFAULT_PORT}`), run.stderr);
      assert.match(run.stderr.trim().split('\n').at(-1)!, /^ferry: cannot connect: .*(refused|ECONNREFUSED)/i);
    }
  });

  test('a host name without a port stays a device name, looked up on the network and not in DNS', async () => {
    const file = await randomFile(path.join(await tempDir(), 'a.txt'), 10);
    const env = { FERRY_DISCOVERY_PORT: String(await freeUdpPort()), FERRY_DISCOVERY_INTERFACES: 'loopback' };
    const run = await runCli(['send', '--to', 'localhost', '--retries', '0', '--config', await tempDir(), file], env);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Looking for "localhost" on the network/);
    assert.match(run.stderr.trim().split('\n').at(-1)!, /^ferry: no device called "localhost" answered/);
  });
});
