// What the UI shows and is told: the views of the engine's state, the events pushed to every
// UI, and the shape of a call made from afar. Types and constants only, free of Node.

import type { ErrorCode } from './error-codes.js';

export type Platform = string;

/** This device, as the header shows it. */
export interface DeviceView {
  id: string;
  name: string;
  platform: Platform;
  appVersion: string;
  /** IPv4 addresses others can reach us at (non-internal interfaces). */
  addresses: string[];
  /** TCP port the receiver listens on; null while it is not listening. */
  port: number | null;
  /** Whether discovery announces us (visible to others). */
  visible: boolean;
  /** Why the receiver is not listening (e.g. the port is taken). */
  receiverError: string | null;
  /** LocalSend's server (for LocalSend apps, phones); null while LocalSend is off. */
  localsend: LocalSendStatusView | null;
}

export interface LocalSendStatusView {
  /** Its TCP port (53317 unless taken or set otherwise); null while not listening. */
  port: number | null;
  /** Why it is not on the port asked for, or not listening at all. */
  problem: string | null;
}

/** The wire protocol a device speaks: Ferry's own, or LocalSend's (phones, LocalSend apps). */
export type PeerProtocol = 'ferry' | 'localsend';

export interface PeerView {
  /** Device id; for a manual peer not yet probed: `manual:HOST:PORT`. */
  key: string;
  /**
   * Which protocol this entry is reached by. A computer running both Ferry and a LocalSend app
   * is listed once per protocol.
   */
  protocol: PeerProtocol;
  id: string | null;
  name: string;
  platform: Platform | null;
  /** Where to reach it: address:port first is what a send uses. */
  addresses: string[];
  port: number;
  source: 'discovered' | 'manual';
  /** What it announced (discovered peers); null for a manual peer, whose probe does not say. */
  appVersion: string | null;
  protocolVersion: string | null;
  online: boolean;
  trusted: boolean;
  /**
   * The code this device and that one both show for their pairing (from both device ids), to
   * compare before trusting it; null while its id is unknown.
   */
  verificationCode: string | null;
  /** The HOST:PORT the user typed, for manual peers (to remove them). */
  manual: string | null;
  /** LocalSend devices: what kind of device it says it is (mobile, desktop, web, headless, server); null otherwise. */
  deviceType: string | null;
}

export interface OfferPeer {
  id: string;
  name: string;
  platform: string;
  address: string;
  verificationCode: string;
  trusted: boolean;
  /** A trusted device of this name has another id: reinstalled, or an impostor. */
  identityChangedFrom: string | null;
  protocol: PeerProtocol;
  /**
   * A certificate proves its id. False for LocalSend apps that present none (1.17 and older):
   * then it can never be trusted ("always accept" is not offered) and there is no code to compare.
   */
  verified: boolean;
}

export interface OfferEntryView {
  path: string;
  size: number | null;
  dir: boolean;
}

export interface OfferView {
  id: string;
  from: OfferPeer;
  fileCount: number;
  dirCount: number;
  totalBytes: number;
  /** The first entries (at most OFFER_PREVIEW_ENTRIES); the counts above are complete. */
  entries: OfferEntryView[];
  /** A text message rather than files: how long it is (its words show once accepted). */
  text: { chars: number } | null;
  receivedAt: number;
}

export const OFFER_PREVIEW_ENTRIES = 200;
/** The largest text message, in bytes of UTF-8 (Ferry's protocol refuses more; so does the UI). */
export const MAX_TEXT_BYTES = 64 * 1024;
/** Received text messages kept in the state, newest first. */
export const MAX_TEXTS_SHOWN = 50;

/** A text message received (or sent), as the UI shows it. */
export interface TextView {
  /** Its transfer's id. */
  id: string;
  direction: 'send' | 'receive';
  peer: { id: string | null; name: string; address: string | null };
  protocol: PeerProtocol;
  /** As sent. The UI shows it as text (never as markup); a terminal neutralises control characters. */
  text: string;
  /** The whole text is one http(s) link: the UI offers to open it. */
  link: string | null;
  at: number;
}
/** Per-file detail kept for a transfer's list; the counts cover every file. */
export const TRANSFER_DETAIL_FILES = 10_000;

export type TransferState =
  | 'connecting' // sender: reaching the receiver
  | 'waiting' // sender: offer sent, waiting for acceptance; receiver: asking the user
  | 'transferring'
  | 'verifying' // all bytes moved, verdicts outstanding
  | 'done'
  | 'failed'
  | 'declined'
  | 'cancelled';

/** 'skipped': the receiver's person unticked it (not a failure). */
export type FileState = 'pending' | 'done' | 'failed' | 'skipped';

/** Part of an offer, and where it goes: what the person at the receiver chose. */
export interface OfferChoice {
  /**
   * The entries to take, by path as the offer lists them; a folder's path takes everything
   * under it. Null: all of it.
   */
  paths: string[] | null;
  /** An absolute folder for this transfer instead of the download folder (created if missing); null: the download folder. */
  folder: string | null;
}

/** Desktop-only settings (the tray and login); null where the host is not the desktop app. */
export interface DesktopSettingsView {
  /** Start Ferry (in the tray) when the user logs in. */
  startAtLogin: boolean;
  /** Closing the window keeps Ferry receiving in the tray (false: closing quits). */
  closeToTray: boolean;
}

export interface FileView {
  path: string;
  size: number;
  state: FileState;
  /** Where a received file was saved, relative to the download folder (may differ from path: "a (1).txt"). */
  savedAs: string | null;
  resumedFrom: number;
  error: { code: ErrorCode; message: string } | null;
}

/** What a transfer carries, for its title: "holiday.mp4 and 2 more", "Trip 2024 (1,000 files)". */
export interface TransferLabel {
  /** The name of the first top-level file or folder ("" before a receiver knows the offer). */
  first: string;
  /** Whether that first entry is a folder. */
  firstIsDir: boolean;
  /** How many top-level files and folders there are, the first included. */
  count: number;
}

/**
 * What Retry would do for a finished transfer: 'resume' connects again and sends what the
 * receiver lacks (it asks its person again unless it trusts this device); 'ask-again' offers
 * the files again after a cancel; null: Retry cannot help (a decline, a refusal by policy, an
 * identity or secret problem that a new attempt would meet again); 'restart' offers the files
 * again and sends the unfinished ones from their start (LocalSend, which cannot resume).
 */
export type RetryKind = 'resume' | 'ask-again' | 'restart';

/**
 * Why a send left out something the person picked: a symbolic link to a folder, something
 * that is not a file or folder (a socket, a device), a path too long or deep for the
 * protocol, a modification time out of range, or an entry that could not be read.
 */
export type LeftOutReason = 'folder-link' | 'special' | 'path' | 'mtime' | 'unreadable';

/** What a send left out of what was picked: how many, and the first of them. */
export interface LeftOutView {
  count: number;
  first: { path: string; why: LeftOutReason };
}

export interface TransferView {
  id: string;
  direction: 'send' | 'receive';
  /** The protocol that carries it: only Ferry's resumes. */
  protocol: PeerProtocol;
  peer: { id: string | null; name: string; address: string | null };
  state: TransferState;
  label: TransferLabel;
  fileCount: number;
  dirCount: number;
  totalBytes: number;
  /**
   * The code both screens show for this connection (compare it with the other side's); null
   * until the two devices have met.
   */
  verificationCode: string | null;
  /** Bytes settled (verified, resumed or moving) so far. */
  transferred: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  filesDone: number;
  filesFailed: number;
  error: { code: ErrorCode; message: string } | null;
  startedAt: number;
  finishedAt: number | null;
  /** Sends that ended without success: what Retry does (offered again with the same transfer id). */
  retry: RetryKind | null;
  /** Received transfers: the folder files went to, for "Show in folder". */
  folder: string | null;
  /** Received transfers that stopped: bytes kept in partial files for a resume (discardPartials deletes them). */
  partialBytes: number;
  /** A text message (sent or received) rather than files; null for files. */
  text: string | null;
  /**
   * Sends to a LocalSend device that asks for a PIN: 'required' (none given yet) or 'wrong' (the
   * last one was refused) while it waits for answerPin; null otherwise.
   */
  pin: 'required' | 'wrong' | null;
  /** Sends: what was picked but not offered (see LeftOutReason); null when nothing was. */
  leftOut: LeftOutView | null;
}

export type AcceptPolicy = 'ask' | 'trusted' | 'all' | 'none';

/** The languages Ferry speaks, as BCP 47 tags. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
/** The language setting: 'system' follows the desktop's language, the browser's, or LANG for the CLI. */
export type LanguageSetting = 'system' | Language;
export const LANGUAGE_SETTINGS: readonly LanguageSetting[] = ['system', ...LANGUAGES];

/** Settings a host fixed when it started (`ferry serve --dir …`): shown, not changeable from a UI. */
export type FixedSetting = 'downloadDir' | 'port' | 'acceptPolicy' | 'announce' | 'localsend' | 'localsendPort' | 'localsendPin';

export interface SettingsView {
  deviceName: string;
  downloadDir: string;
  port: number;
  acceptPolicy: AcceptPolicy;
  notifications: boolean;
  /** The language of the UI, the notifications and the tray. */
  language: LanguageSetting;
  /** Visible to others through discovery. */
  announce: boolean;
  /** Shared-secret mode is on (the secret itself is never sent to the UI). */
  secretEnabled: boolean;
  /** Speak LocalSend too: its server, its discovery, its devices listed. */
  localsend: boolean;
  /** LocalSend's TCP port (its apps look for 53317; 0 picks a free one). */
  localsendPort: number;
  /** LocalSend senders must give a PIN (the PIN itself is never sent to the UI). */
  localsendPinEnabled: boolean;
  /** The desktop app's own: null under `ferry serve`. */
  desktop: DesktopSettingsView | null;
  /** What the command line that started this Ferry set; the UI shows these as fixed. */
  fixed: FixedSetting[];
}

/** Partial files in the download folder, kept for resumes that may never come. */
export interface PartialsView {
  files: number;
  bytes: number;
}

export interface TrustedView {
  id: string;
  name: string;
  addedAt: number;
}

export interface HistoryEntry {
  id: string;
  direction: 'send' | 'receive';
  peerName: string;
  peerId: string | null;
  state: TransferState;
  label: TransferLabel;
  fileCount: number;
  dirCount: number;
  totalBytes: number;
  startedAt: number;
  finishedAt: number;
  error: { code: ErrorCode; message: string } | null;
  folder: string | null;
  /** A text message rather than files (null in entries written before texts existed). */
  text: string | null;
  /** The protocol that carried it ('ferry' in entries written before LocalSend). */
  protocol: PeerProtocol;
}

/** Everything the main screen shows; sent whole whenever it changes (throttled). */
export interface AppState {
  device: DeviceView;
  peers: PeerView[];
  offers: OfferView[];
  transfers: TransferView[];
  settings: SettingsView;
  trusted: TrustedView[];
  /** Text messages received, newest first (at most MAX_TEXTS_SHOWN), until dismissed. */
  texts: TextView[];
}

export type SendResultView = { transferId: string };

/** A failed call as every host reports it: the code the UI acts on, and a message for people. */
export interface ErrorView {
  code: ErrorCode;
  message: string;
}

/** Pushed from the engine to every UI. */
export type UiEvent =
  | { type: 'state'; state: AppState }
  /** A new offer is waiting for an answer (hosts notify when the window is hidden). */
  | { type: 'offer'; offer: OfferView }
  /** A transfer finished (for a notification). */
  | { type: 'finished'; transfer: TransferView }
  /** A text message arrived and was accepted (for a notification). */
  | { type: 'text'; text: TextView };

/** A command as the UI calls it: asynchronous, whatever the host. */
export type Remote<C> = {
  [K in keyof C]: C[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};
