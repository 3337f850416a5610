// The `ferry` command: the same engine as the desktop app, for terminals, scripts and
// machines without a desktop.

import * as readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { FerryError, oneLine, toFerryError } from '../core/errors.js';
import { printable } from '../core/protocol/wire-path.js';
import { DEFAULT_PORT } from '../core/protocol/limits.js';
import { loadIdentity } from '../core/security/identity.js';
import { defaultConfigDir, defaultDownloadDir } from '../core/store/locations.js';
import type { TransferEvent } from '../core/transfer/events.js';
import { APP_VERSION } from '../core/version.js';
import type { Decision, IncomingOffer } from '../core/transfer/receiver.js';
import { Receiver } from '../core/transfer/receiver.js';
import { DEFAULT_RETRIES } from '../core/transfer/retry-policy.js';
import { sendFiles } from '../core/transfer/sender.js';
import { loadSecret } from '../core/security/secret.js';
import { TrustStore } from '../core/store/trust-store.js';
import { WaitingOffers } from '../core/security/waiting-offers.js';
import { CliUsageError, secretCommand, trustCommand } from './trust-cli.js';
import { collectSource } from '../core/transfer/source.js';
import { formatBytes, progressLine } from './format.js';
import { looksLikeHostPort, peersCommand, resolvePeerName, startAnnouncing } from './discovery-cli.js';


const USAGE = `ferry ${APP_VERSION} — share files on your local network

Usage:
  ferry receive [--dir DIR] [--port PORT] [--host ADDR] [--name NAME] [--no-announce]
                [--accept all|ask|trusted|none] [--secret-file FILE] [--once] [--json] [--config DIR]
  ferry send --to NAME|HOST:PORT [--name NAME] [--retries N] [--secret-file FILE] [--json] [--config DIR] PATH...
  ferry peers [--timeout SECONDS] [--add HOST:PORT] [--remove HOST:PORT] [--json] [--config DIR]
  ferry trust list | add ID [--name NAME] | remove ID|NAME   [--json] [--config DIR]
  ferry secret new [FILE]
  ferry serve [--dir DIR] [--port PORT] [--name NAME] [--peer HOST:PORT]... [--ui-port N]
              [--accept ask|all|trusted|none] [--no-announce] [--json] [--config DIR]

Options:
  --dir DIR        where received files go (default: ${defaultDownloadDir()})
  --port PORT      port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR      address to listen on (default: all interfaces)
  --name NAME      the name other devices see (default: this computer's name)
  --accept MODE    all: accept every offer; ask: ask on the terminal (declines
                   when there is none; trusted devices are accepted without asking);
                   trusted: accept trusted devices only; none: decline everything
                   (default: ask)
  --secret-file F  shared-secret mode: only devices that prove they know the secret
                   in F may send (receive), or receive from us (send)
  --once           exit after the first transfer ends
  --no-announce    do not announce this receiver on the local network
  --to TARGET      the receiver to send to: the name of a device on the local network
                   (as ferry peers lists it, any case), or HOST:PORT ([v6addr]:port)
  --retries N      reconnect attempts after a broken connection, waiting 1 s, 2 s,
                   4 s… up to 10 s between them (default ${DEFAULT_RETRIES}: about 45 s)
  --json           newline-delimited JSON events on stdout
  --config DIR     identity and settings (default: ${defaultConfigDir()})
  --timeout S      how long ferry peers listens for answers (default 2 seconds)
  --add HOST:PORT  keep a manual peer, for networks discovery does not cross
                   (--remove HOST:PORT forgets it)
  serve            runs Ferry headless and serves its UI to a browser on this computer
                   (127.0.0.1 only; open the link it prints, which holds an access key);
                   --peer adds a manual peer, --ui-port picks the UI's port (default: a
                   free one), --accept defaults to the saved setting (ask, in the browser)

Environment:
  FERRY_DISCOVERY_INTERFACES  discover only on these interfaces (comma-separated
                              names, or loopback)
  FERRY_DISCOVERY_PORT        UDP port of discovery (default 33779)
`;

class UsageError extends Error {}

interface Output {
  json: boolean;
  event(e: TransferEvent): void;
  info(line: string): void;
  fail(line: string): void;
}

/**
 * Collects lines and writes them once per event-loop turn: a transfer of 10,000 small files
 * prints 10,000 lines, and one write each would cost more than the files themselves.
 */
function batchedWriter(stream: NodeJS.WriteStream): { write(text: string): void; now(text: string): void } {
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    stream.write(text);
  };
  return {
    write(text) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(text);
    },
    /** Writes at once, after what is pending (before a prompt, a final reason). */
    now(text) {
      flush();
      stream.write(text);
    },
  };
}

function makeOutput(json: boolean): Output {
  const tty = process.stderr.isTTY === true && !json;
  const { write: stdout } = batchedWriter(process.stdout);
  const { write: stderr, now: stderrNow } = batchedWriter(process.stderr);
  let live = false;
  const clearLive = (): void => {
    if (live) stderrNow('\r\x1b[2K');
    live = false;
  };
  return {
    json,
    event(e) {
      if (json) {
        stdout(`${JSON.stringify(e)}\n`);
        return;
      }
      if (e.event === 'progress') {
        if (tty) {
          stderr(`\r\x1b[2K${progressLine(e)}`);
          live = true;
        }
        return;
      }
      clearLive();
      const line = describe(e);
      if (line) stderr(`${line}\n`);
    },
    info(line) {
      clearLive();
      if (!json) stderrNow(`${line}\n`);
    },
    fail(line) {
      clearLive();
      // The promise is one line per reason: whatever a message quotes, it cannot break it.
      stderrNow(`ferry: ${oneLine(line)}\n`);
    },
  };
}

function describe(e: TransferEvent): string | null {
  switch (e.event) {
    case 'listening':
      return `Listening on ${e.host}:${e.port}`;
    case 'connected':
      return `Connected to ${e.peer.deviceName} (${e.peer.address}), verification code ${e.peer.verificationCode}${e.peer.trusted ? ', trusted' : ''}`;
    case 'offer':
      return e.direction === 'receive'
        ? `Offer from ${e.peer?.deviceName ?? '?'} (${e.peer?.address ?? '?'}${e.peer ? `, code ${e.peer.verificationCode}${e.peer.trusted ? ', trusted' : ''}` : ''}): ${e.fileCount} file(s), ${formatBytes(e.totalBytes)}`
        : `Offering ${e.fileCount} file(s), ${formatBytes(e.totalBytes)}`;
    case 'accepted':
      return e.resumedBytes > 0
        ? `Accepted; resuming, ${formatBytes(e.resumedBytes)} already there`
        : 'Accepted';
    case 'declined':
      return `Declined: ${e.message}`;
    case 'file-done':
      return `  ✓ ${e.savedAs ?? e.path} (${formatBytes(e.size)}${e.resumedFrom > 0 && !e.alreadyPresent ? `, resumed at ${formatBytes(e.resumedFrom)}` : ''}${e.alreadyPresent ? ', already there' : ''})`;
    case 'file-failed':
      return `  ✗ ${e.path}: ${e.message}${e.willRetry ? ' — retrying' : ''}`;
    case 'retry':
      return `Connection problem (${e.message}); retrying in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'done':
      return e.ok
        ? `Done: ${e.files} file(s), ${formatBytes(e.bytes)} in ${e.seconds.toFixed(1)} s, all verified`
        : `Finished with ${e.failed} file(s) not transferred`;
    case 'cancelled':
      return `Cancelled (${e.by === 'peer' ? 'by the other side' : 'here'}): ${e.message}`;
    case 'error':
      return `Error: ${e.message}`;
    default:
      return null;
  }
}

function parseHostPort(value: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  if (!m) throw new UsageError(`--to wants HOST:PORT, got ${JSON.stringify(value)}`);
  return { host: m[1]!, port: parsePort(m[2]!, false) };
}

function parsePort(value: string, allowZero: boolean): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535 || (!allowZero && port === 0)) throw new UsageError(`invalid port ${JSON.stringify(value)}`);
  return port;
}

function askOnTerminal(out: Output, trust: TrustStore): (offer: IncomingOffer, signal: AbortSignal) => Promise<Decision> {
  let queue = Promise.resolve();
  const waiting = new WaitingOffers();
  return (offer, signal) => {
    if (offer.peer.trusted) return Promise.resolve({ accept: true });
    const slot = waiting.admit(offer.peer);
    if (typeof slot === 'string') return Promise.resolve({ accept: false, message: slot });
    const ask = async (): Promise<Decision> => {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        return { accept: false, code: 'DECLINED', message: 'the receiver has no terminal to ask on (run it with --accept all)' };
      }
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        const list = offer.entries.slice(0, 10).map((e) => `    ${printable(e.path)}`).join('\n');
        const more = offer.entries.length > 10 ? `\n    … and ${offer.entries.length - 10} more` : '';
        out.info(`${list}${more}`);
        if (offer.peer.identityChangedFrom) {
          out.info(
            `WARNING: "${offer.peer.deviceName}" is not the device you trust under that name: its identity changed ` +
              `(trusted ${offer.peer.identityChangedFrom.slice(0, 16)}…, now ${offer.peer.deviceId.slice(0, 16)}…). ` +
              'If it was not reinstalled, this may be an impostor.',
          );
        }
        out.info(`Verification code ${offer.peer.verificationCode} (the sender sees the same code if nobody is in between)`);
        let answer: string;
        try {
          answer = await rl.question(
            `Accept ${offer.fileCount} file(s), ${formatBytes(offer.totalBytes)}, from ${offer.peer.deviceName} (${offer.peer.address})? [y]es / [N]o / [a]lways from this device `,
            { signal },
          );
        } catch {
          // Ctrl+C at the prompt (readline swallows the signal) means no, and stop.
          if (!signal.aborted) setImmediate(() => process.emit('SIGINT'));
          return { accept: false, message: 'declined by the user' };
        }
        if (/^a(lways)?$/i.test(answer.trim())) {
          await trust.add(offer.peer.deviceId, offer.peer.deviceName);
          out.info(`Trusted ${offer.peer.deviceName}: its offers are accepted without asking from now on`);
          return { accept: true };
        }
        return /^y(es)?$/i.test(answer.trim()) ? { accept: true } : { accept: false, message: 'declined by the user' };
      } finally {
        rl.close();
      }
    };
    const result = queue.then(ask).finally(() => slot.release());
    queue = result.then(() => {}, () => {});
    return result;
  };
}

async function receive(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      name: { type: 'string' },
      accept: { type: 'string', default: 'ask' },
      'secret-file': { type: 'string' },
      once: { type: 'boolean', default: false },
      'no-announce': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const mode = values.accept;
  if (mode !== 'all' && mode !== 'ask' && mode !== 'trusted' && mode !== 'none') throw new UsageError('--accept takes all, ask, trusted or none');
  const out = makeOutput(values.json);
  const configDir = values.config ?? defaultConfigDir();
  const identity = await loadIdentity(configDir, values.name);
  const trust = await TrustStore.load(configDir);
  const secret = values['secret-file'] === undefined ? null : await loadSecret(values['secret-file']);
  const dir = values.dir ?? defaultDownloadDir();
  const decide =
    mode === 'all'
      ? async (): Promise<Decision> => ({ accept: true })
      : mode === 'none'
        ? async (): Promise<Decision> => ({ accept: false, message: 'this receiver accepts no offers' })
        : mode === 'trusted'
          ? async (offer: IncomingOffer): Promise<Decision> =>
              offer.peer.trusted
                ? { accept: true }
                : {
                    accept: false,
                    message: offer.peer.identityChangedFrom
                      ? `this receiver only accepts trusted devices, and "${offer.peer.deviceName}" now has a different identity than the one it trusts`
                      : 'this receiver only accepts devices it trusts',
                  }
          : askOnTerminal(out, trust);
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((r) => (finish = r));
  const receiver = new Receiver({
    dir,
    identity,
    host: values.host ?? '0.0.0.0',
    port: values.port === undefined ? DEFAULT_PORT : parsePort(values.port, true),
    decide,
    secret,
    trust,
    onEvent: (e) => {
      out.event(e);
      if (values.once && (e.event === 'done' || e.event === 'declined' || e.event === 'cancelled' || (e.event === 'error' && e.transferId))) {
        finish(e.event === 'done' && e.ok ? 0 : 1);
      }
    },
  });
  const listening = await receiver.listen();
  const announcer = values['no-announce'] ? null : await startAnnouncing({ identity, port: listening.port, host: values.host, info: out.info });
  const policy = { all: 'accepting everything', none: 'declining everything', trusted: 'accepting trusted devices only', ask: 'asking for each offer' }[mode];
  out.info(`Receiving as "${identity.deviceName}" into ${dir} (${policy}${secret ? ', shared secret required' : ''})`);
  const stop = (): void => finish(130);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await finished;
  await announcer?.stop(); // goodbye first: nobody should pick a receiver that is closing
  await receiver.close();
  return code;
}

async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string' },
      name: { type: 'string' },
      retries: { type: 'string', default: String(DEFAULT_RETRIES) },
      'secret-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (!values.to) throw new UsageError('send needs --to NAME or --to HOST:PORT');
  if (positionals.length === 0) throw new UsageError('send needs at least one PATH');
  if (!/^\d+$/.test(values.retries) || Number(values.retries) > 100) throw new UsageError('--retries takes a number from 0 to 100');
  const direct = looksLikeHostPort(values.to) ? parseHostPort(values.to) : null;
  const out = makeOutput(values.json);
  const configDir = values.config ?? defaultConfigDir();
  const identity = await loadIdentity(configDir, values.name);
  const trust = await TrustStore.load(configDir);
  const secret = values['secret-file'] === undefined ? null : await loadSecret(values['secret-file']);
  const { host, port, deviceId: expectDeviceId }: { host: string; port: number; deviceId?: string } =
    direct ?? (await resolvePeerName(values.to, { identity, configDir, info: out.info }));
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result;
  try {
    const source = await collectSource(positionals);
    for (const s of source.skipped) out.fail(`skipping ${printable(s.path)}: ${s.reason}`);
    result = await sendFiles({
      host,
      port,
      expectDeviceId,
      source,
      identity,
      trust,
      secret,
      retries: Number(values.retries),
      signal: abort.signal,
      onEvent: (e) => {
        // The final reason is printed once, below; do not say it twice.
        if (!out.json && (e.event === 'error' || e.event === 'declined' || e.event === 'cancelled')) return;
        out.event(e);
      },
    });
  } catch (err) {
    const e = toFerryError(err);
    out.fail(e.code === 'DECLINED' ? `declined: ${e.message}` : e.message);
    return abort.signal.aborted ? 130 : 1;
  }
  if (!result.ok) {
    const first = result.failed[0]!;
    out.fail(`${result.failed.length} file(s) not verified; first: ${printable(first.path)}: ${first.message}`);
    return 1;
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'receive':
        return await receive(rest);
      case 'send':
        return await send(rest);
      case 'peers':
        return await peersCommand(rest);
      case 'trust':
        return await trustCommand(rest);
      case 'secret':
        return await secretCommand(rest);
      case 'serve':
        // Loaded on demand: the web server and the whole engine facade are serve's alone.
        return await (await import('./serve.js')).serveCommand(rest);
      case '--version':
      case 'version':
        process.stdout.write(`${APP_VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof CliUsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ferry: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const e = toFerryError(err);
    const json = argv.includes('--json');
    if (json) process.stdout.write(`${JSON.stringify({ event: 'error', code: e.code, message: e.message })}\n`);
    process.stderr.write(`ferry: ${oneLine(e.message)}\n`);
    return e instanceof FerryError && e.code === 'CANCELLED' ? 130 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
