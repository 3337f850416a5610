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
/** Receivers of one `ferry send`: each is a connection and a transfer of its own. */
const MAX_TARGETS = 32;

export async function sendCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: SEND.flags, strict: true, allowPositionals: true });
  const tos = values.to ?? [];
  if (tos.length === 0) throw new CliUsageError('send needs --to NAME, --to ADDRESS or --to HOST:PORT');
  if (new Set(tos.map((t) => t.toLowerCase())).size !== tos.length) throw new CliUsageError('--to names the same device twice');
  if (tos.length > MAX_TARGETS) throw new CliUsageError(`send takes at most ${MAX_TARGETS} --to`);
  if (values.text !== undefined && positionals.length > 0) throw new CliUsageError('send takes --text or files to send, not both');
  if (values.text === undefined && positionals.length === 0)
    throw new CliUsageError('send needs at least one file or folder to send, or --text');
  const text = values.text === '-' ? await readStdin() : values.text;
  if (text !== undefined) checkTextFlag(text);
  const retries = parseCount(values.retries, '--retries', 0, MAX_RETRIES);
  const directs = tos.map((to) => parseSendTarget(to));
  const allDirect = directs.every((d) => d !== null);
  const out = makeOutput(values.json);
  const configDir = values.config ?? defaultConfigDir();
  const secret = values['secret-file'] === undefined ? null : await loadSecret(values['secret-file']);
  const app = await FerryApp.start({
    configDir,
    overrides: { secret, ...(values.name !== undefined ? { deviceName: values.name } : {}) },
    // A sender only: no port of its own, no announcements, no history. Discovery (listening
    // and asking) and probing the manual peers only to find the devices --to names.
    receive: false,
    discovery: allDirect ? false : discoverySettings(),
    localsendDiscovery: localSendDiscoverySettings(),
    history: false,
    probeManualPeers: !allDirect,
    onTransferEvent: (e) => {
      // The final reason is printed once, below; do not say it twice.
      if (!out.json && (e.event === 'error' || e.event === 'declined' || e.event === 'cancelled')) return;
      out.event(e);
    },
  });
  let interrupted = false;
  const transferIds: string[] = [];
  const interrupt = new AbortController();
  const stop = (): void => {
    interrupted = true;
    interrupt.abort();
    for (const id of transferIds) void app.cancelTransfer(id);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // With several receivers, each reason says whose it is.
  const whose = (to: string): string => (tos.length > 1 ? `${printable(to)}: ` : '');
  try {
    let what: SendWhat;
    if (text !== undefined) what = { text };
    else {
      const source = await collectSource(positionals);
      for (const s of source.skipped) out.fail(`skipping ${printable(s.path)}: ${s.reason}`);
      what = { source };
    }
    // Each receiver is its own transfer: one that declines or fails does not stop the others.
    const outcomes = await Promise.all(
      tos.map(async (to, i): Promise<boolean> => {
        try {
          const direct = directs[i]!;
          if (direct && !direct.portGiven)
            out.info(`Sending to ${formatHostPort(direct)} (Ferry's default port; --to ADDRESS:PORT picks another)`);
          const target: SendTarget = direct
            ? { protocol: direct.protocol, host: direct.host, port: direct.port, name: to }
            : await resolvePeerName(app, to, out.info, interrupt.signal);
          if (target.protocol === 'localsend')
            out.info(`${whose(to)}a LocalSend device: it cannot resume, so a retry sends unfinished files again from their start`);
          const started = await app.send(target, what, {
            retries,
            ...(values.pin !== undefined ? { pin: values.pin } : {}),
            askPin: terminalPinAsker(out),
          });
          transferIds.push(started.transferId);
          if (interrupted) void app.cancelTransfer(started.transferId);
          const result = await started.done;
          if (result.ok) return true;
          const first = result.failed[0]!;
          const n = result.failed.length;
          out.fail(
            `${whose(to)}the receiver did not verify ${n} ${n === 1 ? 'file' : 'files'} (the first: ${printable(first.path)}: ${first.message})`,
          );
          return false;
        } catch (err) {
          const e = toFerryError(err);
          out.fail(`${whose(to)}${e.code === 'DECLINED' ? `declined: ${e.message}` : withFlagHint(e.code, e.message)}`);
          return false;
        }
      }),
    );
    if (interrupted) return 130;
    return outcomes.every(Boolean) ? 0 : 1;
  } catch (err) {
    const e = toFerryError(err);
    out.fail(withFlagHint(e.code, e.message));
    return interrupted ? 130 : 1;
  } finally {
    await app.stop();
  }
}
