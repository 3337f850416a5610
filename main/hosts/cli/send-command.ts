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
import { SEND } from './help.js';
import { terminalPinAsker } from './terminal-asker.js';
import { CliUsageError, parseCount, parseSendTarget } from './usage.js';
import type { SendResult } from '../../core/model/transport.js';

/** More would keep a script waiting for many minutes on a receiver that is not coming back. */
const MAX_RETRIES = 100;

export async function sendCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: SEND.flags, strict: true, allowPositionals: true });
  if (!values.to) throw new CliUsageError('send needs --to NAME, --to ADDRESS or --to HOST:PORT');
  if (positionals.length === 0) throw new CliUsageError('send needs at least one file or folder to send');
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
    const source = await collectSource(positionals);
    for (const s of source.skipped) out.fail(`skipping ${printable(s.path)}: ${s.reason}`);
    const started = await app.send(
      target,
      { source },
      { retries, ...(values.pin !== undefined ? { pin: values.pin } : {}), askPin: terminalPinAsker(out) },
    );
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
