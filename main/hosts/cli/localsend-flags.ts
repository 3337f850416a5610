// The command line's LocalSend flags, shared by `ferry receive` and `ferry serve`:
// --localsend-port, --no-localsend and --localsend-pin-file, as FerryApp overrides.

import * as fs from 'node:fs/promises';
import { FerryError } from '../../core/errors.js';
import { isLocalSendPin, LOCALSEND_PIN_CHARS } from '../../core/store/settings-file.js';
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
      throw new CliUsageError('--no-localsend turns LocalSend off: it takes no --localsend-port or --localsend-pin-file');
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
    throw new FerryError('IO_ERROR', `cannot read the PIN file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const pin: string = (text.split(/\r?\n/)[0] ?? '').trim();
  if (!isLocalSendPin(pin)) {
    throw new FerryError(
      'BAD_CONFIG',
      `the PIN in ${file} must have ${LOCALSEND_PIN_CHARS.min} to ${LOCALSEND_PIN_CHARS.max} characters on its first line (it has ${[...pin].length})`,
    );
  }
  return pin;
}
