// What each `ferry` command accepts and how `--help` explains it. A command's flags are one
// table that both its parser (node:util parseArgs reads `type`, `multiple`, `default`) and its
// help text are made from, so a flag cannot exist without a line that explains it.

import type { ParseArgsConfig } from 'node:util';
import { DISCOVERY_PORT } from '../../core/discovery/codec.js';
import { LOCALSEND_DEFAULT_PORT } from '../../core/contract/host-port.js';
import { MAX_TEXT_BYTES } from '../../core/contract/views.js';
import { DEFAULT_PORT } from '../../core/protocol/limits.js';
import { defaultConfigDir, defaultDownloadDir } from '../../core/store/locations.js';
import { DEFAULT_RETRIES } from '../../core/transfer/retry-policy.js';
import { APP_VERSION } from '../../core/version.js';
import { t } from './i18n.js';
import { displayWidth } from './table.js';

type ParseArgsFlag = NonNullable<ParseArgsConfig['options']>[string];
/** A flag as parseArgs wants it, plus its help: the value's placeholder and lines that explain it. */
export type Flag = ParseArgsFlag & { value?: string; help: () => string };
export type Flags = Record<string, Flag>;

export interface CommandSpec {
  name: string;
  /** One line, for the overview. */
  summary: string;
  synopsis: string[];
  /** What the command does, before its flags. */
  about: string;
  flags: Flags;
  positionals: boolean;
  /** Anything after the flags (arguments, examples). */
  more?: string;
}

export const DEFAULT_PEERS_TIMEOUT_S = 2;

// Typed by their kind, not as Flag: parseArgs infers each value's type from `type` and `default`.
type StringFlag = Flag & { type: 'string'; multiple?: false };
type BooleanFlag = Flag & { type: 'boolean'; multiple?: false; default: boolean };

const json = (help: () => string): BooleanFlag => ({ type: 'boolean', default: false, help });
const config: StringFlag = {
  type: 'string',
  value: 'DIR',
  help: () => t('cli.help.config', { dir: defaultConfigDir() }),
};
const name = (help: () => string): StringFlag => ({ type: 'string', value: 'NAME', help });
const dir: StringFlag = { type: 'string', value: 'DIR', help: () => t('cli.help.dir', { dir: defaultDownloadDir() }) };
const noAnnounce: BooleanFlag = {
  type: 'boolean',
  default: false,
  help: () => t('cli.help.noAnnounce'),
};

const localsendPort: StringFlag = {
  type: 'string',
  value: 'PORT',
  help: () => t('cli.help.localsendPort', { port: LOCALSEND_DEFAULT_PORT }),
};
const noLocalsend: BooleanFlag = {
  type: 'boolean',
  default: false,
  help: () => t('cli.help.noLocalsend'),
};
const localsendPinFile: StringFlag = {
  type: 'string',
  value: 'FILE',
  help: () => t('cli.help.localsendPinFile'),
};

export const RECEIVE = {
  name: 'receive',
  summary: t('cli.help.receive.summary'),
  synopsis: ['ferry receive [options]'],
  about: t('cli.help.receive.about'),
  flags: {
    dir,
    port: { type: 'string', value: 'PORT', help: () => t('cli.help.receive.port', { port: DEFAULT_PORT }) },
    host: { type: 'string', value: 'ADDR', help: () => t('cli.help.receive.host') },
    name: name(() => t('cli.help.receive.name')),
    accept: {
      type: 'string',
      value: 'MODE',
      default: 'ask',
      help: () => t('cli.help.receive.accept'),
    },
    'secret-file': {
      type: 'string',
      value: 'FILE',
      help: () => t('cli.help.receive.secretFile'),
    },
    once: { type: 'boolean', default: false, help: () => t('cli.help.receive.once') },
    'no-announce': noAnnounce,
    'localsend-port': localsendPort,
    'no-localsend': noLocalsend,
    'localsend-pin-file': localsendPinFile,
    json: json(() => t('cli.help.jsonEvents')),
    config,
  },
  positionals: false,
} satisfies CommandSpec;

export const SEND = {
  name: 'send',
  summary: t('cli.help.send.summary'),
  synopsis: ['ferry send --to TARGET [options] PATH...', 'ferry send --to TARGET [options] --text TEXT|-'],
  about: t('cli.help.send.about'),
  flags: {
    to: {
      type: 'string',
      value: 'TARGET',
      multiple: true,
      help: () => t('cli.help.send.to', { port: DEFAULT_PORT, localsendPort: LOCALSEND_DEFAULT_PORT }),
    },
    text: {
      type: 'string',
      value: 'TEXT',
      help: () => t('cli.help.send.text', { kib: MAX_TEXT_BYTES / 1024 }),
    },
    pin: {
      type: 'string',
      value: 'PIN',
      help: () => t('cli.help.send.pin'),
    },
    name: name(() => t('cli.help.send.name')),
    retries: {
      type: 'string',
      value: 'N',
      default: String(DEFAULT_RETRIES),
      help: () => t('cli.help.send.retries', { retries: DEFAULT_RETRIES }),
    },
    'secret-file': {
      type: 'string',
      value: 'FILE',
      help: () => t('cli.help.send.secretFile'),
    },
    json: json(() => t('cli.help.jsonEvents')),
    config,
  },
  positionals: true,
  more: t('cli.help.send.more'),
} satisfies CommandSpec;

export const PEERS = {
  name: 'peers',
  summary: t('cli.help.peers.summary'),
  synopsis: ['ferry peers [options]'],
  about: t('cli.help.peers.about'),
  flags: {
    timeout: {
      type: 'string',
      value: 'SECONDS',
      help: () => t('cli.help.peers.timeout', { seconds: DEFAULT_PEERS_TIMEOUT_S }),
    },
    add: {
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      default: [],
      help: () => t('cli.help.peers.add'),
    },
    remove: {
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      default: [],
      help: () => t('cli.help.peers.remove'),
    },
    json: json(() => t('cli.help.peers.json')),
    config,
  },
  positionals: false,
} satisfies CommandSpec;

export const TRUST = {
  name: 'trust',
  summary: t('cli.help.trust.summary'),
  synopsis: ['ferry trust list [options]', 'ferry trust add ID [--name NAME] [options]', 'ferry trust remove ID|NAME [options]'],
  about: t('cli.help.trust.about'),
  flags: {
    name: { type: 'string', value: 'NAME', help: () => t('cli.help.trust.name') },
    json: json(() => t('cli.help.trust.json')),
    config,
  },
  positionals: true,
  more: t('cli.help.trust.more'),
} satisfies CommandSpec;

export const SECRET = {
  name: 'secret',
  summary: t('cli.help.secret.summary'),
  synopsis: ['ferry secret new [FILE]'],
  about: t('cli.help.secret.about'),
  flags: {},
  positionals: true,
} satisfies CommandSpec;

export const SERVE = {
  name: 'serve',
  summary: t('cli.help.serve.summary'),
  synopsis: ['ferry serve [options]'],
  about: t('cli.help.serve.about'),
  flags: {
    dir,
    port: {
      type: 'string',
      value: 'PORT',
      help: () => t('cli.help.serve.port', { port: DEFAULT_PORT }),
    },
    host: { type: 'string', value: 'ADDR', help: () => t('cli.help.serve.host') },
    name: name(() => t('cli.help.serve.name')),
    peer: {
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      default: [],
      help: () => t('cli.help.serve.peer'),
    },
    'ui-port': { type: 'string', value: 'PORT', default: '0', help: () => t('cli.help.serve.uiPort') },
    'localsend-port': localsendPort,
    'no-localsend': noLocalsend,
    'localsend-pin-file': localsendPinFile,
    accept: {
      type: 'string',
      value: 'MODE',
      help: () => t('cli.help.serve.accept'),
    },
    'no-announce': noAnnounce,
    json: json(() => t('cli.help.jsonEvents')),
    config,
  },
  positionals: false,
} satisfies CommandSpec;

export const COMMANDS: readonly CommandSpec[] = [RECEIVE, SEND, PEERS, TRUST, SECRET, SERVE];

const FLAG_COLUMN = 22;

function flagLines(label: string, text: string): string {
  const [first = '', ...rest] = text.split('\n');
  const pad = ' '.repeat(FLAG_COLUMN);
  const head = label.length + 2 < FLAG_COLUMN ? `  ${label.padEnd(FLAG_COLUMN - 2)}${first}` : `  ${label}\n${pad}${first}`;
  return [head, ...rest.map((l) => `${pad}${l}`)].join('\n');
}

/** The text `ferry COMMAND --help` prints. */
export function commandUsage(spec: CommandSpec): string {
  const usage = t('cli.help.usage');
  // The synopses after the first line up under the first, whatever the language's "Usage:" takes.
  const indent = ' '.repeat(displayWidth(usage));
  const synopsis = spec.synopsis.map((s, i) => `${i === 0 ? usage : indent}${s}`).join('\n');
  const flags = Object.entries(spec.flags).map(([flag, f]) => flagLines(`--${flag}${f.value ? ` ${f.value}` : ''}`, f.help()));
  flags.push(flagLines('-h, --help', t('cli.help.helpFlag')));
  return `${synopsis}\n\n${spec.about}\n\n${t('cli.help.options')}\n${flags.join('\n')}\n${spec.more ? `\n${spec.more}\n` : ''}`;
}

/** The text `ferry --help` prints: the commands, each in one line. */
export function overview(): string {
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(9)}${c.summary}`).join('\n');
  return t('cli.help.overview', {
    version: APP_VERSION,
    commands,
    discoveryPort: DISCOVERY_PORT,
    localsendPort: LOCALSEND_DEFAULT_PORT,
  });
}
