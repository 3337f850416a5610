// `ferry serve`: the engine as a headless daemon (receiver, discovery, the transfer queue)
// with the desktop app's UI served to a browser on this computer. The page talks to the
// engine over a WebSocket with the contract's commands; files dropped into it are uploaded
// to a staging folder first, since a browser cannot hand over their paths.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { localSendOverrides } from './localsend-flags.js';
import type { AppState, TransferState, UiEvent } from '../../core/contract/index.js';
import { FerryApp } from '../../core/app/ferry-app.js';
import { isFinal } from '../../core/app/transfers.js';
import { printable } from '../../core/protocol/wire-path.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { discoverySettings, localSendDiscoverySettings } from './discovery-settings.js';
import { errorLine, fmt, t } from './i18n.js';
import { UiServer } from '../web/serve-http.js';
import { Staging } from '../web/serve-staging.js';
import { CliUsageError, parseAcceptFlag, parsePort, policyWords } from './usage.js';

/** How often unsent batches are checked for expiry and sent ones for release. */
const SWEEP_MS = 60_000;
/** A stop that hangs (a stuck socket) must not keep the process from exiting. */
const STOP_GRACE_MS = 5_000;

/** A finished transfer's state in a line, as whole keys. */
const STATE_KEYS = {
  connecting: 'cli.serve.state.connecting',
  waiting: 'cli.serve.state.waiting',
  transferring: 'cli.serve.state.transferring',
  verifying: 'cli.serve.state.verifying',
  done: 'cli.serve.state.done',
  failed: 'cli.serve.state.failed',
  declined: 'cli.serve.state.declined',
  cancelled: 'cli.serve.state.cancelled',
} as const satisfies Record<TransferState, string>;

/** The built renderer: next to the compiled CLI (dist/main/hosts/cli → dist/renderer), or FERRY_UI_DIR. */
export function uiDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_UI_DIR) return path.resolve(env.FERRY_UI_DIR);
  const here = import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname);
  const candidates = [path.resolve(here, '../../../renderer'), path.resolve(here, '../../../dist/renderer')];
  return candidates.find((c) => existsSync(path.join(c, 'index.html'))) ?? candidates[0]!;
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      name: { type: 'string' },
      peer: { type: 'string', multiple: true, default: [] },
      'ui-port': { type: 'string', default: '0' },
      accept: { type: 'string' },
      'no-announce': { type: 'boolean', default: false },
      'localsend-port': { type: 'string' },
      'no-localsend': { type: 'boolean', default: false },
      'localsend-pin-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const accept = values.accept === undefined ? undefined : parseAcceptFlag(values.accept);
  if (values.dir !== undefined && values.dir.trim() === '') throw new CliUsageError(t('cli.usage.dirNeedsFolder'));
  const receiverPort = values.port === undefined ? undefined : parsePort(values.port, '--port');
  const uiPort = parsePort(values['ui-port'], '--ui-port');
  const maxUpload = process.env.FERRY_SERVE_MAX_UPLOAD;
  if (maxUpload !== undefined && !/^\d{1,16}$/.test(maxUpload)) throw new CliUsageError(t('cli.usage.maxUpload'));

  const localsend = await localSendOverrides(values);
  const json = values.json;
  const info = (line: string): void => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  const jsonLine = (obj: object): void => {
    if (json) process.stdout.write(`${JSON.stringify(obj)}\n`);
  };

  const app = await FerryApp.start({
    configDir: values.config ?? defaultConfigDir(),
    overrides: {
      ...(values.dir !== undefined ? { downloadDir: path.resolve(values.dir) } : {}),
      ...(receiverPort !== undefined ? { port: receiverPort } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values.name !== undefined ? { deviceName: values.name } : {}),
      ...(accept !== undefined ? { acceptPolicy: accept } : {}),
      ...(values['no-announce'] ? { announce: false } : {}),
      ...localsend,
    },
    manualPeers: values.peer,
    discovery: discoverySettings(process.env, values.host),
    localsendDiscovery: localSendDiscoverySettings(),
  });
  let staging: Staging;
  let server: UiServer;
  try {
    staging = await Staging.create(maxUpload !== undefined ? { maxUploadBytes: Number(maxUpload) } : {});
    server = await UiServer.start({ app, staging, uiDir: uiDir(), port: uiPort, token: randomBytes(32).toString('base64url') });
  } catch (err) {
    await app.stop();
    throw err;
  }
  // Whatever ends the process (an uncaught error included), uploaded copies do not stay behind.
  const onExit = (): void => staging.closeSync();
  process.on('exit', onExit);

  // Staged files live as long as their transfer may still need them (Retry resends them).
  const releaseFinished = (state: AppState): void => {
    const byId = new Map(state.transfers.map((t) => [t.id, t]));
    for (const id of staging.sentTransfers()) {
      const t = byId.get(id);
      if (!t || (isFinal(t.state) && t.retry === null)) void staging.release(id);
    }
  };
  const sweep = setInterval(() => {
    void staging.expire();
    void app.getState().then(releaseFinished, () => {});
  }, SWEEP_MS);
  sweep.unref();

  app.onEvent((e: UiEvent) => {
    if (e.type === 'state') return releaseFinished(e.state);
    if (e.type === 'offer') {
      jsonLine({ event: 'offer', offer: e.offer });
      const o = e.offer;
      const what = o.text
        ? t('cli.serve.aMessage', { chars: o.text.chars })
        : t('cli.serve.files', { n: o.fileCount, size: fmt.bytes(o.totalBytes) });
      info(t('cli.serve.offer', { name: printable(o.from.name), address: o.from.address, what }));
      return;
    }
    if (e.type === 'text') {
      jsonLine({ event: 'text', text: e.text });
      info(t('cli.serve.message', { name: printable(e.text.peer.name) }));
      return;
    }
    jsonLine({ event: 'finished', transfer: e.transfer });
    const tr = e.transfer;
    const what = {
      name: printable(tr.peer.name),
      files: t('cli.serve.files', { n: tr.fileCount, size: fmt.bytes(tr.totalBytes) }),
      state: t(STATE_KEYS[tr.state]),
    };
    const line = tr.direction === 'send' ? t('cli.serve.transferTo', what) : t('cli.serve.transferFrom', what);
    info(tr.error ? t('cli.event.because', { line, reason: printable(errorLine(tr.error)) }) : line);
  });

  const state = await app.getState();
  jsonLine({
    event: 'serving',
    url: server.url,
    port: server.port,
    receiverPort: state.device.port,
    deviceId: state.device.id,
    deviceName: state.device.name,
  });
  if (!json) {
    const policy = policyWords(accept ?? state.settings.acceptPolicy, 'browser');
    info(
      t('cli.serve.running', {
        name: printable(state.device.name),
        dir: state.settings.downloadDir,
        port: state.device.port ?? '-',
        policy,
      }),
    );
    if (state.device.receiverError) info(`  ${state.device.receiverError}`);
    info(t('cli.serve.openLink'));
    process.stdout.write(`${server.url}\n`);
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  info(t('cli.serve.stopping', { signal }));
  // A second signal, or a stop that hangs, ends the process anyway (the exit hook still cleans up).
  const force = (): void => process.exit(1);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  setTimeout(force, STOP_GRACE_MS).unref();
  clearInterval(sweep);
  await server.close();
  await app.stop(); // says goodbye on discovery, cancels transfers in progress
  await staging.close();
  process.off('exit', onExit);
  // Stopped cleanly: should some handle still linger, it does not get to keep us running.
  setTimeout(() => process.exit(0), 1_000).unref();
  return 0;
}
