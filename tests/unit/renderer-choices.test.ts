// The renderer's pure parts of issue 14's UI: choosing part of an offer (the tree of what it
// lists, tri-state folders, the fewest paths that say what is ticked, the totals), the folder a
// person types for one transfer, skipped files in the queue, this device's addresses and their
// QR code's drawing. No DOM, no React rendering.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encode } from 'uqr';
import type { FileView, OfferView, TransferView } from '../../renderer/src/contract.js';
import { ownAddresses } from '../../renderer/src/state/addresses.js';
import {
  allTicked,
  checkTransferFolder,
  choiceTotals,
  choiceTree,
  chosenPaths,
  filesUnder,
  isAbsoluteFolder,
  tickAll,
  tickState,
  toggle,
  type ChoiceTree,
} from '../../renderer/src/state/offer-choice.js';
import { fileStateLabel, skippedCount, transferDetails } from '../../renderer/src/state/transfers.js';
import { namesOf } from '../../renderer/src/state/peers.js';
import { qrPath } from '../../renderer/src/state/qr.js';

type Entries = OfferView['entries'];

function offer(entries: Entries, over: Partial<OfferView> = {}): Pick<OfferView, 'entries' | 'fileCount' | 'dirCount' | 'totalBytes'> {
  const files = entries.filter((e) => !e.dir);
  return {
    entries,
    fileCount: files.length,
    dirCount: entries.length - files.length,
    totalBytes: files.reduce((n, e) => n + (e.size ?? 0), 0),
    ...over,
  };
}

const dir = (path: string) => ({ path, size: null, dir: true });
const file = (path: string, size = 100) => ({ path, size, dir: false });

const HOLIDAY: Entries = [
  dir('Holiday'),
  file('Holiday/a.jpg', 1000),
  file('Holiday/b.jpg', 2000),
  dir('Holiday/Raw'),
  file('Holiday/Raw/a.cr3', 10_000),
  dir('Empty'),
  file('notes.txt', 5),
];

function at(tree: ChoiceTree, path: string): number {
  const i = tree.nodes.findIndex((n) => n.path === path);
  assert.ok(i >= 0, `no node ${path}`);
  return i;
}

describe('choosing part of an offer', () => {
  test('the tree keeps the offer’s order, each folder followed by what it holds, with depths', () => {
    const tree = choiceTree(offer(HOLIDAY));
    assert.equal(tree.complete, true);
    assert.deepEqual(
      tree.nodes.map((n) => `${'  '.repeat(n.depth)}${n.path}${n.dir ? '/' : ''}`),
      ['Holiday/', '  Holiday/a.jpg', '  Holiday/b.jpg', '  Holiday/Raw/', '    Holiday/Raw/a.cr3', 'Empty/', 'notes.txt'],
    );
    assert.ok(tree.nodes.every((n) => n.choosable));
    // Files and the empty folder are what a tick is made of.
    assert.deepEqual(
      tree.units.map((u) => tree.nodes[u]!.path),
      ['Holiday/a.jpg', 'Holiday/b.jpg', 'Holiday/Raw/a.cr3', 'Empty', 'notes.txt'],
    );
    assert.equal(filesUnder(tree, at(tree, 'Holiday')), 3);
  });

  test('everything ticked answers null; a folder ticked whole goes by its own path, not its files', () => {
    const tree = choiceTree(offer(HOLIDAY));
    let ticked = tickAll(tree);
    assert.equal(allTicked(tree, ticked), true);
    assert.equal(chosenPaths(tree, ticked), null);
    ticked = toggle(tree, ticked, at(tree, 'notes.txt'));
    assert.deepEqual(chosenPaths(tree, ticked), ['Holiday', 'Empty']);
    ticked = toggle(tree, ticked, at(tree, 'Holiday/Raw/a.cr3'));
    assert.equal(tickState(tree, ticked, at(tree, 'Holiday/Raw')), 'off');
    assert.equal(tickState(tree, ticked, at(tree, 'Holiday')), 'mixed');
    assert.deepEqual(chosenPaths(tree, ticked), ['Holiday/a.jpg', 'Holiday/b.jpg', 'Empty']);
  });

  test('a partly ticked folder fills on a click; a ticked one empties', () => {
    const tree = choiceTree(offer(HOLIDAY));
    const holiday = at(tree, 'Holiday');
    let ticked = toggle(tree, tickAll(tree), at(tree, 'Holiday/a.jpg'));
    assert.equal(tickState(tree, ticked, holiday), 'mixed');
    ticked = toggle(tree, ticked, holiday);
    assert.equal(tickState(tree, ticked, holiday), 'on');
    ticked = toggle(tree, ticked, holiday);
    assert.equal(tickState(tree, ticked, holiday), 'off');
    assert.equal(tickState(tree, ticked, at(tree, 'Holiday/Raw/a.cr3')), 'off');
    assert.deepEqual(chosenPaths(tree, ticked), ['Empty', 'notes.txt']);
  });

  test('the totals: all of it, part of it, nothing (an empty folder alone brings nothing)', () => {
    const o = offer(HOLIDAY);
    const tree = choiceTree(o);
    assert.deepEqual(choiceTotals(tree, tickAll(tree), o), { all: true, files: 4, bytes: 13_005, atLeast: false, anything: true });
    const part = toggle(tree, tickAll(tree), at(tree, 'Holiday/Raw'));
    assert.deepEqual(choiceTotals(tree, part, o), { all: false, files: 3, bytes: 3005, atLeast: false, anything: true });
    const none = new Set<number>();
    assert.equal(choiceTotals(tree, none, o).anything, false);
    const emptyOnly = toggle(tree, none, at(tree, 'Empty'));
    assert.equal(choiceTotals(tree, emptyOnly, o).anything, false, 'an empty folder alone is nothing to receive');
    assert.deepEqual(chosenPaths(tree, emptyOnly), ['Empty']);
  });

  test('folders named only by their files’ paths are added, and chosen by their path', () => {
    const entries: Entries = [file('Trip/day1/a.jpg'), file('Trip/day1/b.jpg'), file('Trip/day2/c.jpg'), file('z.txt')];
    const tree = choiceTree(offer(entries, { dirCount: 0 }));
    assert.deepEqual(
      tree.nodes.map((n) => [n.path, n.dir, n.listed]),
      [
        ['Trip', true, false],
        ['Trip/day1', true, false],
        ['Trip/day1/a.jpg', false, true],
        ['Trip/day1/b.jpg', false, true],
        ['Trip/day2', true, false],
        ['Trip/day2/c.jpg', false, true],
        ['z.txt', false, true],
      ],
    );
    const ticked = toggle(tree, tickAll(tree), at(tree, 'Trip/day2'));
    assert.deepEqual(chosenPaths(tree, ticked), ['Trip/day1', 'z.txt']);
  });

  test('an offer listing only its first entries: only top-level entries are chosen, and counts say "at least"', () => {
    const entries: Entries = [dir('Camera'), file('Camera/1.jpg', 10), file('Camera/2.jpg', 10), file('a.mp4', 1000), file('b.mp4', 1000)];
    const o = offer(entries, { fileCount: 500, dirCount: 1, totalBytes: 1_000_000 });
    const tree = choiceTree(o);
    assert.equal(tree.complete, false);
    assert.deepEqual(
      tree.nodes.filter((n) => n.choosable).map((n) => n.path),
      ['Camera', 'a.mp4', 'b.mp4'],
    );
    // A listed child follows its top-level entry.
    assert.equal(tickState(tree, toggle(tree, tickAll(tree), at(tree, 'Camera')), at(tree, 'Camera/1.jpg')), 'off');
    const ticked = toggle(tree, tickAll(tree), at(tree, 'a.mp4'));
    assert.deepEqual(chosenPaths(tree, ticked), ['Camera', 'b.mp4']);
    assert.deepEqual(choiceTotals(tree, ticked, o), { all: false, files: 3, bytes: 1020, atLeast: true, anything: true });
    const filesOnly = toggle(tree, ticked, at(tree, 'Camera'));
    assert.deepEqual(choiceTotals(tree, filesOnly, o), { all: false, files: 1, bytes: 1000, atLeast: false, anything: true });
    // All ticked: all of it, what is not listed included.
    assert.equal(chosenPaths(tree, tickAll(tree)), null);
  });

  test('trailing slashes and repeated entries do not make extra rows', () => {
    const tree = choiceTree(offer([dir('Docs/'), file('Docs/a.txt'), dir('Docs')], { fileCount: 1, dirCount: 2 }));
    assert.deepEqual(
      tree.nodes.map((n) => n.path),
      ['Docs', 'Docs/a.txt'],
    );
  });
});

describe('the folder typed for one transfer', () => {
  test('absolute paths of every system are folders; anything else is not', () => {
    for (const p of ['/srv/photos', 'C:\\Users\\sam', 'd:/data', '\\\\nas\\share']) assert.equal(isAbsoluteFolder(p), true, p);
    for (const p of ['Pictures', './x', '~/Pictures', 'C:', '\\\\', '']) assert.equal(isAbsoluteFolder(p), false, p);
  });

  test('empty or the download folder means the download folder; a relative one is refused with an example for the system', () => {
    assert.deepEqual(checkTransferFolder('  ', '/home/sam/Downloads', 'linux'), { ok: true, folder: null });
    assert.deepEqual(checkTransferFolder('/home/sam/Downloads', '/home/sam/Downloads', 'linux'), { ok: true, folder: null });
    assert.deepEqual(checkTransferFolder(' /srv/in ', '/home/sam/Downloads', 'linux'), { ok: true, folder: '/srv/in' });
    const bad = checkTransferFolder('Pictures', 'C:\\Users\\sam\\Downloads', 'win32');
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.message : '', /C:\\Users\\sam\\Pictures/);
  });
});

describe('skipped files', () => {
  function transfer(over: Partial<TransferView>): TransferView {
    return {
      id: 't',
      direction: 'receive',
      protocol: 'ferry',
      peer: { id: 'p', name: 'Bob', address: null },
      state: 'done',
      label: { first: 'Holiday', firstIsDir: true, count: 1 },
      fileCount: 5,
      dirCount: 1,
      totalBytes: 5000,
      verificationCode: null,
      transferred: 5000,
      bytesPerSecond: 0,
      etaSeconds: null,
      filesDone: 5,
      filesFailed: 0,
      error: null,
      startedAt: 0,
      finishedAt: 1,
      retry: null,
      folder: '/dl',
      partialBytes: 0,
      text: null,
      pin: null,
      leftOut: null,
      ...over,
    };
  }

  test('a transfer that ended well counts what it left out; one that did not, or is still going, does not guess', () => {
    assert.equal(skippedCount(transfer({ filesDone: 3 })), 2);
    assert.deepEqual(transferDetails(transfer({ filesDone: 3 })), ['5 files and 1 folder', '5.0 kB', '2 skipped']);
    assert.deepEqual(transferDetails(transfer({})), ['5 files and 1 folder', '5.0 kB']);
    assert.equal(skippedCount(transfer({ state: 'failed', filesDone: 3 })), 0);
    assert.equal(skippedCount(transfer({ state: 'transferring', filesDone: 3 })), 0);
    assert.equal(skippedCount(transfer({ filesDone: 3, filesFailed: 2 })), 0);
  });

  test('a skipped file says so, and is no failure', () => {
    const f: FileView = { path: 'a.jpg', size: 1, state: 'skipped', savedAs: null, resumedFrom: 0, error: null };
    assert.equal(fileStateLabel(f, 'done'), 'Skipped (not wanted)');
    assert.equal(fileStateLabel(f, 'failed'), 'Skipped (not wanted)');
  });
});

describe('this device’s addresses', () => {
  test('Ferry’s HOST:PORT per address, then localsend://HOST:PORT while LocalSend listens; IPv6 in brackets', () => {
    assert.deepEqual(ownAddresses({ addresses: ['192.168.1.23', 'fe80::1'], port: 33779, localsend: { port: 53317, problem: null } }), [
      { text: '192.168.1.23:33779', protocol: 'ferry' },
      { text: '[fe80::1]:33779', protocol: 'ferry' },
      { text: 'localsend://192.168.1.23:53317', protocol: 'localsend' },
      { text: 'localsend://[fe80::1]:53317', protocol: 'localsend' },
    ]);
    assert.deepEqual(ownAddresses({ addresses: ['10.0.0.2'], port: null, localsend: { port: null, problem: 'x' } }), []);
    assert.deepEqual(ownAddresses({ addresses: [], port: 33779, localsend: null }), []);
  });

  test('the QR code’s drawing has a square per dark module, offset by the quiet zone', () => {
    assert.equal(
      qrPath(
        [
          [true, true, false],
          [false, true, true],
        ],
        4,
      ),
      'M4 4h2v1h-2zM5 5h2v1h-2z',
    );
    // Every dark module of a real code is drawn, and nothing else.
    const qr = encode('localsend://192.168.1.23:53317', { ecc: 'M', border: 0 });
    const dark = qr.data.flat().filter(Boolean).length;
    const drawn = [...qrPath(qr.data).matchAll(/h(\d+)v1/g)].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(drawn, dark);
  });

  test('the names of several devices, shortened past three', () => {
    const p = (name: string) => ({ name });
    assert.equal(namesOf([p('A')]), 'A');
    assert.equal(namesOf([p('A'), p('B')]), 'A and B');
    assert.equal(namesOf([p('A'), p('B'), p('C')]), 'A, B and C');
    assert.equal(namesOf([p('A'), p('B'), p('C'), p('D')]), 'A, B and 2 more');
  });
});
