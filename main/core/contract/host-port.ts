// `HOST:PORT` as users type it (`[v6addr]:port` for IPv6): manual peers, `ferry send --to`,
// `--peer`. Parsing returns null for anything else; each caller says why in its own words.

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

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
