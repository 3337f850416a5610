// Electron host: app lifecycle and the window. It stays a thin adapter; the engine
// lives in main/core and never imports electron.

import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, session } from 'electron';

// Resolved from this file's place in dist/ (dist/main/electron/main.js) so the
// paths hold both when run from the repo and from inside a packaged asar.
const preloadPath = fileURLToPath(new URL('../../preload/index.js', import.meta.url));
const rendererPath = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));

// Every renderer is sandboxed, including any a later change creates without
// remembering the flag.
app.enableSandbox();

function createWindow(): void {
  const win = new BrowserWindow({
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
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererPath);
}

// Applied to every web contents, not only our window's, so a page can never
// navigate away from the bundled UI or open a window of its own.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  // macOS apps conventionally stay alive in the dock with no window open.
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow();
});

void app.whenReady().then(() => {
  // The UI needs no camera, microphone, notifications-from-web or the like.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  createWindow();
});
