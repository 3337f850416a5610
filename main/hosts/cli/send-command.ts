// `ferry send`: the selection on the command line to one device, named or at HOST:PORT,
// through the same app facade as the desktop app. Exits 0 only when the receiver verified
// every file; otherwise 1 (130 when interrupted) with one line that says why.

import { parseArgs } from 'node:util';
import { FerryApp, type SendTarget } from '../../core/app/ferry-app.js';
import { toFerryError } from '../../core/errors.js';
import { printable } from '../../core/protocol/wire-path.js';
import { loadSecret } from '../../core/security/secret.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { collectSource } from '../../core/transfer/source.js';
import { discoverySettings, localSendDiscoverySettings } from './discovery-settings.js';
import { makeOutput, withFlagHint } from './output.js';
import { resolvePeerName } from './peer-name.js';
import { formatHostPort } from '../../core/contract/host-port.js';
import { MAX_TEXT_BYTES } from '../../core/contract/views.js';
import { SEND } from './help.js';
import { checkText, type SendWhat } from '../../core/app/sending.js';
import { terminalPinAsker } from './terminal-asker.js';
import { CliUsageError, parseCount, parseSendTarget } from './usage.js';
import type { SendResult } from '../../core/model/transport.js';

/** Standard input, whole, as UTF-8 (`--text -`); a trailing newline is the shell's, not the message's. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    bytes += chunk.length;
    // Reading on would only be refused: a message holds at most MAX_TEXT_BYTES.
    if (bytes > MAX_TEXT_BYTES + 1) break;
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The message's own problems are the command line's: exit 2 with the reason. */
function checkTextFlag(text: string): void {
  try {
    checkText(text);
  } catch (err) {
    throw new CliUsageError(`--text: ${toFerryError(err).message}`);
  }
}

/** More would keep a script waiting for many minutes on a receiver that is not coming back. */
const MAX_RETRIES = 100;

export async function sendCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: SEND.flags, strict: true, allowPositionals: true });
  if (!values.to) throw new CliUsageError('send needs --to NAME, --to ADDRESS or --to HOST:PORT');
  if (values.text !== undefined && positionals.length > 0) throw new CliUsageError('send takes --text or files to send, not both');
  if (values.text === undefined && positionals.length === 0)
    throw new CliUsageError('send needs at least one file or folder to send, or --text');
  const text = values.text === '-' ? await readStdin() : values.text;
  if (text !== undefined) checkTextFlag(text);
  const retries = parseCount(values.retries, '--retries', 0, MAX_RETRIES);
  const direct = parseSendTarget(values.to);
  const out = makeOutput(values.json);
  const configDir = values.config ?? defaultConfigDir();
  const secret = values['secret-file'] === undefined ? null : await loadSecret(values['secret-file']);
  const app = await FerryApp.start({
    configDir,
    overrides: { secret, ...(values.name !== undefined ? { deviceName: values.name } : {}) },
    // A sender only: no port of its own, no announcements, no history. Discovery (listening
    // and asking) and probing the manual peers only to find the device --to names.
    receive: false,
    discovery: direct ? false : discoverySettings(),
    localsendDiscovery: localSendDiscoverySettings(),
    history: false,
    probeManualPeers: !direct,
    onTransferEvent: (e) => {
      // The final reason is printed once, below; do not say it twice.
      if (!out.json && (e.event === 'error' || e.event === 'declined' || e.event === 'cancelled')) return;
      out.event(e);
    },
  });
  let interrupted = false;
  let transferId: string | null = null;
  const interrupt = new AbortController();
  const stop = (): void => {
    interrupted = true;
    interrupt.abort();
    if (transferId) void app.cancelTransfer(transferId);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result: SendResult;
  try {
    if (direct && !direct.portGiven)
      out.info(`Sending to ${formatHostPort(direct)} (Ferry's default port; --to ADDRESS:PORT picks another)`);
    const target: SendTarget = direct
      ? { protocol: direct.protocol, host: direct.host, port: direct.port, name: values.to }
      : await resolvePeerName(app, values.to, out.info, interrupt.signal);
    if (target.protocol === 'localsend')
      out.info('A LocalSend device: it cannot resume, so a retry sends unfinished files again from their start');
    let what: SendWhat;
    if (text !== undefined) what = { text };
    else {
      const source = await collectSource(positionals);
      for (const s of source.skipped) out.fail(`skipping ${printable(s.path)}: ${s.reason}`);
      what = { source };
    }
    const started = await app.send(target, what, {
      retries,
      ...(values.pin !== undefined ? { pin: values.pin } : {}),
      askPin: terminalPinAsker(out),
    });
    transferId = started.transferId;
    if (interrupted) void app.cancelTransfer(transferId);
    result = await started.done;
  } catch (err) {
    const e = toFerryError(err);
    out.fail(e.code === 'DECLINED' ? `declined: ${e.message}` : withFlagHint(e.code, e.message));
    return interrupted ? 130 : 1;
  } finally {
    await app.stop();
  }
  if (!result.ok) {
    const first = result.failed[0]!;
    const n = result.failed.length;
    out.fail(`the receiver did not verify ${n} ${n === 1 ? 'file' : 'files'} (the first: ${printable(first.path)}: ${first.message})`);
    return 1;
  }
  return 0;
}
