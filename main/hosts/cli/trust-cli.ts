// `ferry trust list|add|remove` and `ferry secret new`: managing pinned devices and the
// shared secret from a terminal.

import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { printable } from '../../core/protocol/wire-path.js';
import { generateSecret } from '../../core/security/secret.js';
import { TrustStore } from '../../core/store/trust-store.js';
import { loadIdentity } from '../../core/security/identity.js';
import { defaultConfigDir } from '../../core/store/locations.js';
import { SECRET, TRUST } from './help.js';
import { cliError, t } from './i18n.js';
import { CliUsageError } from './usage.js';

export async function trustCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: TRUST.flags, strict: true, allowPositionals: true });
  const [action, target, ...extra] = positionals;
  const configDir = values.config ?? defaultConfigDir();
  const store = await TrustStore.load(configDir);
  switch (action) {
    case 'list': {
      if (target !== undefined) throw new CliUsageError(t('cli.usage.trustListArgs'));
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
      process.stdout.write(`${t('cli.trust.thisDevice', { name: printable(me.deviceName), id: me.deviceId })}\n`);
      if (store.list().length === 0) process.stdout.write(`${t('cli.trust.none')}\n`);
      for (const d of store.list()) {
        const since = new Date(d.addedAt).toISOString().slice(0, 10);
        process.stdout.write(`${t('cli.trust.device', { id: d.id, name: printable(d.name), since })}\n`);
      }
      return 0;
    }
    case 'add': {
      if (!target || extra.length > 0) throw new CliUsageError(t('cli.usage.trustAddArgs'));
      // The name is stored, and other devices' UIs show it: a default in the CLI's language.
      const d = await store.add(target.toLowerCase(), values.name ?? t('cli.trust.unnamed'));
      process.stdout.write(values.json ? `${JSON.stringify(d)}\n` : `${t('cli.trust.added', { name: printable(d.name), id: d.id })}\n`);
      return 0;
    }
    case 'remove': {
      if (!target || extra.length > 0) throw new CliUsageError(t('cli.usage.trustRemoveArgs'));
      const gone = await store.remove(target);
      for (const d of gone)
        process.stdout.write(values.json ? `${JSON.stringify(d)}\n` : `${t('cli.trust.removed', { name: printable(d.name), id: d.id })}\n`);
      return 0;
    }
    default:
      throw new CliUsageError(
        action === undefined ? t('cli.usage.trustNeedsAction') : t('cli.usage.trustUnknownAction', { action: JSON.stringify(action) }),
      );
  }
}

/** `ferry secret new [FILE]`: prints a fresh secret, or writes it to FILE readable by the user only. */
export async function secretCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: SECRET.flags, strict: true, allowPositionals: true });
  const [action, file, ...extra] = positionals;
  if (action !== 'new' || extra.length > 0) throw new CliUsageError(t('cli.usage.secretArgs'));
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
    throw cliError('IO_ERROR', (tr) =>
      code === 'EEXIST'
        ? tr('cli.secret.exists', { file })
        : tr('cli.secret.cannotWrite', { file, reason: code ?? (err as Error).message }),
    );
  }
  process.stderr.write(`${t('cli.secret.written', { file })}\n`);
  return 0;
}
