// What a host starts FerryApp with: the options are how hosts differ (a desktop app receives,
// announces and asks through its window; `ferry send` only sends), and what a send gives back.

import type { DiscoveryOptions } from '../discovery/discovery.js';
import type { EventSink } from '../model/events.js';
import type { OfferAsker, OfferPolicy } from './offer-policy.js';
import type { Transport } from '../model/transport.js';
import type { SendResult } from '../model/transport.js';

export interface FerryAppOptions {
  configDir: string;
  /** For this run only (command-line flags): not saved. */
  overrides?: {
    downloadDir?: string;
    port?: number;
    host?: string;
    deviceName?: string;
    acceptPolicy?: OfferPolicy;
    announce?: boolean;
    /** The shared secret (null: none), instead of the one stored from a UI. */
    secret?: Buffer | null;
    /** Speak LocalSend (its server, discovery and devices) or not. */
    localsend?: boolean;
    localsendPort?: number;
    /** LocalSend's receive PIN (null: none), instead of the one stored from a UI. */
    localsendPin?: string | null;
  };
  /** HOST:PORT peers to add (and keep) at start. */
  manualPeers?: string[];
  /** Where discovery listens and speaks; false: no discovery at all (LocalSend's neither). */
  discovery?: Pick<DiscoveryOptions, 'discoveryPort' | 'interfaces' | 'intervalMs'> | false;
  /** LocalSend's discovery: its UDP port (default 53317; tests pick their own). Interfaces are discovery's. */
  localsendDiscovery?: { port?: number };
  /** The desktop app: its settings (DesktopSettingsView) are shown and may be changed. */
  desktop?: boolean;
  /** Receive at all (default true; `ferry send` only sends). */
  receive?: boolean;
  /** A port taken by another program is an error, instead of receiving on a free one and saying so. */
  exactPort?: boolean;
  /** How an offer is put to a person; by default to the UI (the state, an 'offer' event, answerOffer). */
  asker?: OfferAsker;
  /** Record finished transfers in history.json (default true). */
  history?: boolean;
  /** Probe manual peers now and then (default true). */
  probeManualPeers?: boolean;
  /** Every transfer event as the engine reports it (the CLI prints them), from the start on. */
  onTransferEvent?: EventSink;
  transport?: Transport;
  /** Coalesces state pushes: at most one per this many ms. */
  stateIntervalMs?: number;
  /** How often manual peers are probed. */
  probeIntervalMs?: number;
}

/** A send started by a host: its id at once, its outcome later (rejects with why it failed). */
export interface StartedSend {
  transferId: string;
  done: Promise<SendResult>;
}
