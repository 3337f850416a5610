// The renderer's pure state modules: formatting, progress math, labels, queue order, the
// offer queue, the HOST:PORT check, the drop walker, the toast list and the store fed by a
// fake bridge. No DOM, no React.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AppState,
  BridgeEvent,
  DiscoverySnapshot,
  FerryBridge,
  OfferView,
  TextView,
  TransferView,
} from '../../renderer/src/contract.js';
import { discoveryFindings, droppedSummary, localsendFindings, sortFindings } from '../../renderer/src/state/discovery.js';
import { dropRoots, type DataTransferLike } from '../../renderer/src/peers/drop.js';
import { collectDropped, type DropRoot, type EntryLike } from '../../renderer/src/state/dropped.js';
import { describeError, errorMessage, sentence } from '../../renderer/src/state/errors.js';
import {
  formatBytes,
  formatContents,
  formatDuration,
  formatEta,
  formatAddress,
  formatSpeed,
  formatWhen,
  plural,
} from '../../renderer/src/state/format.js';
import { currentOffer, entriesNotShown, formatVerificationCode, offerQueue, offerSummary } from '../../renderer/src/state/offers.js';
import {
  checkHostPort,
  deviceKind,
  deviceKindName,
  peerAddress,
  peerLabel,
  peerStatus,
  platformKind,
  platformName,
} from '../../renderer/src/state/peers.js';
import { checkDeviceName, checkPin, checkPort, checkSecret, fixedNote } from '../../renderer/src/state/settings.js';
import { finishedNotice, isTextOffer, offerNotice, textNotice, titleFor } from '../../renderer/src/state/notices.js';
import { createAppStore } from '../../renderer/src/state/store.js';
import {
  checkText,
  copyShortcut,
  MAX_TEXT_BYTES,
  safeLink,
  sendShortcut,
  TEXT_COUNTER_FROM,
  textBytes,
  textCounter,
  textSnippet,
} from '../../renderer/src/state/texts.js';
import { createToastStore, MAX_TOASTS } from '../../renderer/src/state/toasts.js';
import {
  bytesProgress,
  countActive,
  failureReason,
  fileStateLabel,
  groupTransfers,
  isActive,
  isText,
  progressLabel,
  progressPercent,
  progressText,
  savedAsNote,
  sortTransfers,
  stateBadge,
  stateLabel,
  stateTone,
  transferActions,
  transferDetails,
  transferTitle,
  peerLine,
  whatLabel,
  retryWords,
  waitingCode,
  pinPrompt,
} from '../../renderer/src/state/transfers.js';

function transfer(over: Partial<TransferView> = {}): TransferView {
  return {
    id: 't1',
    direction: 'send',
    protocol: 'ferry',
    peer: { id: 'dev-b', name: 'Bob’s laptop', address: '192.168.1.20' },
    state: 'transferring',
    fileCount: 3,
    dirCount: 0,
    totalBytes: 30_000_000,
    transferred: 12_345_678,
    bytesPerSecond: 1_234_567,
    etaSeconds: 180,
    filesDone: 1,
    filesFailed: 0,
    error: null,
    startedAt: 1_000,
    finishedAt: null,
    retry: null,
    folder: null,
    label: { first: 'report.pdf', firstIsDir: false, count: 1 },
    verificationCode: null,
    partialBytes: 0,
    pin: null,
    leftOut: null,
    text: null,
    ...over,
  };
}

describe('formatBytes', () => {
  test('whole bytes below a kilobyte, one decimal below 100 units, none above', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1), '1 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.0 kB');
    assert.equal(formatBytes(1_234_567), '1.2 MB');
    assert.equal(formatBytes(12_345_678), '12.3 MB');
    assert.equal(formatBytes(123_456_789), '123 MB');
    assert.equal(formatBytes(4.7e12), '4.7 TB');
  });

  test('a value that rounds up to 1000 moves to the next unit', () => {
    assert.equal(formatBytes(999_960), '1.0 MB');
    assert.equal(formatBytes(999_499), '999 kB');
    assert.equal(formatBytes(999_999_999), '1.0 GB');
  });

  test('beyond the largest unit the number grows instead of failing', () => {
    assert.equal(formatBytes(5e18), '5,000 PB');
  });

  test('unknown, negative and non-numbers read as a dash, never NaN', () => {
    for (const bad of [NaN, -1, Infinity, -Infinity]) assert.equal(formatBytes(bad), '—');
  });
});

describe('formatSpeed', () => {
  test('bytes per second with the unit', () => {
    assert.equal(formatSpeed(1_234_567), '1.2 MB/s');
    assert.equal(formatSpeed(512), '512 B/s');
  });

  test('no speed yet, a stall or garbage give null (the UI then shows none)', () => {
    for (const none of [0, -5, NaN, Infinity, null, undefined]) assert.equal(formatSpeed(none), null);
  });
});

describe('formatEta', () => {
  test('minutes as people say them', () => {
    assert.equal(formatEta(180), 'about 3 min left');
    assert.equal(formatEta(61), 'about 1 min left');
    assert.equal(formatEta(89), 'about 1 min left');
    assert.equal(formatEta(90), 'about 2 min left');
  });

  test('seconds: a few, then rounded to five', () => {
    assert.equal(formatEta(0), 'a few seconds left');
    assert.equal(formatEta(9.9), 'a few seconds left');
    assert.equal(formatEta(10), 'about 10 s left');
    assert.equal(formatEta(42), 'about 40 s left');
  });

  test('values that round up to the next unit are said in it', () => {
    assert.equal(formatEta(58), 'about 1 min left');
    assert.equal(formatEta(3570), 'about 1 h left');
    assert.equal(formatEta(2 * 3600 + 59 * 60 + 50), 'about 3 h left');
  });

  test('hours with minutes', () => {
    assert.equal(formatEta(3600), 'about 1 h left');
    assert.equal(formatEta(2 * 3600 + 5 * 60), 'about 2 h 5 min left');
    assert.equal(formatEta(23 * 3600 + 59 * 60 + 50), 'about a day left');
  });

  test('more than 24 hours', () => {
    assert.equal(formatEta(86_400), 'more than a day left');
    assert.equal(formatEta(10 * 86_400), 'more than a day left');
  });

  test('unknown time left is null, never "NaN min"', () => {
    for (const none of [null, undefined, NaN, -1, Infinity]) assert.equal(formatEta(none), null);
  });
});

test('formatDuration covers sub-second to days and rejects nonsense', () => {
  assert.equal(formatDuration(200), 'less than a second');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(185_000), '3 min 5 s');
  assert.equal(formatDuration(180_000), '3 min');
  assert.equal(formatDuration(2 * 3600_000 + 10 * 60_000), '2 h 10 min');
  assert.equal(formatDuration(3 * 86_400_000 + 4 * 3600_000), '3 d 4 h');
  assert.equal(formatDuration(NaN), '—');
  assert.equal(formatDuration(-5), '—');
});

test('plural and formatContents', () => {
  assert.equal(plural(1, 'file'), '1 file');
  assert.equal(plural(0, 'file'), '0 files');
  assert.equal(plural(12_345, 'file'), '12,345 files');
  assert.equal(plural(NaN, 'file'), '0 files');
  assert.equal(plural(2, 'entry', 'entries'), '2 entries');
  assert.equal(formatContents(3, 0), '3 files');
  assert.equal(formatContents(3, 1), '3 files and 1 folder');
  assert.equal(formatContents(0, 2), '2 folders');
  assert.equal(formatContents(0, 0), '0 files');
});

test('formatWhen says today and yesterday, else the date', () => {
  const now = new Date(2025, 4, 14, 15, 0).getTime();
  assert.match(formatWhen(new Date(2025, 4, 14, 9, 5).getTime(), now, 'en-GB'), /^Today, 09:05$/);
  assert.match(formatWhen(new Date(2025, 4, 13, 23, 59).getTime(), now, 'en-GB'), /^Yesterday, 23:59$/);
  assert.match(formatWhen(new Date(2025, 0, 2, 8, 0).getTime(), now, 'en-GB'), /^2 Jan, 08:00$/);
  assert.match(formatWhen(new Date(2023, 0, 2, 8, 0).getTime(), now, 'en-GB'), /2023/);
  assert.equal(formatWhen(NaN, now), '—');
});

test('formatAddress brackets IPv6', () => {
  assert.equal(formatAddress('192.168.1.20', 33779), '192.168.1.20:33779');
  assert.equal(formatAddress('fe80::1', 33779), '[fe80::1]:33779');
  assert.equal(formatAddress('nas.local', null), 'nas.local');
  assert.equal(formatAddress('fe80::1', null), '[fe80::1]');
});

describe('progressPercent', () => {
  test('an integer from 0 to 100, rounded down', () => {
    assert.equal(progressPercent(transfer({ transferred: 0 })), 0);
    assert.equal(progressPercent(transfer({ transferred: 12_345_678 })), 41);
    assert.equal(progressPercent(transfer({ transferred: 29_999_999 })), 99);
  });

  test('100 only once done: all bytes moved but verdicts outstanding holds at 99', () => {
    assert.equal(progressPercent(transfer({ transferred: 30_000_000, state: 'verifying' })), 99);
    assert.equal(progressPercent(transfer({ transferred: 30_000_000, state: 'done' })), 100);
    assert.equal(progressPercent(transfer({ transferred: 0, state: 'done' })), 100);
  });

  test('0-byte transfers do not divide by zero', () => {
    assert.equal(progressPercent(transfer({ totalBytes: 0, transferred: 0, state: 'transferring' })), 0);
    assert.equal(progressPercent(transfer({ totalBytes: 0, transferred: 0, state: 'verifying' })), 99);
    assert.equal(progressPercent(transfer({ totalBytes: 0, transferred: 0, state: 'done' })), 100);
  });

  test('garbage and overshoot are clamped, never NaN', () => {
    assert.equal(progressPercent(transfer({ transferred: NaN })), 0);
    assert.equal(progressPercent(transfer({ transferred: -10 })), 0);
    assert.equal(progressPercent(transfer({ totalBytes: NaN })), 0);
    assert.equal(progressPercent(transfer({ transferred: 90_000_000 })), 99);
    for (const t of [transfer({ transferred: Infinity }), transfer({ totalBytes: -1 })]) {
      const p = progressPercent(t);
      assert.ok(Number.isInteger(p) && p >= 0 && p <= 100, String(p));
    }
  });
});

describe('state labels', () => {
  test('each state, both directions', () => {
    assert.equal(stateLabel(transfer({ state: 'waiting' })), 'Waiting for acceptance');
    assert.equal(stateLabel(transfer({ state: 'waiting', direction: 'receive' })), 'Waiting for your answer');
    assert.equal(stateLabel(transfer({ state: 'connecting' })), 'Connecting');
    assert.equal(stateLabel(transfer({ state: 'transferring' })), 'Sending');
    assert.equal(stateLabel(transfer({ state: 'transferring', direction: 'receive' })), 'Receiving');
    assert.equal(stateLabel(transfer({ state: 'verifying' })), 'Verifying');
    assert.equal(stateLabel(transfer({ state: 'done' })), 'Done');
    assert.equal(stateLabel(transfer({ state: 'declined', error: { code: 'DECLINED', message: 'declined by the user' } })), 'Declined');
    assert.equal(stateLabel(transfer({ state: 'cancelled' })), 'Cancelled');
  });

  test('a failure says why', () => {
    const failed = transfer({ state: 'failed', error: { code: 'NO_SPACE', message: 'not enough disk space' } });
    assert.equal(stateLabel(failed), 'Failed: not enough disk space');
    assert.equal(stateBadge(failed), 'Failed');
    assert.equal(failureReason(failed), 'not enough disk space');
    assert.equal(stateLabel(transfer({ state: 'failed', error: null })), 'Failed');
  });

  test('a connection being retried says so', () => {
    const t = transfer({ state: 'connecting', error: { code: 'CONNECTION_LOST', message: 'connection lost; retrying' } });
    assert.equal(stateLabel(t), 'Reconnecting');
    assert.equal(failureReason(t), 'connection lost; retrying');
  });

  test('tones group the states for colour', () => {
    assert.equal(stateTone('waiting'), 'info');
    assert.equal(stateTone('transferring'), 'progress');
    assert.equal(stateTone('done'), 'success');
    assert.equal(stateTone('failed'), 'danger');
    assert.equal(stateTone('cancelled'), 'muted');
  });

  test('titles and the progress bar’s accessible name', () => {
    assert.equal(transferTitle(transfer()), 'report.pdf to Bob’s laptop');
    assert.equal(transferTitle(transfer({ direction: 'receive' })), 'report.pdf from Bob’s laptop');
    assert.equal(peerLine(transfer()), 'To Bob’s laptop');
    assert.equal(peerLine(transfer({ direction: 'receive' })), 'From Bob’s laptop');
    assert.equal(progressLabel(transfer()), 'Transfer to Bob’s laptop');
    assert.equal(progressLabel(transfer({ direction: 'receive' })), 'Transfer from Bob’s laptop');
  });
});

describe('detail line', () => {
  test('while moving: bytes, speed, time left', () => {
    assert.deepEqual(transferDetails(transfer()), ['12.3 MB of 30.0 MB', '1.2 MB/s', 'about 3 min left']);
  });

  test('unknown time left and no speed are left out', () => {
    assert.deepEqual(transferDetails(transfer({ etaSeconds: null, bytesPerSecond: 0 })), ['12.3 MB of 30.0 MB']);
  });

  test('waiting and finished rows show what they hold', () => {
    assert.deepEqual(transferDetails(transfer({ state: 'waiting', dirCount: 1 })), ['3 files and 1 folder', '30.0 MB']);
    assert.deepEqual(transferDetails(transfer({ state: 'done', filesDone: 3 })), ['3 files', '30.0 MB']);
    assert.deepEqual(transferDetails(transfer({ state: 'failed', filesDone: 2 })), ['3 files', '30.0 MB', '2 of 3 sent']);
    assert.deepEqual(transferDetails(transfer({ state: 'cancelled', filesDone: 1, direction: 'receive' })), [
      '3 files',
      '30.0 MB',
      '1 of 3 received',
    ]);
    assert.deepEqual(transferDetails(transfer({ state: 'done', filesDone: 3 })), ['3 files', '30.0 MB']);
  });

  test('bytesProgress never shows more done than total', () => {
    assert.equal(bytesProgress(transfer({ transferred: 99e9 })), '30.0 MB of 30.0 MB');
    assert.equal(bytesProgress(transfer({ state: 'done', transferred: 0 })), '30.0 MB of 30.0 MB');
    assert.equal(bytesProgress(transfer({ totalBytes: 0, transferred: 0 })), '0 B of 0 B');
  });

  test('aria-valuetext', () => {
    assert.equal(progressText(transfer()), '41%, 12.3 MB of 30.0 MB');
    assert.equal(progressText(transfer({ state: 'done' })), 'Done, 30.0 MB');
    assert.equal(progressText(transfer({ state: 'cancelled' })), 'Cancelled at 41%');
  });
});

describe('what a row says', () => {
  test('the title names what was sent: one file, a file and more, a folder with its file count', () => {
    assert.equal(whatLabel(transfer()), 'report.pdf');
    assert.equal(whatLabel(transfer({ label: { first: 'holiday.mp4', firstIsDir: false, count: 3 } })), 'holiday.mp4 and 2 more');
    assert.equal(
      whatLabel(transfer({ label: { first: 'Trip 2024', firstIsDir: true, count: 1 }, fileCount: 1000 })),
      'Trip 2024 (1,000 files)',
    );
    // A receive before its offer is read has no names yet: the counts stand in.
    assert.equal(
      whatLabel(transfer({ label: { first: '', firstIsDir: false, count: 0 }, fileCount: 3, dirCount: 3 })),
      '3 files and 3 folders',
    );
  });

  test('the sender sees the verification code while it waits, and only then', () => {
    assert.equal(waitingCode(transfer({ state: 'waiting', verificationCode: '712 781' })), '712 781');
    assert.equal(waitingCode(transfer({ state: 'transferring', verificationCode: '712 781' })), null);
    assert.equal(waitingCode(transfer({ state: 'waiting', direction: 'receive', verificationCode: '712 781' })), null);
  });

  test('Retry says what it will do, and is not offered where it cannot help', () => {
    assert.equal(retryWords(transfer({ retry: 'resume' }))?.label, 'Retry');
    assert.match(retryWords(transfer({ retry: 'ask-again' }))!.help, /^Asks Bob’s laptop again/);
    assert.equal(retryWords(transfer({ retry: null })), null);
  });

  test('LocalSend cannot resume: its Retry starts the unfinished files again, whatever the engine calls it', () => {
    const restart = retryWords(transfer({ retry: 'restart', protocol: 'localsend' }))!;
    assert.equal(restart.label, 'Retry from the start');
    assert.match(restart.help, /^Offers the files to Bob’s laptop again and sends the unfinished ones from their beginning/);
    // No promise of a resume, and the same words if a LocalSend row came with another kind.
    assert.doesNotMatch(restart.help, /(?<!cannot )resum|does not have yet|not sent twice/);
    for (const retry of ['resume', 'ask-again'] as const) assert.deepEqual(retryWords(transfer({ retry, protocol: 'localsend' })), restart);
    assert.equal(retryWords(transfer({ retry: 'restart' }))?.label, 'Retry from the start');
    assert.equal(retryWords(transfer({ retry: null, protocol: 'localsend' })), null);
    assert.equal(transferActions(transfer({ state: 'failed', retry: 'restart', protocol: 'localsend' })).retry, true);
  });

  test('a send to a LocalSend app has no code to compare (the app shows none)', () => {
    assert.equal(waitingCode(transfer({ state: 'waiting', verificationCode: '712 781', protocol: 'localsend' })), null);
  });

  test('a LocalSend receiver asking for a PIN: the prompt, a refusal, and the pill while it waits', () => {
    const asked = transfer({ state: 'waiting', pin: 'required', protocol: 'localsend' });
    assert.deepEqual(pinPrompt(asked), { message: 'Bob’s laptop asks for a PIN', wrong: false });
    assert.deepEqual(pinPrompt({ ...asked, pin: 'wrong' }), { message: 'That PIN was wrong — try again', wrong: true });
    assert.equal(pinPrompt({ ...asked, pin: null }), null);
    // A finished send asks nothing any more, whatever pin says.
    assert.equal(pinPrompt({ ...asked, state: 'cancelled' }), null);
    assert.equal(stateLabel(asked), 'Waiting for a PIN');
    assert.equal(stateBadge({ ...asked, pin: 'wrong' }), 'Waiting for a PIN');
    assert.equal(stateLabel({ ...asked, pin: null }), 'Waiting for acceptance');
  });
});

describe('row actions', () => {
  test('active rows cancel; finished rows dismiss; retry only when the engine allows', () => {
    assert.deepEqual(transferActions(transfer()), {
      cancel: true,
      retry: false,
      discardPartials: false,
      dismiss: false,
      openFolder: false,
      openFiles: false,
    });
    assert.deepEqual(transferActions(transfer({ state: 'failed', retry: 'resume' })), {
      cancel: false,
      retry: true,
      discardPartials: false,
      dismiss: true,
      openFolder: false,
      openFiles: false,
    });
    assert.equal(transferActions(transfer({ state: 'failed', retry: null })).retry, false);
    assert.equal(transferActions(transfer({ state: 'cancelled', direction: 'receive', partialBytes: 5 })).discardPartials, true);
    assert.equal(transferActions(transfer({ state: 'transferring', direction: 'receive', partialBytes: 5 })).discardPartials, false);
  });

  test('received files open only for receives with a folder and something in it', () => {
    const rx = { direction: 'receive' as const, folder: '/home/me/Downloads' };
    const open = (t: TransferView): [boolean, boolean] => [transferActions(t).openFolder, transferActions(t).openFiles];
    assert.deepEqual(open(transfer({ ...rx, state: 'done' })), [true, true]);
    // The engine opens the folder of a finished transfer only; files that arrived open any time.
    assert.deepEqual(open(transfer({ ...rx, state: 'failed', filesDone: 1 })), [false, true]);
    assert.deepEqual(open(transfer({ ...rx, state: 'failed', filesDone: 0 })), [false, false]);
    assert.deepEqual(open(transfer({ ...rx, state: 'done', folder: null })), [false, false]);
    assert.deepEqual(open(transfer({ state: 'done', folder: '/x' })), [false, false]);
  });
});

describe('queue order', () => {
  const list = [
    transfer({ id: 'done-old', state: 'done', startedAt: 1, finishedAt: 10 }),
    transfer({ id: 'run-old', state: 'transferring', startedAt: 2 }),
    transfer({ id: 'failed-new', state: 'failed', startedAt: 3, finishedAt: 30 }),
    transfer({ id: 'wait-new', state: 'waiting', startedAt: 5 }),
    transfer({ id: 'verify', state: 'verifying', startedAt: 4 }),
    transfer({ id: 'cancel', state: 'cancelled', startedAt: 6, finishedAt: 20 }),
  ];

  test('active first, newest on top; then finished, latest finish on top', () => {
    const { active, finished } = groupTransfers(list);
    assert.deepEqual(
      active.map((t) => t.id),
      ['wait-new', 'verify', 'run-old'],
    );
    assert.deepEqual(
      finished.map((t) => t.id),
      ['failed-new', 'cancel', 'done-old'],
    );
    assert.deepEqual(
      sortTransfers(list).map((t) => t.id),
      ['wait-new', 'verify', 'run-old', 'failed-new', 'cancel', 'done-old'],
    );
  });

  test('grouping does not reorder the caller’s array, and ties are stable by id', () => {
    const before = list.map((t) => t.id);
    groupTransfers(list);
    assert.deepEqual(
      list.map((t) => t.id),
      before,
    );
    const ties = [transfer({ id: 'b', startedAt: 1 }), transfer({ id: 'a', startedAt: 1 })];
    assert.deepEqual(
      sortTransfers(ties).map((t) => t.id),
      ['a', 'b'],
    );
  });

  test('empty queue and counting', () => {
    assert.deepEqual(groupTransfers([]), { active: [], finished: [] });
    assert.equal(countActive(list), 3);
    assert.equal(isActive('connecting'), true);
    assert.equal(isActive('declined'), false);
  });
});

test('file lines in the detail view', () => {
  const f = { path: 'a.txt', size: 10, state: 'done' as const, savedAs: 'a (1).txt', resumedFrom: 0, error: null };
  assert.equal(fileStateLabel(f, 'done'), 'Done');
  assert.equal(fileStateLabel({ ...f, resumedFrom: 4_000_000 }, 'done'), 'Done (resumed at 4.0 MB)');
  assert.equal(
    fileStateLabel({ ...f, state: 'failed', error: { code: 'CHECKSUM_MISMATCH', message: 'checksum mismatch' } }, 'failed'),
    'Failed: checksum mismatch',
  );
  assert.equal(fileStateLabel({ ...f, state: 'pending' }, 'transferring'), 'Pending');
  assert.equal(fileStateLabel({ ...f, state: 'pending' }, 'cancelled'), 'Not transferred');
  assert.equal(savedAsNote(f), 'saved as a (1).txt');
  assert.equal(savedAsNote({ ...f, savedAs: 'a.txt' }), null);
  assert.equal(savedAsNote({ ...f, savedAs: null }), null);
});

function offer(id: string, receivedAt: number, over: Partial<OfferView> = {}): OfferView {
  return {
    id,
    from: {
      id: 'dev-a',
      name: 'Alice',
      platform: 'darwin',
      address: '192.168.1.10',
      verificationCode: '123 456',
      trusted: false,
      identityChangedFrom: null,
      protocol: 'ferry',
      verified: true,
    },
    fileCount: 2,
    dirCount: 1,
    totalBytes: 2_500_000,
    entries: [
      { path: 'pics', size: null, dir: true },
      { path: 'pics/a.jpg', size: 1_000_000, dir: false },
      { path: 'pics/b.jpg', size: 1_500_000, dir: false },
    ],
    text: null,
    receivedAt,
    ...over,
  };
}

describe('offers', () => {
  test('one at a time, oldest first', () => {
    const offers = [offer('late', 30), offer('early', 10), offer('mid', 20)];
    assert.deepEqual(
      offerQueue(offers).map((o) => o.id),
      ['early', 'mid', 'late'],
    );
    assert.equal(currentOffer(offers)?.id, 'early');
    assert.equal(currentOffer([]), null);
  });

  test('summary and what the preview leaves out', () => {
    assert.equal(offerSummary(offer('x', 1)), '2 files and 1 folder, 2.5 MB');
    assert.equal(entriesNotShown(offer('x', 1)), 0);
    assert.equal(entriesNotShown(offer('x', 1, { fileCount: 5000, dirCount: 3 })), 5000);
    assert.equal(entriesNotShown(offer('x', 1, { fileCount: NaN })), 0);
  });

  test('the verification code reads in two groups of three', () => {
    assert.equal(formatVerificationCode('123456'), '123 456');
    assert.equal(formatVerificationCode(' 123 456 '), '123 456');
    assert.equal(formatVerificationCode('abc'), 'abc');
  });
});

describe('peers', () => {
  test('platforms from process.platform values', () => {
    assert.equal(platformKind('darwin'), 'mac');
    assert.equal(platformKind('win32'), 'windows');
    assert.equal(platformKind('linux'), 'linux');
    assert.equal(platformKind('freebsd'), 'linux');
    assert.equal(platformKind(null), 'other');
    assert.equal(platformKind('plan9'), 'other');
    assert.equal(platformName('darwin'), 'macOS');
    assert.equal(platformName('plan9'), 'plan9');
    assert.equal(platformName(null), null);
  });

  test('address and status', () => {
    assert.equal(peerAddress({ addresses: ['192.168.1.20', '10.0.0.2'], port: 33779 }), '192.168.1.20:33779');
    assert.equal(peerAddress({ addresses: [], port: 33779 }), null);
    assert.equal(peerStatus({ online: true, source: 'manual' }), 'Online');
    assert.equal(peerStatus({ online: false, source: 'manual' }), 'Not reachable');
    assert.equal(peerStatus({ online: false, source: 'discovered' }), 'Offline');
  });

  test('HOST:PORT accepted as the engine accepts it', () => {
    for (const ok of ['192.168.1.20:33779', 'nas.local:1', '[fe80::1]:33779', '  host:65535 ']) {
      assert.equal(checkHostPort(ok).ok, true, ok);
    }
    assert.deepEqual(checkHostPort(' nas:80 '), { ok: true, value: 'nas:80' });
    // An address alone means Ferry's default port, whatever its kind.
    assert.deepEqual(checkHostPort('192.168.1.20'), { ok: true, value: '192.168.1.20:33779' });
    assert.deepEqual(checkHostPort('nas.local'), { ok: true, value: 'nas.local:33779' });
    assert.deepEqual(checkHostPort('[fe80::1]'), { ok: true, value: '[fe80::1]:33779' });
    assert.deepEqual(checkHostPort('fe80::1'), { ok: true, value: '[fe80::1]:33779' });
  });

  test('LocalSend devices: their kind, and a name apart from the same computer’s Ferry', () => {
    assert.equal(deviceKind('mobile'), 'phone');
    assert.equal(deviceKind('desktop'), 'computer');
    assert.equal(deviceKind('web'), 'browser');
    assert.equal(deviceKind('headless'), 'headless');
    assert.equal(deviceKind('SERVER'), 'server');
    assert.equal(deviceKind('toaster'), null);
    assert.equal(deviceKind(null), null);
    assert.equal(deviceKindName('mobile'), 'Phone');
    assert.equal(deviceKindName('desktop'), 'Computer');
    assert.equal(deviceKindName(null), null);
    assert.equal(peerLabel({ name: 'Office PC', protocol: 'ferry' }), 'Office PC');
    assert.equal(peerLabel({ name: 'Office PC', protocol: 'localsend' }), 'Office PC (LocalSend)');
  });

  test('localsend://HOST:PORT is a LocalSend app, on LocalSend’s port when none is typed', () => {
    assert.deepEqual(checkHostPort('localsend://192.168.1.50:53317'), { ok: true, value: 'localsend://192.168.1.50:53317' });
    assert.deepEqual(checkHostPort(' LocalSend://phone.local:4000 '), { ok: true, value: 'localsend://phone.local:4000' });
    assert.deepEqual(checkHostPort('localsend://192.168.1.50'), { ok: true, value: 'localsend://192.168.1.50:53317' });
    assert.deepEqual(checkHostPort('localsend://[fe80::1]:53317'), { ok: true, value: 'localsend://[fe80::1]:53317' });
    // Ferry's own stays as it was.
    assert.deepEqual(checkHostPort('192.168.1.50'), { ok: true, value: '192.168.1.50:33779' });
    const msg = (s: string): string => {
      const r = checkHostPort(s);
      assert.equal(r.ok, false, s);
      return r.ok ? '' : r.message;
    };
    assert.match(msg('localsend://'), /address after localsend:\/\/, like localsend:\/\/192\.168\.1\.50:53317/);
    assert.match(msg('localsend://host:70000'), /1 to 65535/);
    assert.match(msg('localsend://bad host'), /localsend:\/\/HOST:PORT/);
    assert.match(msg('http://192.168.1.50:53317'), /HOST:PORT for a Ferry device, or localsend:\/\/HOST:PORT for a LocalSend app/);
  });

  test('HOST:PORT mistakes get a hint', () => {
    const msg = (s: string): string => {
      const r = checkHostPort(s);
      assert.equal(r.ok, false, s);
      return r.ok ? '' : r.message;
    };
    assert.match(msg(''), /address, like 192\.168\.1\.20/);
    assert.match(msg('host:0'), /1 to 65535/);
    assert.match(msg('host:70000'), /1 to 65535/);
    assert.match(msg('[fe80::1'), /\[address\]:PORT/);
    assert.match(msg('bad host:80'), /HOST:PORT/);
  });
});

describe('errors for the user', () => {
  test('a FerryError-shaped value gives its message and code', () => {
    assert.deepEqual(describeError({ code: 'CONNECT_FAILED', message: 'could not reach 10.0.0.2' }), {
      code: 'CONNECT_FAILED',
      message: 'could not reach 10.0.0.2',
    });
  });

  test('Electron’s IPC wrapping is removed', () => {
    const e = new Error("Error invoking remote method 'sendPaths': FerryError: that device is no longer on the network");
    assert.equal(errorMessage(e), 'that device is no longer on the network');
  });

  test('strings, empty messages and junk still say something', () => {
    assert.equal(errorMessage('boom'), 'boom');
    assert.equal(errorMessage({ code: 'TIMEOUT' }), 'TIMEOUT');
    assert.equal(errorMessage(undefined), 'Something went wrong.');
    assert.equal(errorMessage(42), 'Something went wrong.');
    assert.equal(sentence('not enough disk space'), 'Not enough disk space.');
    assert.equal(sentence('Done!'), 'Done!');
    assert.equal(sentence(''), '');
  });
});

describe('dropped folders', () => {
  type F = { name: string };
  const file = (name: string): EntryLike & { file(ok: (f: F) => void): void } => ({
    isFile: true,
    isDirectory: false,
    name,
    file: (ok) => queueMicrotask(() => ok({ name })),
  });
  /** A directory whose reader hands out its children in batches of `batch`, like Chromium's 100. */
  const dir = (name: string, children: EntryLike[], batch = 2): EntryLike & { createReader(): unknown } => ({
    isFile: false,
    isDirectory: true,
    name,
    createReader() {
      let at = 0;
      return {
        readEntries(ok: (e: EntryLike[]) => void) {
          const out = children.slice(at, at + batch);
          at += out.length;
          queueMicrotask(() => ok(out));
        },
      };
    },
  });

  test('folders are walked in full, across reader batches, keeping their names as path prefixes', async () => {
    const roots: DropRoot<F>[] = [
      {
        kind: 'entry',
        entry: dir('holiday', [file('a.jpg'), file('b.jpg'), file('c.jpg'), dir('raw', [file('d.cr2')]), dir('empty', [])]),
      },
      { kind: 'file', file: { name: 'notes.txt' }, name: 'notes.txt' },
    ];
    const got = await collectDropped(roots);
    assert.deepEqual(
      got.files.map((f) => f.relativePath),
      ['holiday/a.jpg', 'holiday/b.jpg', 'holiday/c.jpg', 'holiday/raw/d.cr2', 'notes.txt'],
    );
    // An empty folder is no file, but it is sent all the same (the CLI sends them too).
    assert.deepEqual(got.emptyDirs, ['holiday/empty']);
    assert.equal(got.files[0]?.file.name, 'a.jpg');
    assert.deepEqual(got.unreadable, []);
  });

  test('an unreadable entry is reported and the rest still collected', async () => {
    const broken: EntryLike & { file(ok: unknown, fail: (e: unknown) => void): void } = {
      isFile: true,
      isDirectory: false,
      name: 'locked.bin',
      file: (_ok, fail) => fail(new Error('NotReadableError')),
    };
    const got = await collectDropped<F>([{ kind: 'entry', entry: dir('d', [broken, file('ok.txt')]) }]);
    assert.deepEqual(
      got.files.map((f) => f.relativePath),
      ['d/ok.txt'],
    );
    assert.deepEqual(got.unreadable, ['d/locked.bin']);
  });

  test('nothing dropped gives nothing', async () => {
    assert.deepEqual(await collectDropped([]), { files: [], emptyDirs: [], unreadable: [] });
  });
});

describe('toasts', () => {
  test('push, count repeats instead of stacking, dismiss', () => {
    const toasts = createToastStore();
    let notified = 0;
    toasts.subscribe(() => notified++);
    const a = toasts.push('error', 'could not reach Bob');
    toasts.push('info', 'Saved');
    const again = toasts.push('error', 'could not reach Bob');
    assert.notEqual(again, a);
    assert.deepEqual(
      toasts.getSnapshot().map((t) => [t.message, t.count]),
      [
        ['Saved', 1],
        ['could not reach Bob', 2],
      ],
    );
    toasts.dismiss(again);
    toasts.dismiss(12345);
    assert.deepEqual(
      toasts.getSnapshot().map((t) => t.message),
      ['Saved'],
    );
    assert.equal(notified, 4);
  });

  test('at most MAX_TOASTS, oldest dropped', () => {
    const toasts = createToastStore();
    for (let i = 0; i < MAX_TOASTS + 3; i++) toasts.push('error', `e${i}`);
    assert.equal(toasts.getSnapshot().length, MAX_TOASTS);
    assert.equal(toasts.getSnapshot()[0]?.message, 'e3');
  });
});

function appState(name: string): AppState {
  return {
    device: {
      id: 'me',
      name,
      platform: 'linux',
      appVersion: '0.1.0',
      addresses: ['192.168.1.5'],
      port: 33779,
      visible: true,
      receiverError: null,
      localsend: null,
    },
    peers: [],
    offers: [],
    transfers: [],
    settings: {
      deviceName: name,
      downloadDir: '/dl',
      port: 33779,
      acceptPolicy: 'ask',
      fixed: [],
      notifications: true,
      language: 'system',
      announce: true,
      secretEnabled: false,
      localsend: false,
      localsendPort: 53317,
      localsendPinEnabled: false,
      desktop: null,
    },
    trusted: [],
    texts: [],
  };
}

/** The store's side of a bridge: getState answered when the test says, events on demand. */
function fakeBridge() {
  const listeners = new Set<(e: BridgeEvent) => void>();
  const pending: Array<{ resolve(s: AppState): void; reject(e: unknown): void }> = [];
  const bridge: Pick<FerryBridge, 'getState' | 'onEvent'> = {
    getState: () => new Promise<AppState>((resolve, reject) => pending.push({ resolve, reject })),
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    bridge,
    listeners,
    pending,
    emit: (e: BridgeEvent) => listeners.forEach((l) => l(e)),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('the store', () => {
  test('loads with getState, then follows state events', async () => {
    const fake = fakeBridge();
    const store = createAppStore(fake.bridge);
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().status));
    assert.equal(store.getSnapshot().status, 'loading');
    const stop = store.start();
    assert.equal(fake.listeners.size, 1, 'listens before the first answer');
    fake.pending[0]!.resolve(appState('first'));
    await tick();
    assert.equal(store.getSnapshot().state?.device.name, 'first');
    fake.emit({ type: 'state', state: appState('second') });
    assert.equal(store.getSnapshot().state?.device.name, 'second');
    assert.deepEqual(seen, ['ready', 'ready']);
    stop();
    assert.equal(fake.listeners.size, 0);
  });

  test('a getState answer older than an event does not undo the event', async () => {
    const fake = fakeBridge();
    const store = createAppStore(fake.bridge);
    store.start();
    fake.emit({ type: 'state', state: appState('from-event') });
    fake.pending[0]!.resolve(appState('stale'));
    await tick();
    assert.equal(store.getSnapshot().state?.device.name, 'from-event');
  });

  test('snapshots are stable between changes (useSyncExternalStore requires it)', async () => {
    const fake = fakeBridge();
    const store = createAppStore(fake.bridge);
    store.start();
    assert.equal(store.getSnapshot(), store.getSnapshot());
    fake.emit({ type: 'offer', offer: offer('o', 1) });
    fake.emit({ type: 'finished', transfer: transfer() });
    const before = store.getSnapshot();
    assert.equal(store.getSnapshot(), before, 'non-state events do not change the snapshot');
  });

  test('a failed first load reports the message, and reload recovers', async () => {
    const fake = fakeBridge();
    const store = createAppStore(fake.bridge);
    store.start();
    fake.pending[0]!.reject({ code: 'INTERNAL', message: 'the daemon is gone' });
    await tick();
    assert.deepEqual(store.getSnapshot(), { status: 'failed', state: null, error: 'the daemon is gone', connected: true, uploads: [] });
    const again = store.reload();
    assert.equal(store.getSnapshot().status, 'loading');
    fake.pending[1]!.resolve(appState('back'));
    await again;
    assert.equal(store.getSnapshot().status, 'ready');
    assert.equal(store.getSnapshot().state?.device.name, 'back');
  });

  test('a lost connection shows at once: every device offline; uploads follow their events', async () => {
    const fake = fakeBridge();
    const store = createAppStore(fake.bridge);
    store.start();
    const state = appState('here');
    state.peers = [{ key: 'k', online: true } as AppState['peers'][number]];
    fake.pending[0]!.resolve(state);
    await tick();
    fake.emit({ type: 'connection', connected: false });
    assert.equal(store.getSnapshot().connected, false);
    assert.equal(store.getSnapshot().state?.peers[0]?.online, false, 'no device is reachable from a page without its daemon');
    fake.emit({ type: 'connection', connected: true });
    assert.equal(store.getSnapshot().connected, true);
    const upload = {
      id: 'u',
      peerKey: 'k',
      peerName: 'Bob',
      label: { first: 'a', firstIsDir: false, count: 1 },
      fileCount: 1,
      dirCount: 0,
      totalBytes: 9,
      sentBytes: 3,
      startedAt: 0,
    };
    fake.emit({ type: 'uploads', uploads: [upload] });
    assert.deepEqual(store.getSnapshot().uploads, [upload]);
  });

  test('starting twice listens once', () => {
    const fake = fakeBridge();
    const store = createAppStore(fake.bridge);
    store.start();
    store.start();
    assert.equal(fake.listeners.size, 1);
    assert.equal(fake.pending.length, 1);
  });
});

describe('settings checks', () => {
  test('device names are trimmed and not empty', () => {
    assert.deepEqual(checkDeviceName('  Studio  '), { ok: true, value: 'Studio' });
    assert.equal(checkDeviceName('   ').ok, false);
    assert.equal(checkDeviceName('x'.repeat(65)).ok, false);
  });

  test('ports are whole numbers up to 65535; 0 means any free port', () => {
    assert.deepEqual(checkPort('33779'), { ok: true, value: 33779 });
    assert.deepEqual(checkPort(' 0 '), { ok: true, value: 0 });
    for (const bad of ['', 'abc', '65536', '99999', '-1', '1.5', '1e3']) assert.equal(checkPort(bad).ok, false, bad);
  });

  test('a LocalSend receive PIN is 4 to 64 characters, taken as typed', () => {
    assert.deepEqual(checkPin('2468'), { ok: true, value: '2468' });
    assert.deepEqual(checkPin(' 24 68 '), { ok: true, value: ' 24 68 ' });
    assert.deepEqual(checkPin('x'.repeat(64)), { ok: true, value: 'x'.repeat(64) });
    const msg = (s: string): string => {
      const r = checkPin(s);
      assert.equal(r.ok, false, s);
      return r.ok ? '' : r.message;
    };
    assert.match(msg(''), /4 to 64 characters/);
    assert.match(msg('   '), /4 to 64 characters/);
    assert.match(msg('123'), /at least 4 characters \(this has 3\)/);
    assert.match(msg('x'.repeat(65)), /at most 64/);
  });

  test('settings the command line fixed say which option did it, LocalSend’s included', () => {
    assert.match(fixedNote('localsend'), /--no-localsend/);
    assert.match(fixedNote('localsendPort'), /--localsend-port/);
  });

  test('a pasted secret needs 16 bytes after trimming, counted in UTF-8', () => {
    assert.equal(checkSecret('  0123456789abcdef  ').ok, true);
    assert.deepEqual(checkSecret(' 0123456789abcdef '), { ok: true, value: '0123456789abcdef' });
    const short = checkSecret('too short');
    assert.equal(short.ok, false);
    assert.match(short.ok ? '' : short.message, /at least 16 characters \(this has 9\)/);
    // Eight two-byte letters are 16 bytes: as long as the engine requires.
    assert.equal(checkSecret('éééééééé').ok, true);
  });
});

function snapshot(over: Partial<DiscoverySnapshot> = {}): DiscoverySnapshot {
  const iface = {
    name: 'wlan0',
    address: '192.168.1.5',
    netmask: '255.255.255.0',
    broadcast: '192.168.1.255',
    internal: false,
    joined: true,
    joinError: null,
    bindError: null,
    sends: { multicast: { sent: 10, failed: 0, lastError: null }, broadcast: { sent: 10, failed: 0, lastError: null } },
    heard: 5,
  };
  return {
    running: true,
    announcing: true,
    deviceId: 'me',
    group: '224.0.0.93',
    port: 33780,
    intervalMs: 5000,
    listen: { ok: true, error: null },
    interfaces: [iface],
    skipped: [],
    received: { datagrams: 20, announces: 12, queries: 1, goodbyes: 0, own: 8 },
    dropped: { oversized: 0, malformed: 0, version: 0, 'unknown-kind': 0, 'rate-limited': 0, 'table-full': 0 },
    answers: 1,
    peers: 2,
    ...over,
  };
}

describe('discovery troubleshooting', () => {
  test('a healthy network says how many devices it found and nothing else', () => {
    assert.deepEqual(discoveryFindings(snapshot()), [{ level: 'ok', text: '2 devices found on the network.' }]);
  });

  test('no discovery at all is an error with the way out', () => {
    const [only] = discoveryFindings(null);
    assert.equal(only?.level, 'error');
    assert.match(only?.text ?? '', /by address/);
  });

  test('problems come first: listening, no interfaces, per-interface trouble', () => {
    const s = snapshot({
      listen: { ok: false, error: { code: 'EADDRINUSE', message: 'another program holds the discovery port' } },
      interfaces: [],
      peers: 0,
      received: { datagrams: 0, announces: 0, queries: 0, goodbyes: 0, own: 0 },
      announcing: false,
    });
    const f = discoveryFindings(s);
    assert.deepEqual(
      f.map((x) => x.level),
      ['error', 'error', 'info'],
    );
    assert.match(f[0]!.text, /UDP port 33780: another program holds the discovery port/);
    assert.match(f[1]!.text, /No usable network connection/);
    assert.match(f[2]!.text, /does not announce itself/);
  });

  test('a quiet network suggests the firewall; failed sends and joins are warnings', () => {
    const base = snapshot().interfaces[0]!;
    const s = snapshot({
      peers: 0,
      received: { datagrams: 3, announces: 0, queries: 0, goodbyes: 0, own: 3 },
      interfaces: [
        {
          ...base,
          name: 'tun0',
          address: '10.8.0.4',
          joined: false,
          joinError: { code: 'ENODEV', message: 'the interface is gone' },
          sends: { multicast: { sent: 0, failed: 4, lastError: { code: 'ENETUNREACH', message: 'no route' } }, broadcast: null },
        },
      ],
      dropped: { oversized: 0, malformed: 3, version: 1, 'unknown-kind': 0, 'rate-limited': 0, 'table-full': 0 },
    });
    const f = discoveryFindings(s);
    assert.deepEqual(
      f.map((x) => x.level),
      ['warning', 'warning', 'info', 'info'],
    );
    assert.match(f[0]!.text, /tun0 \(10\.8\.0\.4\): multicast is unavailable \(the interface is gone\)/);
    assert.match(f[1]!.text, /4 announcements could not be sent \(no route\)/);
    assert.match(f[2]!.text, /within 5 s; if none does, a firewall may block UDP port 33780/);
    assert.equal(f[3]!.text, 'Ignored messages: 3 malformed, 1 from another Ferry version.');
  });

  test('LocalSend: off, on its port, elsewhere (a warning saying why), or not listening (an error)', () => {
    assert.deepEqual(localsendFindings(null, false), [
      {
        level: 'info',
        text: 'LocalSend is off: phones and LocalSend apps neither see this device nor reach it (Settings → LocalSend).',
      },
    ]);
    assert.match(localsendFindings(null, true)[0]!.text, /LocalSend is starting/);
    assert.deepEqual(localsendFindings({ port: 53317, problem: null }, true), [
      { level: 'ok', text: 'Phones and LocalSend apps reach this device on TCP port 53317.' },
    ]);
    const elsewhere = localsendFindings(
      { port: 40123, problem: 'port 53317 is in use by another program; LocalSend devices reach this one on port 40123' },
      true,
    );
    assert.deepEqual(elsewhere, [
      { level: 'warning', text: 'LocalSend: port 53317 is in use by another program; LocalSend devices reach this one on port 40123.' },
    ]);
    assert.equal(localsendFindings({ port: null, problem: 'the port is taken.' }, true)[0]!.level, 'error');
    assert.equal(localsendFindings({ port: null, problem: 'the port is taken.' }, true)[0]!.text, 'LocalSend: the port is taken.');
    assert.equal(localsendFindings({ port: null, problem: null }, true)[0]!.level, 'error');
    // Merged with discovery's, the most serious come first.
    assert.deepEqual(
      sortFindings([...discoveryFindings(snapshot()), ...elsewhere]).map((f) => f.level),
      ['warning', 'ok'],
    );
  });

  test('droppedSummary skips zeros and nonsense', () => {
    assert.equal(droppedSummary({ malformed: 0, 'rate-limited': 2, version: NaN }), '2 over the rate limit');
    assert.equal(droppedSummary({}), '');
  });
});

describe('dropped folders', () => {
  // A DataTransfer as Chromium hands it over for a dropped folder and a dropped file.
  function transfer(): DataTransferLike {
    const folderFile = new File([], 'holiday');
    const plainFile = new File(['x'], 'notes.txt');
    const folderEntry = { isDirectory: true, isFile: false, name: 'holiday', fullPath: '/holiday' };
    const fileEntry = { isDirectory: false, isFile: true, name: 'notes.txt', fullPath: '/notes.txt' };
    const items = [
      { kind: 'file', webkitGetAsEntry: () => folderEntry, getAsFile: () => folderFile },
      { kind: 'file', webkitGetAsEntry: () => fileEntry, getAsFile: () => plainFile },
    ];
    return { items, files: [folderFile, plainFile], types: ['Files'] };
  }

  test('a host that takes paths gets a dropped folder whole, a browser gets it walked', () => {
    const whole = dropRoots(transfer(), { wholeFolders: true });
    assert.deepEqual(
      whole.map((r) => (r.kind === 'file' ? ['file', r.name] : ['entry'])),
      [
        ['file', 'holiday'],
        ['file', 'notes.txt'],
      ],
    );
    const walked = dropRoots(transfer());
    assert.deepEqual(
      walked.map((r) => r.kind),
      ['entry', 'file'],
    );
  });
});

describe('text messages', () => {
  test('length is counted in bytes of UTF-8, as the engine counts it', () => {
    assert.equal(MAX_TEXT_BYTES, 65_536);
    assert.equal(textBytes(''), 0);
    assert.equal(textBytes('hello'), 5);
    assert.equal(textBytes('é'), 2);
    assert.equal(textBytes('€'), 3);
    assert.equal(textBytes('🙂'), 4);
    // A lone surrogate goes as U+FFFD: three bytes.
    assert.equal(textBytes('\ud83d'), 3);
  });

  test('a message must say something, and fit: the refusal says how much and what to do', () => {
    assert.deepEqual(checkText('hi'), { ok: true, bytes: 2 });
    assert.deepEqual(checkText('a'.repeat(MAX_TEXT_BYTES)), { ok: true, bytes: MAX_TEXT_BYTES });
    const empty = checkText(' \n\t');
    assert.equal(empty.ok, false);
    assert.equal(!empty.ok && empty.reason, 'empty');
    assert.equal(!empty.ok && empty.message, 'Type a message to send.');
    const over = checkText('a'.repeat(MAX_TEXT_BYTES + 1));
    assert.equal(!over.ok && over.reason, 'too-long');
    assert.equal(
      !over.ok && over.message,
      'Too long to send as a message: 65,537 bytes, and a message holds at most 65,536 bytes (64 KB). Shorten it, or send it as a file.',
    );
    // Fewer characters than the limit, more bytes: still too long.
    const wide = checkText('é'.repeat(40_000));
    assert.equal(wide.bytes, 80_000);
    assert.equal(wide.ok, false);
  });

  test('the counter shows only near the limit', () => {
    assert.equal(textCounter(0), null);
    assert.equal(textCounter(TEXT_COUNTER_FROM - 1), null);
    assert.equal(textCounter(TEXT_COUNTER_FROM), `${TEXT_COUNTER_FROM.toLocaleString('en-US')} / 65,536 bytes`);
    assert.equal(textCounter(70_000), '70,000 / 65,536 bytes');
  });

  test('a snippet is one line, cut whole characters at a time', () => {
    assert.equal(textSnippet('  Line one\n\n  line two\tend  '), 'Line one line two end');
    assert.equal(textSnippet(null), '');
    assert.equal(textSnippet('abcdef', 6), 'abcdef');
    assert.equal(textSnippet('abcdefg', 6), 'abcde…');
    // An emoji is one character, never half of one.
    assert.equal(textSnippet('🙂🙂🙂🙂', 3), '🙂🙂…');
    assert.equal(textSnippet('ab   cdefg', 4), 'ab…');
  });

  test('only http and https links are ever offered', () => {
    assert.equal(safeLink('https://example.com/a?b=c'), 'https://example.com/a?b=c');
    assert.equal(safeLink('http://192.168.1.5:8080/'), 'http://192.168.1.5:8080/');
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'not a url', '', null, undefined])
      assert.equal(safeLink(bad), null, String(bad));
  });

  test('shortcuts as each system writes them', () => {
    assert.equal(sendShortcut('MacIntel'), '⌘+Enter');
    assert.equal(sendShortcut('Linux x86_64'), 'Ctrl+Enter');
    assert.equal(copyShortcut('iPhone'), '⌘C');
    assert.equal(copyShortcut('Win32'), 'Ctrl+C');
  });

  test('a text transfer is a "Message": no counts, no sizes, nothing to open; a retry sends it again', () => {
    const sent = transfer({ text: 'Hi Bob', fileCount: 0, label: { first: '', firstIsDir: false, count: 0 }, state: 'waiting' });
    assert.equal(isText(sent), true);
    assert.equal(isText(transfer()), false);
    assert.equal(whatLabel(sent), 'Message');
    assert.equal(transferTitle(sent), 'Message to Bob’s laptop');
    assert.deepEqual(transferDetails(sent), []);
    assert.deepEqual(transferDetails({ ...sent, state: 'done' }), []);
    const received = { ...sent, direction: 'receive' as const, state: 'done' as const, folder: '/dl', partialBytes: 10 };
    assert.deepEqual(transferActions(received), {
      cancel: false,
      retry: false,
      discardPartials: false,
      dismiss: true,
      openFolder: false,
      openFiles: false,
    });
    for (const retry of ['resume', 'ask-again', 'restart'] as const)
      assert.deepEqual(retryWords({ ...sent, retry, protocol: 'localsend' }), {
        label: 'Send again',
        help: 'Sends the message to Bob’s laptop again',
      });
    assert.equal(retryWords({ ...sent, retry: null }), null);
    // A history entry from before messages has no text at all.
    assert.equal(whatLabel({ label: { first: 'a.txt', firstIsDir: false, count: 1 }, fileCount: 1, dirCount: 0 }), 'a.txt');
  });
});

describe('attention: the title and the notifications', () => {
  test('the title counts offers waiting and messages that came while away', () => {
    assert.equal(titleFor(0), 'Ferry');
    assert.equal(titleFor(0, 0), 'Ferry');
    assert.equal(titleFor(1), '(1) An offer is waiting · Ferry');
    assert.equal(titleFor(2), '(2) Offers are waiting · Ferry');
    assert.equal(titleFor(0, 1), '(1) New message · Ferry');
    assert.equal(titleFor(0, 3), '(3) New messages · Ferry');
    assert.equal(titleFor(1, 2), '(3) 1 offer and 2 messages are waiting · Ferry');
    assert.equal(titleFor(-1, -1), 'Ferry');
  });

  test('an offer says whether it is files or a message', () => {
    const files = offer('o1', 1);
    assert.equal(isTextOffer(files), false);
    assert.deepEqual(offerNotice(files), {
      title: 'Alice wants to send you files',
      body: '2 files and 1 folder, 2.5 MB. Open Ferry to answer.',
    });
    const text = offer('o2', 1, { fileCount: 0, dirCount: 0, entries: [], text: { chars: 1200 } });
    assert.equal(isTextOffer(text), true);
    assert.deepEqual(offerNotice(text), { title: 'Alice wants to send you a message', body: '1,200 characters. Open Ferry to answer.' });
  });

  test('a message that arrived shows its first words; a text transfer is news only when it failed', () => {
    const view: TextView = {
      id: 'x',
      direction: 'receive',
      peer: { id: 'dev-a', name: 'Alice', address: '192.168.1.10' },
      protocol: 'ferry',
      text: `Call me\nback ${'please '.repeat(60)}`,
      link: null,
      at: 1,
    };
    const notice = textNotice(view);
    assert.equal(notice.title, 'Message from Alice');
    assert.ok(notice.body.startsWith('Call me back please'));
    assert.equal(Array.from(notice.body).length, 200);
    assert.equal(finishedNotice(transfer({ direction: 'receive', state: 'done', text: 'hi' })), null);
    // Delivered: no news (as on the desktop); failed: said, with its first words.
    assert.equal(finishedNotice(transfer({ state: 'done', text: 'See you' })), null);
    assert.deepEqual(finishedNotice(transfer({ state: 'failed', text: 'See you\nat 5' })), {
      title: 'Message to Bob’s laptop failed',
      body: 'Message: See you at 5',
    });
    assert.deepEqual(finishedNotice(transfer({ state: 'done' })), { title: 'Sent to Bob’s laptop', body: 'report.pdf' });
    assert.equal(finishedNotice(transfer({ state: 'cancelled' })), null);
  });
});
