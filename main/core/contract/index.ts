// The one contract between the engine and every UI host: what the UI can ask (queries), tell
// (commands) and hear (events), and what the renderer gets to do it. Node-free, so the renderer
// imports it too. The views and events are views.ts, the calls and their argument checks
// tables in commands.ts, all re-exported here. The Electron adapter, the preload bridge,
// `ferry serve` and its browser client are all written against these types: a change here is
// a compile error in each of them.

import type { Commands, HostCalls } from './commands.js';
import type { Remote, SendResultView, TransferLabel, UiEvent } from './views.js';

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
  /**
   * Sends files dropped on a peer card (File objects from a DataTransfer), and the empty
   * folders among them ("holiday/empty"), which a browser cannot hand over as files.
   */
  sendDropped(peerKey: string, files: DroppedFile[], emptyDirs?: string[]): Promise<SendResultView>;
  /** Stops an upload of picked or dropped files before its transfer starts (browser hosts). */
  cancelUpload(uploadId: string): void;
  onEvent(listener: (e: BridgeEvent) => void): () => void;
}

/**
 * A browser uploading picked or dropped files to `ferry serve`, before the transfer exists:
 * shown in the queue at once, so a large file does not leave the page silent while it goes.
 */
export interface UploadView {
  id: string;
  peerKey: string;
  peerName: string;
  label: TransferLabel;
  fileCount: number;
  dirCount: number;
  totalBytes: number;
  sentBytes: number;
  startedAt: number;
}

/** What the bridge tells the UI: the engine's events, and what only the bridge knows. */
export type BridgeEvent =
  | UiEvent
  /** The connection to the engine (only `ferry serve`'s can break): false at once when it does. */
  | { type: 'connection'; connected: boolean }
  /** Uploads in progress (browser hosts), whole, whenever one starts, moves or ends. */
  | { type: 'uploads'; uploads: UploadView[] };

/**
 * A dropped file as the renderer hands it over: the File, plus its path inside a dropped
 * folder ("holiday/img1.jpg"), which browsers only tell through directory entries.
 */
export interface DroppedFile {
  file: File;
  relativePath: string;
}
