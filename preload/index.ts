// The bridge between the sandboxed renderer and the host. It exposes plain data only;
// the typed command/event contract replaces this placeholder in the desktop UI issue.

import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('ferry', {
  platform: process.platform,
  versions: {
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
  },
});
