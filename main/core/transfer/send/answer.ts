// The receiver's answer to our offer, read and checked: accepted or not, the resume points
// (what it already holds of which file), and from a 1.1 receiver the files it refuses up front.

import { FerryError } from '../../errors.js';
import type { Message, ResumePoint } from '../../protocol/messages.js';
import { printable } from '../../protocol/wire-path.js';
import type { Replies } from '../handshake.js';
import { outOfTurn } from '../out-of-turn.js';
import type { Failure, OutFile } from './out-file.js';

export interface Answered {
  /** Resume points by file index. */
  held: Map<number, ResumePoint>;
  /** Files the receiver will not take, with why. */
  refused: Array<{ file: OutFile; failure: Failure }>;
}

/**
 * Checks `answer` and reads the resume points and refusals that follow it. A decline throws
 * DECLINED (or NO_SPACE); anything that does not fit the offer is the receiver's mistake.
 */
export async function readAnswer(
  answer: Message,
  replies: Replies,
  transferId: string,
  byIndex: ReadonlyMap<number, OutFile>,
): Promise<Answered> {
  if (answer.type !== 'answer') throw outOfTurn('sender', answer, 'an answer');
  if (answer.transferId !== transferId) throw new FerryError('UNEXPECTED_MESSAGE', 'the answer is for another transfer');
  if (!answer.accept) throw new FerryError(answer.code === 'NO_SPACE' ? 'NO_SPACE' : 'DECLINED', printable(answer.message));
  const held = new Map<number, ResumePoint>();
  let points = 0;
  while (points < answer.resumeCount) {
    const m = await replies.next('resume');
    if (m.type !== 'resume') throw outOfTurn('sender', m, 'resume points');
    for (const r of m.entries) {
      const f = byIndex.get(r.file);
      if (!f || r.offset > f.entry.size || held.has(r.file)) {
        throw new FerryError('BAD_MESSAGE', `resume point for file ${r.file} does not fit the offer`);
      }
      held.set(r.file, r);
    }
    points += m.entries.length;
  }
  if (points !== answer.resumeCount) throw new FerryError('BAD_MESSAGE', 'more resume points than announced');
  const refused: Answered['refused'] = [];
  const refusedIndices = new Set<number>();
  for (let i = 0; i < (answer.refusedCount ?? 0); i++) {
    const m = await replies.next('refusals');
    if (m.type !== 'verdict' || m.ok) throw outOfTurn('sender', m, 'a refusal (a failing verdict)');
    const f = byIndex.get(m.file);
    if (!f || held.has(m.file) || refusedIndices.has(m.file)) {
      throw new FerryError('BAD_MESSAGE', `refusal of file ${m.file} does not fit the offer`);
    }
    refusedIndices.add(m.file);
    refused.push({ file: f, failure: { code: m.code, message: printable(m.message) } });
  }
  return { held, refused };
}
