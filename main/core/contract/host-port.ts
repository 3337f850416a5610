// `HOST:PORT` as users type it (`[v6addr]:port` for IPv6): manual peers, `ferry send --to`,
// `--peer`. Parsing returns null for anything else; each caller says why in its own words. An
// address typed without a port (`192.168.1.20`, `nas.local`, `[fe80::1]`) means DEFAULT_PORT
// where the caller allows it.

/** Ferry's TCP port unless told otherwise (docs/PROTOCOL.md §1; protocol/limits.ts re-exports it). */
export const DEFAULT_PORT = 33779;

export interface HostPort {
  host: string;
  port: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,32})?$/;

export function parseHostPort(value: string): HostPort | null {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value) ?? /^([^:[\]]+):(\d{1,5})$/.exec(value);
  if (!m) return null;
  const host = m[1]!;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  const bracketed = value.startsWith('[');
  if (bracketed ? !IPV6.test(host) || !host.includes(':') : !HOSTNAME.test(host)) return null;
  return { host, port };
}

/** HOST:PORT, or an address alone (a host name, IPv4, `[v6]` or bare IPv6) on DEFAULT_PORT. */
export function parseAddress(value: string): HostPort | null {
  const full = parseHostPort(value);
  if (full) return full;
  const v6 = /^\[([^\]]+)\]$/.exec(value)?.[1] ?? (value.split(':').length > 2 ? value : null);
  if (v6 !== null) return IPV6.test(v6) && v6.includes(':') ? { host: v6, port: DEFAULT_PORT } : null;
  return HOSTNAME.test(value) ? { host: value, port: DEFAULT_PORT } : null;
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** LocalSend's TCP port unless told otherwise (its apps listen on it). */
export const LOCALSEND_DEFAULT_PORT = 53317;
export const LOCALSEND_SCHEME = 'localsend://';

/** Where a device is, and which protocol reaches it there. */
export interface PeerAddress extends HostPort {
  protocol: 'ferry' | 'localsend';
}

/**
 * An address as a person types it for a device: Ferry's `HOST[:PORT]`, or a LocalSend app's
 * `localsend://HOST[:PORT]` (port 53317 unless given). Null for anything else.
 */
export function parsePeerAddress(value: string): PeerAddress | null {
  if (value.slice(0, LOCALSEND_SCHEME.length).toLowerCase() === LOCALSEND_SCHEME) {
    const rest = value.slice(LOCALSEND_SCHEME.length).replace(/\/$/, '');
    const hp = parseHostPort(rest) ?? parseAddress(rest);
    if (!hp) return null;
    const port = parseHostPort(rest) ? hp.port : LOCALSEND_DEFAULT_PORT;
    return { host: hp.host, port, protocol: 'localsend' };
  }
  const hp = parseAddress(value);
  return hp ? { ...hp, protocol: 'ferry' } : null;
}

/** The address as parsePeerAddress reads it back: `HOST:PORT` or `localsend://HOST:PORT`. */
export function formatPeerAddress(p: PeerAddress): string {
  return (p.protocol === 'localsend' ? LOCALSEND_SCHEME : '') + formatHostPort(p);
}
