// The command line's LocalSend flags, shared by `ferry receive` and `ferry serve`:
// --localsend-port, --no-localsend and --localsend-pin-file, as FerryApp overrides.

import * as fs from 'node:fs/promises';
import { isLocalSendPin, LOCALSEND_PIN_CHARS } from '../../core/store/settings-file.js';
import { cliError, t } from './i18n.js';
import { CliUsageError, parsePort } from './usage.js';

export interface LocalSendFlags {
  'localsend-port'?: string | undefined;
  'no-localsend'?: boolean | undefined;
  'localsend-pin-file'?: string | undefined;
}

export interface LocalSendOverrides {
  localsend?: boolean;
  localsendPort?: number;
  localsendPin?: string | null;
}

/** Only what the flags say: a flag not given leaves the saved setting (serve) or the default (receive). */
export async function localSendOverrides(values: LocalSendFlags): Promise<LocalSendOverrides> {
  const out: LocalSendOverrides = {};
  if (values['no-localsend']) {
    if (values['localsend-port'] !== undefined || values['localsend-pin-file'] !== undefined)
      throw new CliUsageError(t('cli.usage.noLocalsend'));
    out.localsend = false;
    return out;
  }
  if (values['localsend-port'] !== undefined) out.localsendPort = parsePort(values['localsend-port'], '--localsend-port');
  if (values['localsend-pin-file'] !== undefined) out.localsendPin = await loadPin(values['localsend-pin-file']);
  return out;
}

/** A PIN file's first line, trimmed. */
async function loadPin(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw cliError('IO_ERROR', (tr) => tr('cli.pinFile.cannotRead', { file, reason }));
  }
  const pin: string = (text.split(/\r?\n/)[0] ?? '').trim();
  if (!isLocalSendPin(pin)) {
    const has = [...pin].length;
    throw cliError('BAD_CONFIG', (tr) =>
      tr('cli.pinFile.length', { file, min: LOCALSEND_PIN_CHARS.min, max: LOCALSEND_PIN_CHARS.max, has }),
    );
  }
  return pin;
}
