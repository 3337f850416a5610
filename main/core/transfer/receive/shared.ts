// What the sessions of one receiver share, and what its host is asked to decide on.

import type { Hash } from 'node:crypto';
import type { AuthBackoff } from '../../security/auth-backoff.js';
import type { TrustView } from '../../store/trust-store.js';
import type { EventSink } from '../../model/events.js';
import type { LocalIdentity } from '../identity.js';
import type { Decision, IncomingOffer } from '../../model/transport.js';

/** What a host is asked to decide on. */

/**
 * What a partial file held when its session stopped writing it: the running md5 over its
 * bytes, and the file's identity then. A resume that finds the file unchanged since (same
 * inode, size, mtime and ctime: any write moves ctime) need not read it all again.
 */
export interface KnownPrefix {
  hash: Hash;
  size: number;
  dev: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** A session as the others see it: one that holds partial files can be made to let go. */
export interface Superseding {
  supersede(): Promise<void>;
}

/** What sessions of one receiver share. */
export interface ReceiverShared {
  root: string;
  identity: LocalIdentity;
  decide(offer: IncomingOffer, signal: AbortSignal): Promise<Decision>;
  emit: EventSink;
  /** Partial-file path → the session writing it. */
  claims: Map<string, Superseding>;
  /** Sessions receiving file data now (they share the memory for data waiting on the disk). */
  streaming: Set<object>;
  /**
   * Files this receiver saved, so a retried offer skips what already arrived: by resume key
   * (the partial path, which says who sent which file, of what size and mtime, into which
   * folder), the md5 and the name it was saved under there (see resume-finder.ts).
   */
  completed: Map<string, string>;
  /** The md5 state of partial files this receiver stopped writing (resume-finder.ts), by partial path. */
  prefixes: Map<string, KnownPrefix>;
  /** Partial paths of each recent transfer's files, by transfer id (partials.ts). */
  partialsByTransfer: Map<string, readonly string[]>;
  /** Text messages accepted lately, by sender and transfer id (receive/text.ts): a retry is not shown twice. */
  textsTaken: Map<string, string>;
  /** Bytes kept free on the volume beyond the offer itself. */
  reserveBytes: number;
  idleTimeoutMs?: number;
  secret: Buffer | null;
  trust: TrustView | null;
  backoff: AuthBackoff;
}

/**
 * A local error's text as the peer may see it: where our download folder (or the folder the
 * person chose for this transfer, `root`) is is none of its business.
 */
export function forPeer(shared: ReceiverShared, message: string, root: string = shared.root): string {
  const hidden = root === shared.root ? message : message.split(root).join('<chosen folder>');
  return hidden.split(shared.root).join('<download folder>');
}
