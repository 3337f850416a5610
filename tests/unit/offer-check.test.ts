// The receiver's offer check on its own, without a connection: an `offer` and its `files`
// frames become one checked entry list, or the whole offer is refused with the reason.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError, type ErrorCode } from '../../main/core/errors.js';
import { MAX_OFFER_PATH_BYTES } from '../../main/core/protocol/limits.js';
import type { Entry, Offer } from '../../main/core/protocol/messages.js';
import { OfferAssembly } from '../../main/core/transfer/receive/offer-check.js';

function offer(entryCount: number, totalBytes: number): Offer {
  return { type: 'offer', transferId: 't1', entryCount, totalBytes };
}
const file = (path: string, size = 1): Entry => ({ path, size, mtime: 0 });
const dir = (path: string): Entry => ({ path, dir: true });

function refused(code: ErrorCode, pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof FerryError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  };
}

test('an offer is complete once its entryCount entries are in, across several frames', () => {
  const a = new OfferAssembly(offer(4, 30));
  assert.equal(a.add([dir('Photos'), file('Photos/a.jpg', 10)]), null);
  const checked = a.add([file('Photos/b.jpg', 20), dir('Empty')]);
  assert.deepEqual(checked, {
    transferId: 't1',
    entries: [dir('Photos'), file('Photos/a.jpg', 10), file('Photos/b.jpg', 20), dir('Empty')],
    fileCount: 2,
    dirCount: 2,
    totalBytes: 30,
  });
});

test('more entries than the offer announced are refused, even split over frames', () => {
  const a = new OfferAssembly(offer(2, 3));
  assert.equal(a.add([file('a')]), null);
  assert.throws(() => a.add([file('b'), file('c')]), refused('BAD_MESSAGE', /entryCount \(2\)/));
});

test('the same path twice is refused, also when one is the NFD twin of the other', () => {
  assert.throws(() => new OfferAssembly(offer(2, 2)).add([file('a.txt'), file('a.txt')]), refused('BAD_MESSAGE', /duplicate path/));
  const nfc = 'caf\u00e9.txt';
  const nfd = 'cafe\u0301.txt';
  assert.throws(() => new OfferAssembly(offer(2, 2)).add([file(nfc), file(nfd)]), refused('BAD_MESSAGE', /duplicate path/));
  // A file and a folder of the same name collide too.
  assert.throws(() => new OfferAssembly(offer(2, 1)).add([file('x'), dir('x')]), refused('BAD_MESSAGE', /duplicate path/));
});

test('a file that is also the folder of another entry is refused, whatever the order', () => {
  assert.throws(
    () => new OfferAssembly(offer(2, 2)).add([file('a/b'), file('a/b/c')]),
    refused('BAD_MESSAGE', /"a\/b" is both a file and a folder/),
  );
  assert.throws(() => new OfferAssembly(offer(2, 1)).add([dir('a/b/c'), file('a/b')]), refused('BAD_MESSAGE', /both a file and a folder/));
  // Any folder on the way, not only the nearest.
  assert.throws(
    () => new OfferAssembly(offer(2, 2)).add([file('a/b/c/d'), file('a')]),
    refused('BAD_MESSAGE', /"a" is both a file and a folder/),
  );
  // In NFC: an NFD folder name under an NFC file name is the same place.
  assert.throws(
    () => new OfferAssembly(offer(2, 2)).add([file('caf\u00e9'), file('cafe\u0301/x')]),
    refused('BAD_MESSAGE', /both a file and a folder/),
  );
});

test('paths are compared by whole components: "a/b" as a file and "a/bc" are both fine', () => {
  const checked = new OfferAssembly(offer(3, 3)).add([file('a/b'), file('a/bc'), file('a/b.d/e')]);
  assert.equal(checked?.fileCount, 3);
});

test('a totalBytes that is not the sum of the file sizes is refused once the list is complete', () => {
  const a = new OfferAssembly(offer(2, 5));
  assert.equal(a.add([file('a', 2)]), null);
  assert.throws(() => a.add([file('b', 2)]), refused('BAD_MESSAGE', /totalBytes 5 does not match the files \(4\)/));
  // Folders weigh nothing.
  assert.equal(new OfferAssembly(offer(2, 0)).add([dir('d'), file('d/empty', 0)])?.totalBytes, 0);
});

test('paths adding up to more than the offer path budget are refused as soon as they cross it', () => {
  // 4000-byte paths (folders count too): the budget is crossed within the 8389th entry.
  const long = (i: number): string => `${String(i).padStart(8, '0')}/${'x'.repeat(3991)}`;
  const count = Math.floor(MAX_OFFER_PATH_BYTES / 4000) + 1;
  const entries = Array.from({ length: count }, (_, i) => dir(long(i)));
  const a = new OfferAssembly(offer(count + 10, 0));
  assert.equal(a.add(entries.slice(0, count - 1)), null);
  assert.throws(() => a.add(entries.slice(count - 1)), refused('LIMIT_EXCEEDED', /several transfers/));
});
