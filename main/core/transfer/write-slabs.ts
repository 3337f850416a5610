// The receiver's write buffers. Every file byte arrives in a buffer of its own that TLS
// allocated for one record (16 KiB). Held until the disk took it, such a buffer outlived a
// young-generation collection or two, was promoted, and was freed only by a full collection:
// during a big file, tens of MB of spent records sat in the heap. So a streamed file's bytes
// are copied into these slabs at once (the copy costs less than the heap it saves: the
// record dies young, and the disk gets fewer, larger writes), and a slab the disk is done
// with serves the next bytes, of this file or any other.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Bytes per slab: a whole number of 16 KiB records, and few enough that many files at once hold little. */
export const SLAB = 256 * 1024;

// Spare slabs, shared by the process's transfers: enough for a connection's full write
// queue (see Backpressure), so a big file allocates none after its first few MB.
const spare: Buffer[] = [];
const MAX_SPARE = 32;

// Records that die young are still only freed when the young generation is collected, and V8
// does that when JavaScript objects fill it, which a stream of file bytes barely does: 40 MB
// of spent records piled up between two collections. So one is asked for after every
// COLLECT_EVERY slabs (8 MiB): it takes well under a millisecond, as almost nothing in the
// young generation is alive, and it holds the receiver of a big file ~25 MB lower.
const COLLECT_EVERY = 32;
let taken = 0;

export function takeSlab(): Buffer {
  if (++taken % COLLECT_EVERY === 0) collectYoung();
  return spare.pop() ?? Buffer.allocUnsafeSlow(SLAB);
}

/** Hands back a slab no write holds any more. */
export function giveSlab(slab: Buffer): void {
  if (spare.length < MAX_SPARE) spare.push(slab);
}

// V8's own collector function, with which a young-generation collection can be asked for.
// It is only given to contexts made after --expose-gc is set, hence the fresh context.
// Setting a flag once V8 runs is safe where its flags stay unfrozen, as Node keeps them for
// v8.setFlagsFromString and Electron's main process too (it starts V8 with
// --no-freeze-flags-after-init); a runtime that froze them would abort here, not throw.
// Where the function does not come (the flag refused), collections stay V8's own affair.
let collector: ((options: { type: 'minor' }) => void) | null | undefined;

function collectYoung(): void {
  if (collector === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as (options: { type: 'minor' }) => void) : null;
    } catch {
      collector = null;
    }
  }
  collector?.({ type: 'minor' });
}
