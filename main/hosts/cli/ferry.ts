// The `ferry` command: the same app facade as the desktop app, for terminals, scripts and
// machines without a desktop. This file is the dispatch: `--help` and the arguments' shape are
// settled here for every command (help.ts, args.ts); each command lives in a module of its own.

import { FerryError, oneLine, toFerryError } from '../../core/errors.js';
import { APP_VERSION } from '../../core/version.js';
import { readArgs } from './args.js';
import { errorLine, t } from './i18n.js';
import { COMMANDS, commandUsage, overview, type CommandSpec } from './help.js';
import { CliUsageError } from './usage.js';

type Run = (argv: string[]) => Promise<number>;

// Each command's module is loaded when it runs: a process start pays only for its own.
const RUN: Record<string, Run> = {
  receive: async (argv) => (await import('./receive-command.js')).receiveCommand(argv),
  send: async (argv) => (await import('./send-command.js')).sendCommand(argv),
  peers: async (argv) => (await import('./peers-command.js')).peersCommand(argv),
  trust: async (argv) => (await import('./trust-cli.js')).trustCommand(argv),
  secret: async (argv) => (await import('./trust-cli.js')).secretCommand(argv),
  serve: async (argv) => (await import('./serve.js')).serveCommand(argv),
};

const specOf = (name: string | undefined): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);

/** A wrong command line: the reason in one line and where the usage is, never the whole text. */
function usageError(message: string, spec: CommandSpec | undefined): number {
  const hint = spec ? t('cli.usage.commandHelp', { command: spec.name }) : t('cli.usage.overviewHelp');
  process.stderr.write(`ferry: ${oneLine(message)}\n${hint}\n`);
  return 2;
}

/** parseArgs' own errors, should one get past readArgs: its message's first sentence. */
const isParseArgsError = (err: unknown): boolean => (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const spec = specOf(command);
  try {
    if (spec) {
      const args = readArgs(spec, rest);
      if (args.help) {
        process.stdout.write(commandUsage(spec));
        return 0;
      }
      return await RUN[spec.name]!(args.argv);
    }
    switch (command) {
      case '--version':
      case 'version':
        process.stdout.write(`${APP_VERSION}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h': {
        const [topic, ...extra] = rest;
        if (topic === undefined || topic === '--help' || topic === '-h') {
          process.stdout.write(overview());
          return 0;
        }
        const about = specOf(topic);
        if (!about || extra.length > 0)
          return usageError(t('cli.usage.unknownCommand', { command: JSON.stringify(rest.join(' ')) }), undefined);
        process.stdout.write(commandUsage(about));
        return 0;
      }
      case undefined:
        // No command at all: what there is to run, on stderr since nothing ran.
        process.stderr.write(overview());
        return 2;
      default:
        return usageError(t('cli.usage.unknownCommand', { command: JSON.stringify(command) }), undefined);
    }
  } catch (err) {
    if (err instanceof CliUsageError) return usageError(err.message, spec);
    if (isParseArgsError(err)) return usageError((err as Error).message.split(/(?<=\.) /)[0]!, spec);
    const e = toFerryError(err);
    const json = argv.includes('--json');
    if (json) process.stdout.write(`${JSON.stringify({ event: 'error', code: e.code, message: e.message })}\n`);
    process.stderr.write(`ferry: ${oneLine(errorLine(e))}\n`);
    return e instanceof FerryError && e.code === 'CANCELLED' ? 130 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
