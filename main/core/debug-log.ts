// Diagnostics for developers and bug reports, off unless FERRY_DEBUG is set: then they go to
// stderr. What users must not read as a reason (OpenSSL's text, stack traces) goes here.

const enabled = /^(1|true|yes|on)$/i.test(process.env.FERRY_DEBUG ?? '');

export function debugLog(scope: string, message: string, err?: unknown): void {
  if (!enabled) return;
  const causes: string[] = [];
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: unknown; message?: unknown };
    const text = typeof x.message === 'string' ? x.message : typeof e === 'string' ? e : JSON.stringify(e);
    causes.push(`${typeof x.code === 'string' ? `${x.code}: ` : ''}${text}`);
  }
  process.stderr.write(`[ferry ${new Date().toISOString()} ${scope}] ${message}${causes.length ? ` — ${causes.join(' ← ')}` : ''}\n`);
}
