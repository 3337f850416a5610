// The one kind of error that means "the command line is wrong": `ferry` prints it with the
// usage text and exits 2. Flags that parse as numbers and ports are checked here too.

import { OFFER_POLICIES, type OfferPolicy } from '../../core/app/offer-policy.js';
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

/** `--accept`'s value, for `ferry receive` and `ferry serve` alike. */
export function parseAcceptFlag(value: string): OfferPolicy {
  const policy = OFFER_POLICIES.find((p) => p === value);
  if (policy === undefined) {
    throw new CliUsageError(
      `--accept takes ${OFFER_POLICIES.slice(0, -1).join(', ')} or ${OFFER_POLICIES.at(-1)}, not ${JSON.stringify(value)}`,
    );
  }
  return policy;
}

/** How the start-up line names the policy in force; `asker` says where `ask` asks. */
export function policyWords(policy: OfferPolicy, asker: string): string {
  switch (policy) {
    case 'all':
      return 'accepting every offer';
    case 'none':
      return 'declining every offer';
    case 'trusted':
      return 'accepting trusted devices only';
    case 'ask':
      return `asking ${asker} for each offer`;
  }
}
