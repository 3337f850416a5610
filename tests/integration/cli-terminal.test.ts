// `ferry` on a real terminal: the y/N/a prompt of `receive --accept ask`, the sender's summary
// when a person takes a while to answer, and `ferry peers`' table fitted to the terminal's width
// (or to 100 columns in a pipe). The terminal is a pseudo-terminal made by util-linux `script`.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  FERRY_BIN,
  freeUdpPort,
  onCleanup,
  randomFile,
  runCli,
  sleep,
  startCli,
  startReceiverCli,
  tempDir,
  waitUntil,
} from '../helpers.js';

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
// What a terminal shows, without its control sequences and carriage returns.
const visible = (s: string): string =>
  s
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r+\n/g, '\n')
    .replace(/\r/g, '\n');

/** `ferry ARGS` on a pseudo-terminal `columns` wide: what it shows, and a keyboard. */
function inTerminal(args: string[], opts: { columns?: number; env?: NodeJS.ProcessEnv } = {}) {
  const command = `stty cols ${opts.columns ?? 100} rows 40; exec ${[process.execPath, FERRY_BIN, ...args].map(quote).join(' ')}`;
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let raw = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (raw += s));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    exited,
    screen: () => visible(raw),
    type: (keys: string) => child.stdin!.write(keys),
    /** Waits until the screen shows `text` `times` times in all. */
    waitFor: async (text: string, times = 1, timeoutMs = 30_000): Promise<void> => {
      const what = `the terminal to show ${JSON.stringify(text)} ×${times}`;
      await waitUntil(what, () => visible(raw).split(text).length > times, timeoutMs).catch((err: Error) => {
        throw new Error(`${err.message}; it shows:\n${visible(raw)}`);
      });
    },
  };
}

const PROMPT = '[a]lways from this device';

describe('ferry on a terminal', { skip: HAS_SCRIPT ? false : 'needs util-linux script for a pseudo-terminal' }, () => {
  test('the y/N/a prompt asks again on a meaningless answer, takes Enter as no, and the end of input as no', async () => {
    const dir = await tempDir('ferry-recv-');
    const file = await randomFile(path.join(await tempDir(), 'photo.jpg'), 200_000);
    const r = inTerminal(['receive', '--port', '0', '--host', '127.0.0.1', '--no-announce', '--dir', dir, '--config', await tempDir()]);
    await r.waitFor('Receiving as');
    const to = /Listening on (127\.0\.0\.1:\d+)/.exec(r.screen())![1]!;
    const senderConfig = await tempDir();
    const send = () => startCli(['send', '--to', to, '--config', senderConfig, file]);

    // "maybe" means nothing: asked again, saying what the answers are; the sender keeps waiting.
    const first = send();
    await r.waitFor(PROMPT, 1);
    r.type('maybe\r');
    await r.waitFor('Please answer y (yes), n (no) or a (always');
    await sleep(300);
    assert.equal(first.child.exitCode, null, 'the sender still waits for an answer');
    // Enter alone: the default, no.
    r.type('\r');
    const declined = await first.done;
    assert.equal(declined.code, 1, declined.stderr);
    assert.match(declined.stderr.trim().split('\n').at(-1)!, /^ferry: declined: /);

    // A person who takes two seconds to say yes: the summary counts the transfer, not the wait.
    const second = send();
    const asked = Date.now();
    await r.waitFor(PROMPT, 2);
    r.type('nah\r');
    await r.waitFor('Please answer', 2);
    await sleep(2_000);
    r.type('y\r');
    const sent = await second.done;
    assert.equal(sent.code, 0, sent.stderr);
    assert.ok(Date.now() - asked >= 2_000);
    const summary = /Sent 1 file, .* in (\d+\.\d) s; "[^"]+" verified every one/.exec(sent.stderr);
    assert.ok(summary, sent.stderr);
    assert.ok(Number(summary[1]) < 1.5, `transfer time ${summary[1]} s leaves out the ~2 s wait for the answer`);
    assert.match(sent.stderr, /^"[^"]+" accepted$/m);

    // Ctrl+D at the prompt (the end of input): declined, and the sender is told why.
    const third = send();
    await r.waitFor(PROMPT, 3);
    r.type('\x04');
    const eof = await third.done;
    assert.equal(eof.code, 1, eof.stderr);
    assert.match(eof.stderr.trim().split('\n').at(-1)!, /^ferry: declined: nobody answered at the receiver's terminal$/);
    await r.waitFor('Declined the offer from', 2);

    // Ctrl+C with no offer waiting stops the receiver.
    r.type('\x03');
    assert.equal(await r.exited, 130);
  });

  test('[c]hoose takes part of an offer: the numbered top-level items, a range, and the rest is skipped', async () => {
    const dir = await tempDir('ferry-recv-');
    const src = await tempDir();
    const files = await Promise.all(['a.txt', 'b.txt', 'c.txt', 'd.txt'].map((n) => randomFile(path.join(src, n), 1000)));
    const r = inTerminal(['receive', '--port', '0', '--host', '127.0.0.1', '--no-announce', '--dir', dir, '--config', await tempDir()]);
    await r.waitFor('Receiving as');
    const to = /Listening on (127\.0\.0\.1:\d+)/.exec(r.screen())![1]!;
    const send = startCli(['send', '--to', to, '--config', await tempDir(), ...files]);
    await r.waitFor('[c]hoose');
    r.type('c\r');
    await r.waitFor('Take which?');
    assert.match(r.screen(), /1 {2}a\.txt[\s\S]*4 {2}d\.txt/);
    r.type('9\r');
    await r.waitFor('Please give numbers from 1 to 4');
    r.type('1 3-4\r');
    const sent = await send.done;
    assert.equal(sent.code, 0, sent.stderr);
    assert.deepEqual((await readdir(dir)).sort(), ['a.txt', 'c.txt', 'd.txt']);
    r.type('\x03');
    assert.equal(await r.exited, 130);
  });

  test('ferry peers fits its table to the terminal and to 100 columns in a pipe; --json keeps the full name', async () => {
    const name = 'Device with a very long name, which would wrap every line of ferry peers'.slice(0, 64);
    assert.equal(name.length, 64);
    const rcv = await startReceiverCli(['--accept', 'none', '--no-announce', '--name', name]);
    const env = { FERRY_DISCOVERY_PORT: String(await freeUdpPort()), FERRY_DISCOVERY_INTERFACES: 'loopback' };
    const config = await tempDir();
    const args = ['peers', '--timeout', '0.5', '--config', config];

    const piped = await runCli([...args, '--add', rcv.to], env);
    assert.equal(piped.code, 0, piped.stderr);
    assertTable(piped.stdout, 100, name, rcv.to);

    const json = await runCli([...args, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout.trim()) as { name: string }).name, name);

    for (const columns of [80, 60]) {
      const t = inTerminal(args, { columns, env });
      assert.equal(await t.exited, 0, t.screen());
      assertTable(t.screen(), columns, name, rcv.to);
    }
    rcv.child.kill('SIGTERM');
  });
});

/** Every line within `width`, the name cut with an ellipsis, the columns still aligned. */
function assertTable(out: string, width: number, name: string, address: string): void {
  const lines = out.split('\n').filter((l) => l.length > 0);
  const header = lines.findIndex((l) => l.startsWith('NAME'));
  assert.ok(header >= 0, out);
  const [head, row] = [lines[header]!, lines[header + 1]!];
  for (const l of [head, row]) assert.ok([...l].length <= width, `${[...l].length} > ${width}: ${JSON.stringify(l)}`);
  assert.ok(!row.includes(name), 'the name is cut');
  assert.ok(row.startsWith(name.slice(0, 6)) && row.includes('…'), row);
  assert.equal(row.indexOf(address), head.indexOf('ADDRESS'), `ADDRESS aligned:\n${head}\n${row}`);
  assert.equal(row.indexOf('manual'), head.indexOf('SOURCE'), `SOURCE aligned:\n${head}\n${row}`);
}
