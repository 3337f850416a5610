// Sends as the app starts them: the transport that reaches the target (Ferry's or LocalSend's),
// the selection collected by its rules or a text message, the transfer put in the queue at once,
// its events folded into the queue, and Retry, which sends the same again under the same
// transfer id (Ferry's receiver then resumes; LocalSend's starts the unfinished files again).

import { randomBytes } from 'node:crypto';
import { MAX_TEXT_BYTES } from '../contract/index.js';
import { FerryError } from '../errors.js';
import type { EventSink } from '../model/events.js';
import type { SendRequest, Source, Transport } from '../model/transport.js';
import { isDir } from '../protocol/messages.js';
import type { LocalIdentity } from '../security/identity.js';
import type { TrustStore } from '../store/trust-store.js';
import type { StartedSend } from './app-options.js';
import type { PeerDirectory, SendTarget } from './peer-directory.js';
import type { PinAsks } from './pin-asks.js';
import type { TransferQueue } from './transfer-queue.js';
import { labelOf, textLabel } from './transfers.js';

export interface SendOptions {
  transferId?: string;
  retries?: number;
  /** A PIN for a LocalSend receiver that asks for one (`ferry send --pin`). */
  pin?: string;
  /** How to ask for it otherwise; by default on the transfer's row in the UI (answerPin). */
  askPin?: SendRequest['askPin'];
}

export type SendWhat = { paths: string[] } | { source: Source } | { text: string };

export interface SendingDeps {
  ferry: Transport;
  localsend: Transport;
  queue: TransferQueue;
  peers: PeerDirectory;
  pins: PinAsks;
  identity: () => LocalIdentity;
  secret: () => Buffer | null;
  trust: () => TrustStore;
  track: EventSink;
}

const EMPTY: Source = { entries: [], locals: [], totalBytes: 0, fileCount: 0, skipped: [] };

/** A text within the limit, or why not. */
export function checkText(text: string): void {
  if (text.trim() === '') throw new FerryError('BAD_MESSAGE', 'the message is empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw new FerryError('LIMIT_EXCEEDED', `the message has ${bytes} bytes; a message holds at most ${MAX_TEXT_BYTES} (send it as a file)`);
  }
}

export class Sending {
  constructor(private readonly deps: SendingDeps) {}

  /**
   * Sends paths, a selection already collected, or a text to a device. The transfer joins the
   * queue at once; `done` settles with the outcome, and every event goes to `track`.
   */
  async send(target: SendTarget, what: SendWhat, opts: SendOptions = {}): Promise<StartedSend> {
    const d = this.deps;
    const protocol = target.protocol ?? 'ferry';
    const transport = protocol === 'localsend' ? d.localsend : d.ferry;
    const text = 'text' in what ? what.text : null;
    if (text !== null) checkText(text);
    const source = 'source' in what ? what.source : 'paths' in what ? await transport.collect(what.paths) : EMPTY;
    if (text === null && source.entries.length === 0) {
      const [first, ...others] = source.skipped;
      const more = others.length > 0 ? ` (and ${others.length} more)` : '';
      throw new FerryError('IO_ERROR', first ? `nothing to send: ${first.path}: ${first.reason}${more}` : 'nothing to send');
    }
    const transferId = opts.transferId ?? randomBytes(12).toString('base64url');
    const t = d.queue.add({
      id: transferId,
      direction: 'send',
      protocol,
      peer: { id: target.expectDeviceId ?? null, name: target.name, address: target.host },
      state: 'connecting',
      label: text !== null ? textLabel(text) : labelOf(source.entries),
      files: source.entries.flatMap((e) => (isDir(e) ? [] : [{ path: e.path, size: e.size }])),
      dirCount: source.entries.length - source.fileCount,
      folder: null,
      text,
      leftOut: source.skipped[0]
        ? { count: source.skipped.length, first: { path: source.skipped[0].path, why: source.skipped[0].why } }
        : null,
    });
    if (text !== null) t.view.totalBytes = Buffer.byteLength(text, 'utf8');
    t.paths = 'paths' in what ? what.paths : null;
    t.resend = text !== null ? { text } : null;
    t.peerKey = d.peers.keyOf(target);
    t.abort = new AbortController();
    const done = transport.send({
      host: target.host,
      port: target.port,
      ...(target.expectDeviceId ? { expectDeviceId: target.expectDeviceId } : {}),
      source,
      ...(text !== null ? { text } : {}),
      transferId,
      identity: d.identity(),
      ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
      secret: d.secret(),
      trust: d.trust(),
      signal: t.abort.signal,
      onEvent: d.track,
      ...(opts.pin !== undefined ? { pin: opts.pin } : {}),
      askPin: opts.askPin ?? ((state, signal) => d.pins.ask(t, state, signal)),
    });
    return { transferId, done };
  }

  /** A list entry's device: the UI's sends. Failures are reported through the events. */
  async sendTo(peerKey: string, what: { paths: string[] } | { text: string }): Promise<{ transferId: string }> {
    const target = this.deps.peers.target(peerKey);
    if ('paths' in what && what.paths.length === 0) throw new FerryError('BAD_MESSAGE', 'nothing to send');
    const { transferId, done } = await this.send(target, what);
    done.catch(() => {}); // reported through the events (error, declined, cancelled)
    return { transferId };
  }

  /** The same files (or text) again, under the same transfer id. */
  async retry(transferId: string): Promise<{ transferId: string }> {
    const { queue, peers } = this.deps;
    const t = queue.get(transferId);
    const what = t?.paths ? { paths: t.paths } : t?.resend ? { text: t.resend.text } : null;
    if (!t || t.view.direction !== 'send' || !what || !t.peerKey)
      throw new FerryError('INVALID_STATE', 'only a finished send can be retried');
    if (!queue.isFinal(transferId)) throw new FerryError('INVALID_STATE', 'the transfer is still running');
    const { done } = await this.send(peers.target(t.peerKey), what, { transferId });
    done.catch(() => {});
    return { transferId };
  }
}
