// What a send is asked to do, and what it answers: the public shapes of sender.ts, in a module
// of their own so that the attempt (send/attempt.ts) and the retry loop both use them.

import type { TrustView } from '../../store/trust-store.js';
import type { EventSink } from '../../model/events.js';
import type { LocalIdentity } from '../identity.js';
import type { Source } from '../../model/transport.js';

export interface SendOptions {
  host: string;
  port: number;
  /** Paths to send, or a source already collected. */
  paths?: readonly string[];
  source?: Source;
  /** A text message (1 to MAX_TEXT_BYTES bytes of UTF-8) to send in place of files. */
  text?: string;
  identity: LocalIdentity;
  /** Reconnect attempts after a broken connection (consecutive ones without progress). */
  retries?: number;
  onEvent?: EventSink;
  signal?: AbortSignal;
  connectTimeoutMs?: number;
  answerTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** The first delay before a reconnect (it doubles each time, up to 10 s). */
  backoffMs?: number;
  /** Keep the same transfer id across process runs (tests, the UI's Retry). */
  transferId?: string;
  /** The device we mean to reach (from discovery or a pin): anyone else is refused. */
  expectDeviceId?: string;
  /** Shared-secret mode: the receiver must prove it knows this too. */
  secret?: Buffer | null;
  /** Pinned devices: a trusted name with another certificate is refused. */
  trust?: TrustView | null;
}
