// What the Electron preload puts on window (absent in a browser under `ferry serve`).

import type { FerryBridge } from './contract.js';

declare global {
  interface Window {
    ferry?: FerryBridge;
  }
}

export {};
