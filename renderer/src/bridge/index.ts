// Picks the host the renderer talks to: Electron's preload exposes window.ferry; under
// `ferry serve` there is none and a WebSocket client implements the same contract. Nothing
// else in the renderer reaches outside: every screen gets the bridge from here.

import type { FerryBridge } from '../contract.js';
import { createWsBridge } from './ws-client.js';

let bridge: FerryBridge | null = null;

export function getBridge(): FerryBridge {
  bridge ??= window.ferry ?? createWsBridge();
  return bridge;
}
