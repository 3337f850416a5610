// `ferry` in the person's language: LANG=zh_CN.UTF-8 (or LANGUAGE, LC_ALL, LC_MESSAGES) makes
// its human output Chinese — help, usage errors, the reason a send failed, the peers table —
// while LANG=C and en_US keep today's English, and --json stays the same in every language
// (events, fields, error codes), as do exit codes. Real `ferry` processes, on loopback only.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { zhCN } from '../../main/i18n/catalog/zh-CN.js';
import type { TransferEvent } from '../../main/core/model/events.js';
import { freeTcpPort, freeUdpPort, randomFile, runCli, tempDir } from '../helpers.js';

/** The environment of a person whose locale is `lang` (nothing else of the runner's leaks in). */
const locale = (lang: string, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  LANG: lang,
  LANGUAGE: '',
  LC_ALL: '',
  LC_MESSAGES: '',
  ...more,
});
const CHINESE = locale('zh_CN.UTF-8');
const lastLine = (s: string): string => s.trim().split('\n').at(-1)!;
const C = locale('C');
const US = locale('en_US.UTF-8');

/** The events without what differs from run to run (ids, timings). */
const shape = (events: TransferEvent[]): unknown[] =>
  events.map((e) => {
    const { transferId: _id, ...rest } = e as TransferEvent & { transferId?: string };
    return 'message' in rest ? { ...rest, message: rest.message.replace(/ over [\d.]+ s/, ' over N s') } : rest;
  });

describe('ferry speaks the language of its locale', { concurrency: true }, () => {
  test('ferry --help: Chinese under zh_CN, English under C and en_US', async () => {
    const [zh, c, us, viaLanguage] = await Promise.all([
      runCli(['--help'], CHINESE),
      runCli(['--help'], C),
      runCli(['--help'], US),
      // gettext's LANGUAGE list comes first, unless the locale is C.
      runCli(['--help'], locale('en_US.UTF-8', { LANGUAGE: 'zh_CN:en' })),
    ]);
    for (const run of [zh, c, us, viaLanguage]) assert.equal(run.code, 0, run.stderr);
    assert.match(zh.stdout, /^用法：ferry COMMAND \[options\]$/m);
    assert.match(zh.stdout, /^命令：$/m);
    assert.match(zh.stdout, /^ {2}send {5}向一台设备发送文件和文件夹$/m);
    assert.match(zh.stdout, /^运行 'ferry COMMAND --help' 查看某个命令的选项。$/m);
    assert.equal(viaLanguage.stdout, zh.stdout);
    assert.match(c.stdout, /^Usage: ferry COMMAND \[options\]$/m);
    assert.match(c.stdout, /^ {2}send {5}send files and folders to a device$/m);
    assert.equal(us.stdout, c.stdout);
    assert.doesNotMatch(c.stdout, /[\u4e00-\u9fff]/);

    const [zhSend, cSend] = await Promise.all([runCli(['send', '--help'], CHINESE), runCli(['send', '--help'], C)]);
    assert.match(zhSend.stdout, /^用法：ferry send --to TARGET \[options\] PATH\.\.\.\n {6}ferry send --to TARGET/);
    assert.match(zhSend.stdout, /^选项：$/m);
    assert.match(zhSend.stdout, /^ {2}-h, --help {10}显示本帮助$/m);
    assert.match(cSend.stdout, /^Usage: ferry send --to TARGET \[options\] PATH\.\.\.\n {7}ferry send --to TARGET/);
    assert.match(cSend.stdout, /^ {2}-h, --help {10}show this help$/m);
  });

  test('a usage error in Chinese: the reason and the pointer to help, exit 2 as ever', async () => {
    const [zh, c] = await Promise.all([runCli(['send', 'x'], CHINESE), runCli(['send', 'x'], C)]);
    assert.equal(zh.code, 2);
    assert.equal(c.code, 2);
    assert.equal(zh.stderr, `ferry: send 需要 --to NAME、--to ADDRESS 或 --to HOST:PORT\n运行 'ferry send --help' 查看用法。\n`);
    assert.equal(c.stderr, `ferry: send needs --to NAME, --to ADDRESS or --to HOST:PORT\nRun 'ferry send --help' for usage.\n`);
    const unknown = await runCli(['frobnicate'], CHINESE);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, `ferry: 未知命令 "frobnicate"\n运行 'ferry --help' 查看命令列表。\n`);
  });

  test('a send to an address where nothing listens fails with the Chinese sentence; --json is the same in both languages', async () => {
    const dir = await tempDir();
    const file = await randomFile(path.join(dir, 'notes.bin'), 1000);
    const port = await freeTcpPort();
    const args = ['send', '--to', `127.0.0.1:${port}`, '--retries', '0', file];
    const [zh, c, zhJson, cJson] = await Promise.all([
      runCli([...args, '--config', await tempDir()], CHINESE),
      runCli([...args, '--config', await tempDir()], C),
      runCli([...args, '--json', '--config', await tempDir()], CHINESE),
      runCli([...args, '--json', '--config', await tempDir()], C),
    ]);
    for (const run of [zh, c, zhJson, cJson]) assert.equal(run.code, 1, run.stderr);

    assert.equal(lastLine(zh.stderr), `ferry: ${zhCN.errors.CONNECT_FAILED}`);
    assert.match(zh.stderr, /^正在发出传输请求：1 个文件，1\.0 kB$/m);
    assert.match(lastLine(c.stderr), /^ferry: cannot connect: 127\.0\.0\.1:\d+ refused the connection/);
    assert.match(c.stderr, /^Offering 1 file, 1\.0 kB$/m);
    assert.doesNotMatch(c.stderr, /[\u4e00-\u9fff]/);

    // The machine-readable output knows no language: the same events, codes and messages.
    assert.equal(zhJson.stdout.length > 0, true);
    assert.deepEqual(shape(zhJson.events), shape(cJson.events));
    const error = zhJson.events.find((e) => e.event === 'error');
    assert.equal(error?.code, 'CONNECT_FAILED');
    assert.match(error.message, /refused the connection/, 'the message in --json stays the engine’s English');
    assert.doesNotMatch(zhJson.stdout, /[\u4e00-\u9fff]/);
  });

  test("errors the CLI raises itself keep their own Chinese sentence, not their code's general one", async () => {
    // Raised inside `send` (the name looked for, the paths skipped), where they were once
    // printed through a copy of the error and lost their words.
    const file = await randomFile(path.join(await tempDir(), 'a.bin'), 10);
    // Discovery of its own (ports nobody else uses, loopback only): nothing answers.
    const quiet = {
      FERRY_DISCOVERY_PORT: String(await freeUdpPort()),
      FERRY_LOCALSEND_DISCOVERY_PORT: String(await freeUdpPort()),
      FERRY_DISCOVERY_INTERFACES: 'loopback',
    };
    const [nobody, nothing, nothingC] = await Promise.all([
      runCli(['send', '--to', 'Nobody', '--config', await tempDir(), file], { ...CHINESE, ...quiet }),
      runCli(['send', '--to', '127.0.0.1:9', '--config', await tempDir(), '/dev/null'], CHINESE),
      runCli(['send', '--to', '127.0.0.1:9', '--config', await tempDir(), '/dev/null'], C),
    ]);
    for (const run of [nobody, nothing, nothingC]) assert.equal(run.code, 1, run.stderr);
    assert.equal(lastLine(nobody.stderr), `ferry: ${zhCN.cli.send.noSuchDevice.replace('{{name}}', 'Nobody')}`);
    assert.equal(nothing.stderr, `ferry: 跳过 null：${zhCN.transfers.leftOut.special}\nferry: ${zhCN.cli.send.nothingLeft}\n`);
    assert.equal(
      nothingC.stderr,
      'ferry: skipping null: not a regular file or folder\nferry: nothing to send: every path given was skipped\n',
    );
  });

  test('ferry peers: the table headers and the words in its cells in Chinese', async () => {
    const env = { FERRY_DISCOVERY_PORT: String(await freeUdpPort()), FERRY_DISCOVERY_INTERFACES: 'loopback' };
    const port = await freeTcpPort();
    const args = ['peers', '--timeout', '0.3', '--add', `127.0.0.1:${port}`];
    const [zh, c] = await Promise.all([
      runCli([...args, '--config', await tempDir()], { ...CHINESE, ...env }),
      runCli([...args, '--config', await tempDir()], { ...C, ...env }),
    ]);
    assert.equal(zh.code, 0, zh.stderr);
    assert.equal(c.code, 0, c.stderr);
    const [zhHead, zhRow] = zh.stdout.split('\n');
    assert.match(zhHead!, /^名称\s+平台\s+地址\s+来源\s+ID$/);
    assert.match(zhRow!, new RegExp(`127\\.0\\.0\\.1:${port}\\s+手动添加，无法连接`));
    const [cHead, cRow] = c.stdout.split('\n');
    assert.match(cHead!, /^NAME\s+PLATFORM\s+ADDRESS\s+SOURCE\s+ID$/);
    assert.match(cRow!, new RegExp(`127\\.0\\.0\\.1:${port}\\s+manual, unreachable`));
  });
});
