// The window and the rules every web contents lives by: sandboxed, isolated, no Node, no
// navigation away from the bundled UI, no new windows, no permissions. Electron's security
// checklist, item by item.

import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isUiUrl, UI_ENTRY_URL } from './ui-protocol.js';

/** package.json's homepage: the only place links from the UI may open (in the OS browser). */
export const PROJECT_HOMEPAGE = 'https://github.com/ferry-app/ferry';

/** Whether a link may be handed to shell.openExternal: https, no credentials, under the project's homepage. */
export function isVettedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const home = new URL(PROJECT_HOMEPAGE);
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  if (url.hostname !== home.hostname) return false;
  return url.pathname === home.pathname || url.pathname.startsWith(`${home.pathname}/`);
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1000,
    height: 700,
    minWidth: 640,
    minHeight: 480,
    title: 'Ferry',
    show: false, // shown on ready-to-show, avoiding a blank frame while the bundle loads
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

export function createMainWindow(BrowserWindowCtor: typeof BrowserWindow, preloadPath: string): BrowserWindow {
  const win = new BrowserWindowCtor(mainWindowOptions(preloadPath));
  // Opened from the tray or a notification too: up front, not behind the window in use.
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  void win.loadURL(UI_ENTRY_URL);
  return win;
}

/**
 * Applied to every web contents the app creates (app 'web-contents-created'), not only our
 * window's, so no page can navigate away from the bundled UI, embed a webview or open a window.
 * A vetted link is handed to the OS browser instead.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void, log: (message: string) => void): void {
  // A dropped file the UI did not catch would otherwise navigate to it.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`blocked navigation to ${JSON.stringify(String(url).slice(0, 200))}`);
  });
  contents.on('will-frame-navigate', (event) => {
    // Subframes have no business in the UI; the main frame is covered by will-navigate.
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isVettedExternalUrl(url)) openExternal(url);
    else log(`blocked a new window for ${JSON.stringify(url.slice(0, 200))}`);
    return { action: 'deny' };
  });
}

/**
 * The UI needs no camera, microphone, notifications-from-web, USB, serial or the like: every
 * permission is refused, except writing plain text to the clipboard from our own page (the
 * "copy address" and "copy secret" buttons), which is no threat.
 */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === 'clipboard-sanitized-write' && details.isMainFrame && isUiUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) => permission === 'clipboard-sanitized-write' && isUiUrl(requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
