// The sender's side of the answer, without a connection: the mailbox that hands the
// receiver's messages out in order, and the check of the answer, its resume points and
// its refusals against the offer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError, type ErrorCode } from '../../main/core/errors.js';
import type { Entry, Message } from '../../main/core/protocol/messages.js';
import { readAnswer } from '../../main/core/transfer/send/answer.js';
import { Mailbox } from '../../main/core/transfer/send/mailbox.js';
import { outFiles, type OutFile } from '../../main/core/transfer/send/out-file.js';

// Index 0 is a folder: entry indices, not file numbers, name files on the wire.
const entries: Entry[] = [
  { path: 'd', dir: true },
  { path: 'd/a', size: 100, mtime: 0 },
  { path: 'd/b', size: 50, mtime: 0 },
];
function byIndex(): Map<number, OutFile> {
  const files = outFiles({ entries, locals: ['/d', '/d/a', '/d/b'], totalBytes: 150, fileCount: 2, skipped: [] });
  return new Map(files.map((f) => [f.index, f]));
}
const MD5 = '0123456789abcdef0123456789abcdef';

/** A mailbox already holding `replies`, as if the receiver had sent them. */
function mailbox(...replies: Message[]): Mailbox {
  const m = new Mailbox();
  for (const r of replies) m.put(r);
  return m;
}

function refused(code: ErrorCode, pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof FerryError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  };
}

test('the mailbox hands out what arrived before the close, then why the connection closed', async () => {
  const box = new Mailbox();
  const waiting = box.next('hello');
  box.put({ type: 'end' });
  assert.deepEqual(await waiting, { type: 'end' });
  box.put({ type: 'auth', proof: 'p' });
  box.close(new FerryError('TIMEOUT', 'the peer sent nothing for too long'));
  assert.deepEqual(await box.next('auth'), { type: 'auth', proof: 'p' });
  await assert.rejects(async () => box.next('answer'), refused('TIMEOUT', /nothing for too long/));
  assert.throws(() => box.checkOpen(), refused('TIMEOUT', /nothing for too long/));
});

test('a clean close while waiting is a lost connection that says what was awaited', async () => {
  const box = new Mailbox();
  const waiting = box.next('an answer');
  box.close(null);
  await assert.rejects(waiting, refused('CONNECTION_LOST', /while waiting for an answer/));
});

test('an accepting answer is read with its resume points and refusals, in order', async () => {
  const files = byIndex();
  const answered = await readAnswer(
    { type: 'answer', transferId: 't', accept: true, resumeCount: 1, refusedCount: 1 },
    mailbox(
      { type: 'resume', entries: [{ file: 1, offset: 40, md5: MD5 }] },
      { type: 'verdict', file: 2, ok: false, code: 'PATH_UNSAFE', message: 'd is a link' },
    ),
    't',
    files,
  );
  assert.deepEqual([...answered.held.entries()], [[1, { file: 1, offset: 40, md5: MD5 }]]);
  assert.equal(answered.refused.length, 1);
  assert.equal(answered.refused[0]?.file, files.get(2));
  assert.deepEqual(answered.refused[0]?.failure, { code: 'PATH_UNSAFE', message: 'd is a link' });
});

test('a 1.0 answer without refusedCount has no refusals', async () => {
  const answered = await readAnswer({ type: 'answer', transferId: 't', accept: true, resumeCount: 0 }, mailbox(), 't', byIndex());
  assert.equal(answered.held.size, 0);
  assert.deepEqual(answered.refused, []);
});

test('a decline is DECLINED, or NO_SPACE when the receiver says so', async () => {
  await assert.rejects(
    readAnswer({ type: 'answer', transferId: 't', accept: false, code: 'DECLINED', message: 'no thanks' }, mailbox(), 't', byIndex()),
    refused('DECLINED', /no thanks/),
  );
  await assert.rejects(
    readAnswer({ type: 'answer', transferId: 't', accept: false, code: 'NO_SPACE', message: 'full' }, mailbox(), 't', byIndex()),
    refused('NO_SPACE', /full/),
  );
  // Any other code in a decline is still a decline (the sender does not retry it).
  await assert.rejects(
    readAnswer({ type: 'answer', transferId: 't', accept: false, code: 'INTERNAL', message: 'broken' }, mailbox(), 't', byIndex()),
    refused('DECLINED', /broken/),
  );
});

test('an answer out of turn or for another transfer is UNEXPECTED_MESSAGE', async () => {
  await assert.rejects(
    readAnswer({ type: 'end' }, mailbox(), 't', byIndex()),
    refused('UNEXPECTED_MESSAGE', /sent end instead of an answer/),
  );
  await assert.rejects(
    readAnswer({ type: 'answer', transferId: 'other', accept: true, resumeCount: 0 }, mailbox(), 't', byIndex()),
    refused('UNEXPECTED_MESSAGE', /another transfer/),
  );
});

test('resume points that do not fit the offer are BAD_MESSAGE', async () => {
  const accept = (resumeCount: number): Message => ({ type: 'answer', transferId: 't', accept: true, resumeCount });
  const point = (file: number, offset: number) => ({ file, offset, md5: MD5 });
  const cases: Array<[string, Message, Message[]]> = [
    ['a folder', accept(1), [{ type: 'resume', entries: [point(0, 1)] }]],
    ['no entry at all', accept(1), [{ type: 'resume', entries: [point(9, 1)] }]],
    ['past the end of the file', accept(1), [{ type: 'resume', entries: [point(2, 51)] }]],
    ['the same file twice', accept(2), [{ type: 'resume', entries: [point(1, 1), point(1, 2)] }]],
  ];
  for (const [what, answer, replies] of cases) {
    await assert.rejects(readAnswer(answer, mailbox(...replies), 't', byIndex()), refused('BAD_MESSAGE', /does not fit the offer/), what);
  }
  await assert.rejects(
    readAnswer(accept(1), mailbox({ type: 'resume', entries: [point(1, 1), point(2, 1)] }), 't', byIndex()),
    refused('BAD_MESSAGE', /more resume points than announced/),
  );
});

test('refusals must be failing verdicts for files that have no resume point and were not refused yet', async () => {
  const answer: Message = { type: 'answer', transferId: 't', accept: true, resumeCount: 1, refusedCount: 1 };
  const resume: Message = { type: 'resume', entries: [{ file: 1, offset: 1, md5: MD5 }] };
  const refusal = (file: number): Message => ({ type: 'verdict', file, ok: false, code: 'PATH_UNSAFE', message: 'no' });
  await assert.rejects(
    readAnswer(answer, mailbox(resume, { type: 'verdict', file: 2, ok: true }), 't', byIndex()),
    refused('UNEXPECTED_MESSAGE', /a refusal/),
  );
  await assert.rejects(readAnswer(answer, mailbox(resume, refusal(1)), 't', byIndex()), refused('BAD_MESSAGE', /refusal of file 1/));
  await assert.rejects(readAnswer(answer, mailbox(resume, refusal(0)), 't', byIndex()), refused('BAD_MESSAGE', /refusal of file 0/));
  const twice: Message = { type: 'answer', transferId: 't', accept: true, resumeCount: 0, refusedCount: 2 };
  await assert.rejects(readAnswer(twice, mailbox(refusal(2), refusal(2)), 't', byIndex()), refused('BAD_MESSAGE', /refusal of file 2/));
});
