// The renderer build, served as files: nothing outside the build folder (not by `..`, an
// encoded slash or a symbolic link), no folder listings, and the page's security policy.

import * as fs from 'node:fs/promises';
import type * as http from 'node:http';
import * as path from 'node:path';
import { UI_CONTENT_TYPES } from '../ui-files.js';
import { replyError } from './http-replies.js';

export async function serveStatic(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  where: { uiDir: string; port: number },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return replyError(res, 405, { code: 'BAD_MESSAGE', message: 'GET only' });
  const notFound = (): void => replyError(res, 404, { code: 'BAD_MESSAGE', message: 'not found' });
  const rel = safeRelative(pathname);
  if (rel === null) return replyError(res, 400, { code: 'PATH_UNSAFE', message: 'bad path' });
  const root = path.resolve(where.uiDir);
  const wanted = rel === '' ? 'index.html' : rel;
  let file: string;
  try {
    // realpath: a link inside the build pointing outside it is refused like `..` would be.
    const realRoot = await fs.realpath(root);
    file = await fs.realpath(path.join(realRoot, wanted));
    if (!isInside(realRoot, file)) return notFound();
  } catch {
    if (rel === '')
      return replyError(res, 503, {
        code: 'IO_ERROR',
        message: `the UI is not built (no ${path.join(root, 'index.html')}); run npm run build`,
      });
    return notFound();
  }
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return notFound();
  }
  try {
    const st = await fh.stat();
    // Folders are never listed.
    if (!st.isFile()) return notFound();
    const ext = path.extname(file).toLowerCase();
    res.setHeader('Content-Type', UI_CONTENT_TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('Content-Length', st.size);
    if (ext === '.html') {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(where.port));
      res.setHeader('Cache-Control', 'no-store');
    } else {
      res.setHeader('Cache-Control', 'no-cache');
    }
    res.statusCode = 200;
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fh.createReadStream();
    await new Promise<void>((resolve) => {
      stream.pipe(res);
      stream.once('error', () => res.destroy());
      res.once('close', () => {
        stream.destroy();
        resolve();
      });
    });
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * renderer/index.html's policy (which its meta tag enforces too), plus what only a header
 * can say: the WebSocket endpoint, and no framing by other pages.
 */
function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The request path as a relative path inside the UI folder, or null when it tries to leave
 * it: every segment is decoded once and checked, so `..`, `%2e%2e`, `%2f` and `\` never
 * become a step outside, whatever a later normalisation would make of them.
 */
export function safeRelative(pathname: string): string | null {
  if (!pathname.startsWith('/')) return null;
  const segments = pathname.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    let seg: string;
    try {
      seg = decodeURIComponent(segments[i]!);
    } catch {
      return null;
    }
    if (seg === '') {
      if (i === segments.length - 1) continue; // a trailing slash
      return null;
    }
    if (seg === '.' || seg === '..' || /[/\\\u0000-\u001f:]/.test(seg)) return null;
    out.push(seg);
  }
  return out.join('/');
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
