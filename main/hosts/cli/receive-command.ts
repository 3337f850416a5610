// `ferry receive`: this computer as a receiver on the terminal, through the same app facade as
// the desktop app: the accept policy of --accept, the terminal as the asker, every transfer
// event printed (or as JSON with --json), --once to stop after the first transfer.

import { parseArgs } from 'node:util';
import { FerryApp } from '../../core/app/ferry-app.js';
import { DEFAULT_PORT } from '../../core/protocol/limits.js';
import { loadSecret } from '../../core/security/secret.js';
import { defaultConfigDir, defaultDownloadDir } from '../../core/store/locations.js';
import type { TransferEvent } from '../../core/model/events.js';
import { describeSnapshot, discoverySettings, localSendDiscoverySettings } from './discovery-settings.js';
import { localSendOverrides } from './localsend-flags.js';
import { LOCALSEND_DEFAULT_PORT } from '../../core/contract/host-port.js';
import { RECEIVE } from './help.js';
import { t } from './i18n.js';
import { makeOutput } from './output.js';
import { terminalAsker } from './terminal-asker.js';
import { parseAcceptFlag, parsePort, policyWords } from './usage.js';

export async function receiveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: RECEIVE.flags, strict: true, allowPositionals: false });
  const mode = parseAcceptFlag(values.accept);
  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port, '--port');
  const host = values.host ?? '0.0.0.0';
  const announce = !values['no-announce'];
  const out = makeOutput(values.json);
  const secret = values['secret-file'] === undefined ? null : await loadSecret(values['secret-file']);
  const dir = values.dir ?? defaultDownloadDir();
  const localsend = await localSendOverrides(values);

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((r) => (finish = r));
  const ends = (e: TransferEvent): boolean =>
    e.event === 'done' || e.event === 'declined' || e.event === 'cancelled' || (e.event === 'error' && !!e.transferId);
  const app = await FerryApp.start({
    configDir: values.config ?? defaultConfigDir(),
    overrides: {
      downloadDir: dir,
      port,
      host,
      acceptPolicy: mode,
      announce,
      secret,
      ...(values.name !== undefined ? { deviceName: values.name } : {}),
      // LocalSend apps look for 53317; one on this computer may hold it first (then a free one).
      localsend: localsend.localsend ?? true,
      localsendPort: localsend.localsendPort ?? LOCALSEND_DEFAULT_PORT,
      localsendPin: localsend.localsendPin ?? null,
    },
    // The port asked for, or an error: a script must know where it listens.
    exactPort: true,
    discovery: announce ? discoverySettings(process.env, values.host) : false,
    localsendDiscovery: localSendDiscoverySettings(),
    ...(mode === 'ask' ? { asker: terminalAsker(out) } : {}),
    // The terminal is this host's record; the desktop app's history is its own.
    history: false,
    probeManualPeers: false,
    onTransferEvent: (e) => {
      out.event(e);
      if (values.once && ends(e)) finish(e.event === 'done' && e.ok ? 0 : 1);
    },
  });
  const status = await app.getDiscoveryStatus();
  if (status) {
    const { where, problems } = describeSnapshot(status);
    out.info(t('cli.receive.announcing', { where }));
    for (const p of problems) out.info(t('cli.discovery.line', { text: p }));
  }
  const { device } = await app.getState();
  const policy = policyWords(mode, 'here');
  out.info(
    secret
      ? t('cli.receive.receivingWithSecret', { name: device.name, dir, policy })
      : t('cli.receive.receiving', { name: device.name, dir, policy }),
  );
  // Asking needs a person at a terminal: without one, say so now rather than at each offer.
  if (mode === 'ask' && (!process.stdin.isTTY || !process.stderr.isTTY)) out.info(t('cli.receive.noTerminal'));
  // The engine's own words: they name the port and what holds it.
  if (device.localsend?.problem) out.info(t('cli.receive.localsendProblem', { problem: device.localsend.problem }));
  const stop = (): void => finish(130);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await finished;
  await app.stop(); // says goodbye on discovery first: nobody should pick a receiver that is closing
  return code;
}
