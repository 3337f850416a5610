// Serves the renderer bundle (dist/renderer) on ferry://ui/ instead of file://.
// Under file://, CSP's 'self' matches every local file, including ones a peer just sent us;
// a scheme of our own gives the UI a real origin that contains exactly the bundle, and the
// sender check in ipc.ts one precise URL to compare. Electron's security checklist
// recommends this ("Avoid usage of the file:// protocol").

import { UI_CONTENT_TYPES } from '../ui-files.js';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { CustomScheme } from 'electron';

export const UI_SCHEME = 'ferry';
export const UI_HOST = 'ui';
export const UI_ENTRY_URL = `${UI_SCHEME}://${UI_HOST}/index.html`;

/** Whether `url` is a page of the bundled UI (ferry://ui/…). */
export function isUiUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${UI_SCHEME}:` && u.host === UI_HOST;
  } catch {
    return false;
  }
}

/**
 * Registered before the app is ready. `standard` gives relative URLs and an origin, `secure`
 * makes it a secure context; fetch and CORS-mode requests are how Chromium loads the bundle's
 * `<script type="module" crossorigin>`.
 */
export const UI_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: UI_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

/**
 * Sent as a header on every response. The same policy as renderer/index.html's meta tag (a
 * test keeps them equal), plus frame-ancestors, which a meta tag cannot carry.
 */
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Only what a Vite build emits; anything else is not part of the UI and is not served.

/** The file under `rootDir` a ferry://ui/ URL names, or null when it names none (or tries to leave the folder). */
export function uiFilePath(rootDir: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${UI_SCHEME}:` || u.host !== UI_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0')) return null;
  const root = path.resolve(rootDir);
  const full = path.resolve(root, `.${rel}`);
  const inside = path.relative(root, full);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  if (!(path.extname(full).toLowerCase() in UI_CONTENT_TYPES)) return null;
  return full;
}

/** The protocol.handle handler for UI_SCHEME: GET/HEAD of the bundle's files, 404 for anything else. */
export function uiRequestHandler(
  rootDir: string,
  readFile: (p: string) => Promise<Uint8Array> = fs.readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const notFound = (): Response => new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = uiFilePath(rootDir, request.url);
    if (!file) return notFound();
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return notFound();
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': UI_CONTENT_TYPES[path.extname(file).toLowerCase()]!,
        'Content-Security-Policy': UI_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}
