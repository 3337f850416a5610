// The `ferry` command: the same app facade as the desktop app, for terminals, scripts and
// machines without a desktop. This file is the usage text and the dispatch; each command
// lives in a module of its own.

import { FerryError, oneLine, toFerryError } from '../../core/errors.js';
import { DEFAULT_PORT } from '../../core/protocol/limits.js';
import { defaultConfigDir, defaultDownloadDir } from '../../core/store/locations.js';
import { DEFAULT_RETRIES } from '../../core/transfer/retry-policy.js';
import { APP_VERSION } from '../../core/version.js';
import { CliUsageError } from './usage.js';

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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Each command's module is loaded when it runs: a process start pays only for its own.
    switch (command) {
      case 'receive':
        return await (await import('./receive-command.js')).receiveCommand(rest);
      case 'send':
        return await (await import('./send-command.js')).sendCommand(rest);
      case 'peers':
        return await (await import('./peers-command.js')).peersCommand(rest);
      case 'trust':
        return await (await import('./trust-cli.js')).trustCommand(rest);
      case 'secret':
        return await (await import('./trust-cli.js')).secretCommand(rest);
      case 'serve':
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
        throw new CliUsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof CliUsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
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
