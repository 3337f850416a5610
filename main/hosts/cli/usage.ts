// The one kind of error that means "the command line is wrong": `ferry` prints it with the
// usage text and exits 2. Flags that parse as numbers and ports are checked here too.

import { parseHostPort, type HostPort } from '../../core/contract/host-port.js';

export class CliUsageError extends Error {}

/** A port from 0 (pick a free one, where allowed) to 65535. */
export function parsePort(value: string, flag: string, allowZero = true): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535 || (!allowZero && port === 0)) {
    throw new CliUsageError(`${flag} takes a port number from ${allowZero ? 0 : 1} to 65535, not ${JSON.stringify(value)}`);
  }
  return port;
}

export function parseHostPortFlag(value: string, flag: string): HostPort {
  const hp = parseHostPort(value);
  if (!hp) throw new CliUsageError(`${flag} wants HOST:PORT ([v6addr]:port for IPv6), not ${JSON.stringify(value)}`);
  return hp;
}

/** `--to` takes HOST:PORT, or a device's name; anything ending in `:digits` is the former. */
export function looksLikeHostPort(to: string): boolean {
  return /:\d+$/.test(to);
}
