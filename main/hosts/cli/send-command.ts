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
import { because, makeOutput, withFlagHint } from './output.js';
import { resolvePeerName } from './peer-name.js';
import { formatHostPort } from '../../core/contract/host-port.js';
import { MAX_TEXT_BYTES } from '../../core/contract/views.js';
import { SEND } from './help.js';
import { checkText, type SendWhat } from '../../core/app/sending.js';
import { terminalPinAsker } from './terminal-asker.js';
import { LEFT_OUT_KEYS } from '../../i18n/index.js';
import { cliError, english, errorLine, t } from './i18n.js';
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
    throw new CliUsageError(t('cli.usage.text', { reason: errorLine(toFerryError(err)) }));
  }
}

/** More would keep a script waiting for many minutes on a receiver that is not coming back. */
const MAX_RETRIES = 100;
/** Receivers of one `ferry send`: each is a connection and a transfer of its own. */
const MAX_TARGETS = 32;

export async function sendCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: SEND.flags, strict: true, allowPositionals: true });
  const tos = values.to ?? [];
  if (tos.length === 0) throw new CliUsageError(t('cli.usage.sendNeedsTo'));
  if (new Set(tos.map((to) => to.toLowerCase())).size !== tos.length) throw new CliUsageError(t('cli.usage.sameDeviceTwice'));
  if (tos.length > MAX_TARGETS) throw new CliUsageError(t('cli.usage.tooManyTargets', { max: MAX_TARGETS }));
  if (values.text !== undefined && positionals.length > 0) throw new CliUsageError(t('cli.usage.textOrFiles'));
  if (values.text === undefined && positionals.length === 0) throw new CliUsageError(t('cli.usage.nothingToSend'));
  const text = values.text === '-' ? await readStdin() : values.text;
  if (text !== undefined) checkTextFlag(text);
  const retries = parseCount(values.retries, '--retries', 0, MAX_RETRIES);
  const directs = tos.map((to) => parseSendTarget(to));
  const allDirect = directs.every((d) => d !== null);
  const out = makeOutput(values.json);
  const configDir = values.config ?? defaultConfigDir();
  const secret = values['secret-file'] === undefined ? null : await loadSecret(values['secret-file']);
  // Only Ferry addresses: LocalSend stays off. Its server (where LocalSend receivers post a
  // cancel and LocalSend devices register when discovery asks) would be a port open on every
  // interface for the length of a send that never needs it.
  const onlyFerry = directs.every((d) => d?.protocol === 'ferry');
  const app = await FerryApp.start({
    configDir,
    overrides: {
      secret,
      ...(values.name !== undefined ? { deviceName: values.name } : {}),
      ...(onlyFerry ? { localsend: false } : {}),
    },
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
  const whose = (to: string, line: string): string => (tos.length > 1 ? t('cli.send.whose', { to: printable(to), line }) : line);
  try {
    let what: SendWhat;
    if (text !== undefined) what = { text };
    else {
      const source = await collectSource(positionals);
      // English: the engine's own words (they name the OS error); else the kind in the CLI's language.
      for (const s of source.skipped) {
        out.fail(t('cli.send.skipping', { path: printable(s.path), reason: english ? s.reason : t(LEFT_OUT_KEYS[s.why]) }));
      }
      // Each was named just above: the last line says only what that leaves.
      if (source.entries.length === 0) throw cliError('IO_ERROR', (tr) => tr('cli.send.nothingLeft'));
      what = { source };
    }
    // Each receiver is its own transfer: one that declines or fails does not stop the others.
    const outcomes = await Promise.all(
      tos.map(async (to, i): Promise<boolean> => {
        try {
          const direct = directs[i]!;
          if (direct && !direct.portGiven) out.info(t('cli.send.defaultPort', { address: formatHostPort(direct) }));
          const target: SendTarget = direct
            ? { protocol: direct.protocol, host: direct.host, port: direct.port, name: to }
            : await resolvePeerName(app, to, out.info, interrupt.signal);
          if (target.protocol === 'localsend') out.info(whose(to, t('cli.send.localsendNoResume')));
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
            whose(
              to,
              t('cli.send.notVerified', {
                files: t('common.count.files', { count: n }),
                path: printable(first.path),
                reason: errorLine(first),
              }),
            ),
          );
          return false;
        } catch (err) {
          const e = toFerryError(err);
          out.fail(whose(to, e.code === 'DECLINED' ? because(t('cli.send.declined'), english ? e.message : null) : withFlagHint(e)));
          return false;
        }
      }),
    );
    if (interrupted) return 130;
    return outcomes.every(Boolean) ? 0 : 1;
  } catch (err) {
    const e = toFerryError(err);
    out.fail(withFlagHint(e));
    return interrupted ? 130 : 1;
  } finally {
    await app.stop();
  }
}
