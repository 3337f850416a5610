// Reads a command's arguments before its parser does, for two things node:util parseArgs gets
// wrong for people: `--help` anywhere means help, whatever else is on the line; and a value that
// starts with a dash (`--timeout -1`) is a value, which parseArgs calls "ambiguous" and refuses
// before the flag's own check can say what is wrong with it. The command then parses the
// normalised arguments (`--flag=value`, positionals after `--`), which parseArgs cannot misread.

import type { CommandSpec } from './help.js';
import { t } from './i18n.js';
import { CliUsageError } from './usage.js';

export type ReadArgs = { help: true } | { help: false; argv: string[] };

/** A word that is an option rather than a flag's value: `--json`, `-h`; not `-1` or `-`. */
const looksLikeOption = (arg: string): boolean => /^--./.test(arg) || /^-[A-Za-z]/.test(arg);

export function readArgs(spec: Pick<CommandSpec, 'name' | 'flags' | 'positionals'>, argv: readonly string[]): ReadArgs {
  const options: string[] = [];
  const positionals: string[] = [];
  // The first mistake is reported, but only once the whole line is read: a --help after it wins.
  let mistake: string | null = null;
  const wrong = (why: string): void => {
    mistake ??= why;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') return { help: true };
    if (!looksLikeOption(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : null;
    const flag = name !== null && Object.hasOwn(spec.flags, name) ? spec.flags[name]! : null;
    if (name === null || flag === null) {
      wrong(t('cli.usage.unknownOption', { option: JSON.stringify(eq < 0 ? arg : arg.slice(0, eq)) }));
      continue;
    }
    if (flag.type === 'boolean') {
      if (eq < 0) options.push(arg);
      else wrong(t('cli.usage.takesNoValue', { flag: name }));
      continue;
    }
    if (eq >= 0) {
      options.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || looksLikeOption(value)) {
      wrong(t('cli.usage.needsValue', { flag: name, value: flag.value ?? 'VALUE' }));
      continue;
    }
    options.push(`--${name}=${value}`);
    i++;
  }
  if (!spec.positionals && positionals.length > 0)
    wrong(t('cli.usage.noArguments', { command: spec.name, arg: JSON.stringify(positionals[0]) }));
  if (mistake !== null) throw new CliUsageError(mistake);
  return { help: false, argv: positionals.length > 0 ? [...options, '--', ...positionals] : options };
}
