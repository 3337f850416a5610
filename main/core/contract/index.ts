// The one contract between the engine and every UI host: what the UI can ask (queries), tell
// (commands) and hear (events), and what the renderer gets to do it. Node-free, so the renderer
// imports it too. The views and events are views.ts, the calls and their argument checks
// tables in commands.ts, all re-exported here. The Electron adapter, the preload bridge,
// `ferry serve` and its browser client are all written against these types: a change here is
// a compile error in each of them.

import type { Commands, HostCalls } from './commands.js';
import type { Remote, SendResultView, UiEvent } from './views.js';

export * from './views.js';
export * from './commands.js';
export * from './format.js';
export * from './host-port.js';

/** What a host can do beyond the engine (native pickers, opening files). */
export interface HostCapabilities {
  /** Native file and folder pickers that return paths (Electron). */
  nativePickers: boolean;
  /** Can open a received file or show it in its folder. */
  openFiles: boolean;
  /** "Electron" or "browser". */
  kind: 'electron' | 'browser';
}

/**
 * What the renderer gets (window.ferry in Electron, a WebSocket client under `ferry serve`).
 * Dropped and picked files are host business: Electron turns them into paths, the browser
 * uploads them to the daemon first.
 */
export interface FerryBridge extends Remote<Commands>, HostCalls {
  host: HostCapabilities;
  /** Sends files dropped on a peer card (File objects from a DataTransfer). */
  sendDropped(peerKey: string, files: DroppedFile[]): Promise<SendResultView>;
  onEvent(listener: (e: UiEvent) => void): () => void;
}

/**
 * A dropped file as the renderer hands it over: the File, plus its path inside a dropped
 * folder ("holiday/img1.jpg"), which browsers only tell through directory entries.
 */
export interface DroppedFile {
  file: File;
  relativePath: string;
}
