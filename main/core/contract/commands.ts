// What a UI can call, one table per kind of call: each name with one check per argument. The
// IPC channels, the preload's window.ferry, the WebSocket client's methods and the validator
// every edge runs (app/validate-call.ts) all derive from these tables, and the WebSocket's
// messages are typed here for both of its ends. Node-free and without runtime imports: the
// renderer type-checks it, and the sandboxed preload's bundle inlines it.

import { MAX_TEXT_BYTES } from './views.js';
import type { DesktopSettingsView, OfferChoice } from './views.js';
import type { AppState, ErrorView, FileView, HistoryEntry, PartialsView, Remote, SendResultView, SettingsView, UiEvent } from './views.js';
import type { DiscoverySnapshot } from './discovery-status.js';

// ---- argument checks ----

/**
 * One argument's check, run on whatever arrived. `T` is the type it was written for: when a
 * parameter's type outgrows it (a new answer in a union, an id that may now be null), the
 * table stops compiling until the check follows.
 */
export interface Check<T> {
  (value: unknown): boolean;
  /** Never set: it only carries T (contravariantly) for the compiler. */
  readonly accepts?: (value: T) => void;
}

/** A string of min..max UTF-16 units. */
const str =
  (max: number, min = 1): Check<string> =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max;

const oneOf =
  <V extends string>(...values: V[]): Check<V> =>
  (v) =>
    typeof v === 'string' && (values as string[]).includes(v);

const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v) =>
    v === null || check(v);

/** A non-empty list of at most `max` items, each passing `item`. */
const list =
  <T>(item: Check<T>, max: number): Check<T[]> =>
  (v) =>
    Array.isArray(v) && v.length > 0 && v.length <= max && v.every((x) => item(x));

/** Part of an offer: wire paths (at most the offer's entry cap) or null, and a local folder or null. */
const offerChoice: Check<OfferChoice> = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { paths, folder, ...rest } = v as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return false;
  const pathsOk =
    paths === null ||
    (Array.isArray(paths) && paths.length <= 250_000 && paths.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 4096));
  const folderOk = folder === null || (typeof folder === 'string' && folder.length > 0 && folder.length <= 32_768);
  return pathsOk && folderOk;
};

/** A plain object with few keys: its fields are the engine's to check (settings answer BAD_CONFIG). */
const patch: Check<object> = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length <= 16;

// The sizes are far above any real value and small enough that a hostile page cannot make
// the engine hold or log much of what it sends.
/** Transfer and offer ids (the engine makes 16-character ones). */
const id = str(128);
/** A device id, or `manual:HOST:PORT`. */
const peerKey = str(512);
/** HOST:PORT as the user typed it. */
const hostPort = str(300);
/** A certificate fingerprint (64 hex digits). */
const deviceId = str(64);
/** A local path, up to Windows' long-path limit. */
const localPath = str(32_768);
/** A staging batch of `ferry serve` (the browser makes 22-character ones). */
const batchId = str(64);

// ---- tables ----

type ChecksOf<A extends readonly unknown[]> = { readonly [I in keyof A]: Check<A[I]> };

/**
 * A table of calls: every name of C, nothing else, with one check per parameter. Written as
 * `const X: CallTable<C> = {…}`, a name missing from either side, or a parameter without its
 * check, is a compile error.
 */
export type CallTable<C> = { readonly [K in keyof C]: C[K] extends (...args: infer A) => unknown ? ChecksOf<A> : never };

const namesOf = <C>(table: CallTable<C>): readonly (keyof C & string)[] => Object.keys(table) as (keyof C & string)[];

/** Fails to compile unless T is never: for names two tables must not share. */
type Disjoint<T extends never> = T;

/**
 * Requests the UI sends to the engine, with their argument and result types. Every host
 * carries exactly these (over IPC, over WebSocket), and checks their arguments with COMMANDS
 * at its edge; FerryApp implements them.
 */
export interface Commands {
  getState(): AppState;
  getDiscoveryStatus(): DiscoverySnapshot | null;
  getHistory(): HistoryEntry[];
  getTransferFiles(transferId: string): FileView[];
  sendPaths(peerKey: string, paths: string[]): SendResultView;
  /** Sends a text message (1 to MAX_TEXT_BYTES bytes of UTF-8; the engine answers LIMIT_EXCEEDED past it). */
  sendText(peerKey: string, text: string): SendResultView;
  /** Removes a received text from the list (it stays in history). */
  dismissText(id: string): void;
  /** `choice`: part of the offer and another folder (with accept or always); null: all of it, into the download folder. */
  answerOffer(offerId: string, answer: 'accept' | 'decline' | 'always', choice: OfferChoice | null): void;
  cancelTransfer(transferId: string): void;
  retryTransfer(transferId: string): SendResultView;
  dismissTransfer(transferId: string): void;
  clearHistory(): void;
  addManualPeer(hostPort: string): void;
  removeManualPeer(hostPort: string): void;
  /** Trusts a listed device (after the person compared its verification code). */
  trustDevice(deviceId: string): void;
  untrustDevice(deviceId: string): void;
  /** A missing download folder is NOT_FOUND: the UI asks, then calls createDownloadDir. */
  updateSettings(patch: SettingsPatch): SettingsView;
  /** Creates the folder (with its parents) and makes it the download folder. */
  createDownloadDir(path: string): SettingsView;
  /** Partial files in the download folder (kept for resumes). */
  getPartials(): PartialsView;
  /** Deletes the partial files a stopped transfer left, or (null) every one no transfer is using. */
  discardPartials(transferId: string | null): PartialsView;
  /** Sets (a string of at least 16 bytes) or clears (null) the shared secret. */
  setSecret(secret: string | null): SettingsView;
  generateSecret(): string;
  /** Sets (4 to 64 characters) or clears (null) the PIN LocalSend senders must give. */
  setLocalSendPin(pin: string | null): SettingsView;
  /** The PIN a LocalSend receiver asked for (TransferView.pin), or null to give up the send. */
  answerPin(transferId: string, pin: string | null): void;
}

export type CommandName = keyof Commands;

/** A settings change from a UI: any of the settings a UI may change, the desktop ones each on its own. */
export type SettingsPatch = Partial<Omit<SettingsView, 'secretEnabled' | 'fixed' | 'localsendPinEnabled' | 'desktop'>> & {
  desktop?: Partial<DesktopSettingsView>;
};

export const COMMANDS: CallTable<Commands> = {
  getState: [],
  getDiscoveryStatus: [],
  getHistory: [],
  getTransferFiles: [id],
  sendPaths: [peerKey, list(localPath, 10_000)],
  // UTF-16 units: the byte limit is the engine's to check, with its own message.
  sendText: [peerKey, str(MAX_TEXT_BYTES)],
  dismissText: [id],
  answerOffer: [id, oneOf('accept', 'decline', 'always'), nullable(offerChoice)],
  cancelTransfer: [id],
  retryTransfer: [id],
  dismissTransfer: [id],
  clearHistory: [],
  addManualPeer: [hostPort],
  removeManualPeer: [hostPort],
  trustDevice: [deviceId],
  untrustDevice: [deviceId],
  updateSettings: [patch],
  createDownloadDir: [localPath],
  getPartials: [],
  discardPartials: [nullable(id)],
  // The engine enforces the 16-byte minimum, with a message the settings screen shows.
  setSecret: [nullable(str(4096))],
  generateSecret: [],
  setLocalSendPin: [nullable(str(64))],
  answerPin: [id, nullable(str(64))],
};

/** Every command name, in table order: hosts register exactly these. */
export const COMMAND_NAMES = namesOf(COMMANDS);

/** What the desktop host does beyond the engine (native pickers, opening received files): Electron only. */
export interface HostCalls {
  /** Opens a picker and sends what was picked; null when the user cancelled. */
  pickAndSend(peerKey: string, kind: 'files' | 'folder'): Promise<SendResultView | null>;
  /** A folder picker for the download folder setting; null when cancelled or unsupported. */
  pickFolder(): Promise<string | null>;
  /** Opens a received file, or shows it in its folder (only files this device received). */
  openReceived(transferId: string, savedAs: string, how: 'open' | 'show'): Promise<void>;
  /** Opens the link a received text message is (TextView.link) in the system's browser. */
  openTextLink(textId: string): Promise<void>;
}

export type HostCallName = keyof HostCalls;
type _HostCallsAreNotCommands = Disjoint<HostCallName & CommandName>;

export const HOST_CALLS: CallTable<HostCalls> = {
  pickAndSend: [peerKey, oneOf('files', 'folder')],
  pickFolder: [],
  // savedAs '' names the transfer's whole folder (FerryApp.resolveReceived).
  openReceived: [id, str(32_768, 0), oneOf('open', 'show')],
  openTextLink: [id],
};

export const HOST_CALL_NAMES = namesOf(HOST_CALLS);

/**
 * What only `ferry serve` answers, for files dropped in a browser: a browser cannot hand over
 * paths, so it uploads them into a staging batch first (POST /api/upload), then sends or
 * discards the batch as a whole.
 */
export interface ServeCalls {
  /** Sends an uploaded batch to a peer, like sendPaths. */
  sendBatch(peerKey: string, batchId: string): SendResultView;
  /** Deletes a batch whose upload failed. */
  discardBatch(batchId: string): void;
}

export type ServeCallName = keyof ServeCalls;
type _ServeCallsAreNotCommands = Disjoint<ServeCallName & CommandName>;

export const SERVE_CALLS: CallTable<ServeCalls> = {
  sendBatch: [peerKey, batchId],
  discardBatch: [batchId],
};

export const SERVE_CALL_NAMES = namesOf(SERVE_CALLS);

/**
 * One method per entry of `table`, each handing its name and arguments to `send`: how the
 * preload and the WebSocket client implement the calls without listing them again.
 */
export function remote<C>(table: CallTable<C>, send: (name: keyof C & string, args: unknown[]) => Promise<unknown>): Remote<C> {
  return Object.fromEntries(namesOf(table).map((name) => [name, (...args: unknown[]) => send(name, args)])) as Remote<C>;
}

// ---- the WebSocket of `ferry serve` (main/hosts/web/ws-clients.ts ↔ renderer/src/bridge/ws-client.ts) ----

/** Everything a browser can call over the WebSocket. */
export type WsCalls = Commands & ServeCalls;
export type WsCallName = keyof WsCalls;

export const WS_CALLS: CallTable<WsCalls> = { ...COMMANDS, ...SERVE_CALLS };

export type WsRequestId = number | string;

/** Browser → daemon: one call. The daemon checks `call` and `args` against WS_CALLS. */
export interface WsRequest {
  /** A number, or a string of at most 64 characters; the reply carries it back. */
  id: WsRequestId;
  call: WsCallName;
  args: unknown[];
}

/**
 * Daemon → browser: the answer to the request with the same id. A message too broken to
 * carry an id gets a refusal with id null. Errors are {code, message}, never stacks.
 */
export type WsReply =
  /** `result` is absent for calls that return nothing. */
  { id: WsRequestId; ok: true; result?: unknown } | { id: WsRequestId | null; ok: false; error: ErrorView };

/** Daemon → browser: an engine event, pushed to every open UI. */
export interface WsEvent {
  event: UiEvent;
}

export type WsServerMessage = WsReply | WsEvent;
