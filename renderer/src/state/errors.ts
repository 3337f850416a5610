// What a failed bridge call says to the user: the FerryError's message, whatever wrapped it
// (Electron's IPC prefixes "Error invoking remote method 'x': FerryError: …").

export interface ErrorInfo {
  code: string | null;
  message: string;
}

const IPC_PREFIX = /^Error invoking remote method '[^']*':\s*/;
const NAME_PREFIX = /^(?:FerryError|Error|TypeError)(?:\s*\[[A-Z_]+\])?:\s*/;

function clean(message: string): string {
  return message.replace(IPC_PREFIX, '').replace(NAME_PREFIX, '').trim();
}

export function describeError(err: unknown): ErrorInfo {
  if (typeof err === 'string') return { code: null, message: clean(err) || 'Something went wrong.' };
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : null;
    const message = typeof e.message === 'string' ? clean(e.message) : '';
    if (message) return { code, message };
    if (code) return { code, message: code };
  }
  return { code: null, message: 'Something went wrong.' };
}

export function errorMessage(err: unknown): string {
  return describeError(err).message;
}

/** "not enough disk space" → "Not enough disk space." for a standalone sentence. */
export function sentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const first = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}
