// The one kind of error that means "the command line is wrong": `ferry` prints its one-line
// reason and where to find the command's usage, and exits 2. Flags that take numbers, ports and
// addresses are checked here too, each refusal naming the flag and quoting what it was given.

import { isIP } from 'node:net';
import { OFFER_POLICIES, type OfferPolicy } from '../../core/app/offer-policy.js';
import { LOCALSEND_SCHEME, parseHostPort, parsePeerAddress, type HostPort } from '../../core/contract/host-port.js';
import { DEFAULT_PORT } from '../../core/protocol/limits.js';
import { t } from './i18n.js';

export class CliUsageError extends Error {}

/** A port from 0 (pick a free one, where allowed) to 65535. */
export function parsePort(value: string, flag: string, allowZero = true): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535 || (!allowZero && port === 0)) {
    throw new CliUsageError(t('cli.usage.port', { flag, min: allowZero ? 0 : 1, value: JSON.stringify(value) }));
  }
  return port;
}

export function parseHostPortFlag(value: string, flag: string): HostPort {
  const hp = parseHostPort(value);
  if (!hp) throw new CliUsageError(t('cli.usage.hostPort', { flag, value: JSON.stringify(value) }));
  return hp;
}

/** A whole number from min to max (`--retries`). */
export function parseCount(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d{1,9}$/.test(value) || n < min || n > max) {
    throw new CliUsageError(t('cli.usage.count', { flag, min, max, value: JSON.stringify(value) }));
  }
  return n;
}

/** A duration in seconds, fractions allowed (`--timeout 0.5`). */
export function parseSeconds(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^(\d{1,9}(\.\d*)?|\.\d+)$/.test(value) || n < min || n > max) {
    throw new CliUsageError(t('cli.usage.seconds', { flag, min, max, value: JSON.stringify(value) }));
  }
  return n;
}

/**
 * `--to`'s address, or null for a device name. HOST:PORT is an address; so is an IP address
 * alone (IPv4, IPv6 bare or in brackets), on the default port. A host name alone stays a
 * device name: resolving it too would make `--to nas` mean two different things.
 */
export function parseSendTarget(to: string): (HostPort & { portGiven: boolean; protocol: 'ferry' | 'localsend' }) | null {
  if (to.slice(0, LOCALSEND_SCHEME.length).toLowerCase() === LOCALSEND_SCHEME) {
    const at = parsePeerAddress(to);
    if (!at) throw new CliUsageError(t('cli.usage.localsendTarget', { value: JSON.stringify(to) }));
    return { ...at, portGiven: true };
  }
  const ferry = parseFerryTarget(to);
  return ferry ? { ...ferry, protocol: 'ferry' } : null;
}

function parseFerryTarget(to: string): (HostPort & { portGiven: boolean }) | null {
  if (isIP(to) !== 0) return { host: to, port: DEFAULT_PORT, portGiven: false };
  const bracketed = /^\[(.+)\]$/.exec(to);
  if (bracketed && isIP(bracketed[1]!) === 6) return { host: bracketed[1]!, port: DEFAULT_PORT, portGiven: false };
  // Anything else that ends in `:digits` means a port, and must be a valid HOST:PORT.
  return /:\d+$/.test(to) ? { ...parseHostPortFlag(to, '--to'), portGiven: true } : null;
}

/** `--accept`'s value, for `ferry receive` and `ferry serve` alike. */
export function parseAcceptFlag(value: string): OfferPolicy {
  const policy = OFFER_POLICIES.find((p) => p === value);
  if (policy === undefined) {
    throw new CliUsageError(
      t('cli.usage.accept', {
        list: OFFER_POLICIES.slice(0, -1).join(t('cli.send.listSeparator')),
        last: OFFER_POLICIES.at(-1),
        value: JSON.stringify(value),
      }),
    );
  }
  return policy;
}

/** How the start-up line names the policy in force; `asker` says where `ask` asks: here, or in the browser. */
export function policyWords(policy: OfferPolicy, asker: 'here' | 'browser'): string {
  switch (policy) {
    case 'all':
      return t('cli.policy.all');
    case 'none':
      return t('cli.policy.none');
    case 'trusted':
      return t('cli.policy.trusted');
    case 'ask':
      return asker === 'here' ? t('cli.policy.askHere') : t('cli.policy.askBrowser');
  }
}
