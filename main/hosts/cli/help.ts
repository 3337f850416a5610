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

const json = (what: string): BooleanFlag => ({ type: 'boolean', default: false, help: () => what });
const config: StringFlag = {
  type: 'string',
  value: 'DIR',
  help: () => `where this device's identity, trusted devices and settings are\n(default: ${defaultConfigDir()})`,
};
const name = (who: string): StringFlag => ({
  type: 'string',
  value: 'NAME',
  help: () => `the name ${who} (default: this computer's name)`,
});
const dir: StringFlag = { type: 'string', value: 'DIR', help: () => `where received files go (default: ${defaultDownloadDir()})` };
const noAnnounce: BooleanFlag = {
  type: 'boolean',
  default: false,
  help: () => 'do not announce this device on the local network (senders then need\n--to HOST:PORT)',
};

const localsendPort: StringFlag = {
  type: 'string',
  value: 'PORT',
  help: () =>
    `the port LocalSend apps reach this device on (default ${LOCALSEND_DEFAULT_PORT}, as\n` +
    'they expect; if another program holds it, a free one, announced; 0 picks a free one)',
};
const noLocalsend: BooleanFlag = {
  type: 'boolean',
  default: false,
  help: () => 'do not speak LocalSend (phones and LocalSend apps then neither see\nnor reach this device)',
};
const localsendPinFile: StringFlag = {
  type: 'string',
  value: 'FILE',
  help: () => 'LocalSend apps must give the PIN in FILE (4 to 64 characters, its\nfirst line) to send here',
};

export const RECEIVE = {
  name: 'receive',
  summary: 'receive files from other devices, asking before each offer',
  synopsis: ['ferry receive [options]'],
  about:
    'Waits for other devices to send files and saves them, verified, into a folder. Files that\nexist already are never overwritten: a newcomer becomes "name (1).ext".',
  flags: {
    dir,
    port: { type: 'string', value: 'PORT', help: () => `the port to receive on (default ${DEFAULT_PORT}; 0 picks a free one)` },
    host: { type: 'string', value: 'ADDR', help: () => 'the address to listen on (default: all; 127.0.0.1: this\ncomputer only)' },
    name: name('senders see'),
    accept: {
      type: 'string',
      value: 'MODE',
      default: 'ask',
      help: () =>
        'which offers to accept (default: ask):\n' +
        '  ask      ask here for each offer, showing the verification code;\n' +
        '           trusted devices are accepted without asking; with no\n' +
        '           terminal to ask on, every other offer is declined\n' +
        '  trusted  accept trusted devices, decline the others\n' +
        '  all      accept every offer\n' +
        '  none     decline every offer',
    },
    'secret-file': {
      type: 'string',
      value: 'FILE',
      help: () => 'accept only senders that prove they know the shared secret in FILE\n(make one with `ferry secret new FILE`)',
    },
    once: { type: 'boolean', default: false, help: () => 'exit after the first transfer ends (0 if it succeeded, else 1)' },
    'no-announce': noAnnounce,
    'localsend-port': localsendPort,
    'no-localsend': noLocalsend,
    'localsend-pin-file': localsendPinFile,
    json: json('print newline-delimited JSON events on stdout instead of text'),
    config,
  },
  positionals: false,
} satisfies CommandSpec;

export const SEND = {
  name: 'send',
  summary: 'send files and folders to a device',
  synopsis: ['ferry send --to TARGET [options] PATH...', 'ferry send --to TARGET [options] --text TEXT|-'],
  about:
    'Sends files and folders (with everything in them) to one device, and exits 0 only when\n' +
    'the receiver verified every file. An interrupted transfer resumes where it stopped.',
  flags: {
    to: {
      type: 'string',
      value: 'TARGET',
      multiple: true,
      help: () =>
        'the receiver (required; repeat it to send to several, each its own\ntransfer), one of:\n' +
        '  NAME       a device name as `ferry peers` lists it (any case)\n' +
        '  HOST:PORT  an address and port; [v6addr]:PORT for IPv6\n' +
        `  ADDRESS    an IP address alone (IPv4, v6addr or [v6addr]), on\n` +
        `             Ferry's default port, ${DEFAULT_PORT}\n` +
        '  localsend://HOST[:PORT]\n' +
        `             a LocalSend app (a phone, say), on port ${LOCALSEND_DEFAULT_PORT} unless given\n` +
        'A host name without a port is a device name, not looked up in DNS.',
    },
    text: {
      type: 'string',
      value: 'TEXT',
      help: () => `send a text message instead of files (at most ${MAX_TEXT_BYTES / 1024} KiB);\n- reads it from standard input`,
    },
    pin: {
      type: 'string',
      value: 'PIN',
      help: () => 'the PIN a LocalSend receiver asks for (without it, asked on the\nterminal when there is one)',
    },
    name: name('the receiver sees'),
    retries: {
      type: 'string',
      value: 'N',
      default: String(DEFAULT_RETRIES),
      help: () =>
        'how often to reconnect after a broken, refused or corrupted\n' +
        'connection, waiting 1 s, 2 s, 4 s… up to 10 s in between\n' +
        `(0 to 100; default ${DEFAULT_RETRIES}: about 45 s)`,
    },
    'secret-file': {
      type: 'string',
      value: 'FILE',
      help: () => 'send only to a receiver that proves it knows the shared secret\nin FILE',
    },
    json: json('print newline-delimited JSON events on stdout instead of text'),
    config,
  },
  positionals: true,
  more:
    'Examples:\n  ferry send --to "Alice laptop" ~/Pictures/holiday notes.txt\n  ferry send --to 192.168.1.20 notes.txt\n' +
    '  ferry send --to localsend://192.168.1.30 photo.jpg\n' +
    '  ferry send --to "Alice laptop" --text "https://example.org/recipe"\n\n' +
    'LocalSend devices (phones, LocalSend apps) cannot resume: a retry sends the unfinished\nfiles again from their start.',
} satisfies CommandSpec;

export const PEERS = {
  name: 'peers',
  summary: 'list the devices you can send to',
  synopsis: ['ferry peers [options]'],
  about:
    'Lists the receivers that answer on the local network, and the devices added with --add\n' +
    '(each tried, to say whether it is reachable).',
  flags: {
    timeout: {
      type: 'string',
      value: 'SECONDS',
      help: () => `how long to wait for answers (default ${DEFAULT_PEERS_TIMEOUT_S}; 0.1 to 600)`,
    },
    add: {
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      default: [],
      help: () =>
        'remember a device discovery cannot see (another subnet, a VPN);\nlocalsend://HOST[:PORT] for a LocalSend app; repeatable',
    },
    remove: {
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      default: [],
      help: () => 'forget a device added with --add; repeatable',
    },
    json: json('one JSON object per device on stdout (names in full)'),
    config,
  },
  positionals: false,
} satisfies CommandSpec;

export const TRUST = {
  name: 'trust',
  summary: 'list, add or remove trusted devices (accepted without asking)',
  synopsis: ['ferry trust list [options]', 'ferry trust add ID [--name NAME] [options]', 'ferry trust remove ID|NAME [options]'],
  about: 'Offers from trusted devices are accepted without asking (with --accept ask or trusted).',
  flags: {
    name: { type: 'string', value: 'NAME', help: () => 'with add: the name to show for the device (default:\n"unnamed device")' },
    json: json('one JSON object per line on stdout'),
    config,
  },
  positionals: true,
  more:
    'Actions:\n' +
    "  list       this device's id (for `ferry trust add` on another computer), then each\n" +
    '             trusted device\n' +
    "  add ID     trust the device with this id (64 hex digits, as that device's\n" +
    '             `ferry trust list` shows it)\n' +
    '  remove ID  stop trusting a device, given its id, 8 or more of its first digits, or\n' +
    '             its name',
} satisfies CommandSpec;

export const SECRET = {
  name: 'secret',
  summary: 'make a shared secret for --secret-file',
  synopsis: ['ferry secret new [FILE]'],
  about:
    'Makes a new 256-bit shared secret and writes it to FILE, readable by you only (an existing\n' +
    'FILE is never overwritten), or prints it without FILE. Copy the file to your other devices\n' +
    'and pass --secret-file FILE to send and receive: a receiver then accepts only senders that\n' +
    'hold the same secret, and a sender sends only to such a receiver.',
  flags: {},
  positionals: true,
} satisfies CommandSpec;

export const SERVE = {
  name: 'serve',
  summary: 'run Ferry without a desktop, with its UI in a browser on this computer',
  synopsis: ['ferry serve [options]'],
  about:
    'Runs Ferry headless (receiving, discovery, the transfer queue) and serves the desktop\n' +
    "app's UI to a browser on this computer only (127.0.0.1). Open the link it prints: it\n" +
    'holds an access key, so keep it to yourself; use an SSH tunnel to reach it from elsewhere.',
  flags: {
    dir,
    port: {
      type: 'string',
      value: 'PORT',
      help: () => `the port to receive on (default: the saved setting, else ${DEFAULT_PORT};\n0 picks a free one)`,
    },
    host: { type: 'string', value: 'ADDR', help: () => 'the address to receive on (default: all)' },
    name: name('other devices see'),
    peer: {
      type: 'string',
      value: 'HOST:PORT',
      multiple: true,
      default: [],
      help: () => 'a device discovery cannot see, listed for this run; repeatable',
    },
    'ui-port': { type: 'string', value: 'PORT', default: '0', help: () => "the UI's port on 127.0.0.1 (default: a free one)" },
    'localsend-port': localsendPort,
    'no-localsend': noLocalsend,
    'localsend-pin-file': localsendPinFile,
    accept: {
      type: 'string',
      value: 'MODE',
      help: () => 'ask (in the browser), all, trusted or none, as for ferry receive\n(default: the saved setting)',
    },
    'no-announce': noAnnounce,
    json: json('print newline-delimited JSON events on stdout instead of text'),
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
  const synopsis = spec.synopsis.map((s, i) => `${i === 0 ? 'Usage: ' : '       '}${s}`).join('\n');
  const flags = Object.entries(spec.flags).map(([flag, f]) => flagLines(`--${flag}${f.value ? ` ${f.value}` : ''}`, f.help()));
  flags.push(flagLines('-h, --help', 'show this help'));
  return `${synopsis}\n\n${spec.about}\n\nOptions:\n${flags.join('\n')}\n${spec.more ? `\n${spec.more}\n` : ''}`;
}

/** The text `ferry --help` prints: the commands, each in one line. */
export function overview(): string {
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(9)}${c.summary}`).join('\n');
  return `ferry ${APP_VERSION} — share files with the devices on your local network

Usage: ferry COMMAND [options]

Commands:
${commands}
  help     ferry help COMMAND shows a command's options
  version  print the version

Run 'ferry COMMAND --help' for a command's options.

Environment:
  FERRY_DISCOVERY_INTERFACES  discover only on these interfaces (comma-separated names,
                              or loopback); LocalSend's discovery too
  FERRY_DISCOVERY_PORT        UDP port of discovery (default ${DISCOVERY_PORT})
  FERRY_LOCALSEND_DISCOVERY_PORT
                              UDP port of LocalSend's discovery (default ${LOCALSEND_DEFAULT_PORT})
  FERRY_DEBUG=1               print the underlying library errors on stderr, for bug reports
`;
}
