// Sending a text message (protocol 1.2, PROTOCOL.md §5.15) in place of files: the same
// connection, handshake and retries as a transfer of files; then the `text` frame, and the
// receiver's answer ends it. A receiver too old to know `text` is told apart from a refusal.

import { FerryError } from '../../errors.js';
import { ACCEPTED_IDLE_TIMEOUT_MS, ANSWER_TIMEOUT_MS, MAX_TEXT_BYTES, TEXT_MINOR } from '../../protocol/limits.js';
import type { EventSink } from '../../model/events.js';
import type { Source } from '../../model/transport.js';
import type { Connection } from '../connection.js';
import type { Peer, Replies } from '../handshake.js';
import { readAnswer } from './answer.js';
import type { SendOptions } from './options.js';

/** What a text message offers in place of files. */
export const NO_FILES: Source = { entries: [], locals: [], totalBytes: 0, fileCount: 0, skipped: [] };

/**
 * The text as it travels, checked before anything connects. (A string with an unpaired
 * surrogate, which UTF-8 cannot carry, goes with U+FFFD in its place.)
 */
export function textBody(text: string): Buffer {
  if (text.length === 0) throw new FerryError('BAD_MESSAGE', 'nothing to send: the text is empty');
  const body = Buffer.from(text, 'utf8');
  if (body.length > MAX_TEXT_BYTES) {
    throw new FerryError(
      'LIMIT_EXCEEDED',
      `the text is ${body.length} bytes long in UTF-8; a text message holds at most ${MAX_TEXT_BYTES} (64 KiB)`,
    );
  }
  return body;
}

/** Offers the text and reads the answer; throws DECLINED (or the receiver's decline code) on a no. */
export async function offerText(
  conn: Connection,
  replies: Replies,
  peer: Peer,
  body: Buffer,
  transferId: string,
  opts: Pick<SendOptions, 'answerTimeoutMs' | 'idleTimeoutMs'>,
  emit: EventSink,
): Promise<void> {
  // An older receiver would answer UNKNOWN_TYPE (§13): it is not sent what it cannot read.
  if (peer.minor < TEXT_MINOR) throw receiverTooOld(peer);
  conn.sendData({ type: 'text', transferId, bytes: body.length }, body);
  conn.setIdleTimeout(opts.answerTimeoutMs ?? ANSWER_TIMEOUT_MS);
  const answer = await replies.next('answer');
  conn.setIdleTimeout(opts.idleTimeoutMs ?? ACCEPTED_IDLE_TIMEOUT_MS);
  // A text has no files for resume points or refusals to name.
  if (answer.type === 'answer' && answer.accept && (answer.resumeCount > 0 || (answer.refusedCount ?? 0) > 0)) {
    throw new FerryError('BAD_MESSAGE', 'the answer to a text message names files');
  }
  await readAnswer(answer, replies, transferId, new Map());
  emit({ event: 'accepted', direction: 'send', transferId, resumedBytes: 0, bytesToSend: body.length });
}

/**
 * Why a text cannot go to this receiver: its Ferry predates text messages (it announced an
 * older version, or answered `text` with UNKNOWN_TYPE). Not retried: it would fail again.
 */
export function receiverTooOld(peer: Peer | null): FerryError {
  const who = peer ? `"${peer.info.deviceName}"` : 'the receiver';
  return new FerryError('UNSUPPORTED_VERSION', `${who} runs a Ferry too old to receive text messages (update it there)`, {
    forPeer: 'a device tried to send a text message, which this version of Ferry cannot receive: update Ferry',
  });
}
