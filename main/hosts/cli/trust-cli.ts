// `ferry trust list|add|remove` and `ferry secret new`: managing pinned devices and the
// shared secret from a terminal.

import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FerryError } from '../../core/errors.js';
import { printable } from '../../core/protocol/wire-path.js';
import { generateSecret } from '../../core/security/secret.js';
import { TrustStore } from '../../core/store/trust-store.js';
import { loadIdentity } from '../../core/security/identity.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { SECRET, TRUST } from './help.js';
import { CliUsageError } from './usage.js';

export async function trustCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: TRUST.flags, strict: true, allowPositionals: true });
  const [action, target, ...extra] = positionals;
  const configDir = values.config ?? defaultConfigDir();
  const store = await TrustStore.load(configDir);
  switch (action) {
    case 'list': {
      if (target !== undefined) throw new CliUsageError('trust list takes no arguments');
      const me = await loadIdentity(configDir);
      if (values.json) {
        // This device first (its id is what `ferry trust add` wants on another machine), then
        // every trusted one; `kind` tells them apart.
        const lines = [
          { kind: 'this-device', id: me.deviceId, name: me.deviceName },
          ...store.list().map((d) => ({ kind: 'trusted', ...d })),
        ];
        process.stdout.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
        return 0;
      }
      process.stdout.write(`This device: ${printable(me.deviceName)}  ${me.deviceId}\n`);
      if (store.list().length === 0) {
        process.stdout.write(
          'No trusted devices. Trust one by answering "always" when it sends you files, or with `ferry trust add ID`.\n',
        );
      }
      for (const d of store.list()) {
        process.stdout.write(`${d.id}  ${printable(d.name)}  (since ${new Date(d.addedAt).toISOString().slice(0, 10)})\n`);
      }
      return 0;
    }
    case 'add': {
      if (!target || extra.length > 0)
        throw new CliUsageError('trust add takes one device id (64 hex digits): ferry trust add ID [--name NAME]');
      const d = await store.add(target.toLowerCase(), values.name ?? 'unnamed device');
      process.stdout.write(values.json ? `${JSON.stringify(d)}\n` : `Trusted ${printable(d.name)} (${d.id})\n`);
      return 0;
    }
    case 'remove': {
      if (!target || extra.length > 0) throw new CliUsageError('trust remove takes one device id, id prefix or name');
      const gone = await store.remove(target);
      for (const d of gone)
        process.stdout.write(values.json ? `${JSON.stringify(d)}\n` : `No longer trusted: ${printable(d.name)} (${d.id})\n`);
      return 0;
    }
    default:
      throw new CliUsageError(
        `${action === undefined ? 'trust needs an action' : `no trust action ${JSON.stringify(action)}`}: list, add ID or remove ID|NAME`,
      );
  }
}

/** `ferry secret new [FILE]`: prints a fresh secret, or writes it to FILE readable by the user only. */
export async function secretCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: SECRET.flags, strict: true, allowPositionals: true });
  const [action, file, ...extra] = positionals;
  if (action !== 'new' || extra.length > 0) throw new CliUsageError('secret takes "new" and at most a FILE: ferry secret new [FILE]');
  const secret = generateSecret();
  if (!file) {
    process.stdout.write(`${secret}\n`);
    return 0;
  }
  try {
    // Never overwrite: replacing a secret silently would lock out every device that uses it.
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600, flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FerryError(
      'IO_ERROR',
      code === 'EEXIST' ? `${file} already exists; not overwriting it` : `cannot write ${file}: ${code ?? (err as Error).message}`,
    );
  }
  process.stderr.write(`Wrote a new shared secret to ${file}. Copy it to your other devices and pass --secret-file ${file}.\n`);
  return 0;
}
