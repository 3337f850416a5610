// The sender's read buffers: files are read in 1 MiB chunks, each into a buffer with HEADROOM
// spare bytes in front for its data frame's header, and buffers the socket is done with are
// reused for the next chunks.

/** How much of a file the sender reads, and puts in one data frame, at a time. */
export const CHUNK = 1024 * 1024;
/** Room before each chunk for the data frame's header (see Connection.sendDataInPlace). */
export const HEADROOM = 256;

// Read buffers the socket has finished with, for the next chunks. Allocating a fresh 1 MiB
// buffer per chunk made V8 run a full garbage collection every ~30 MB sent (external memory
// pressure): a tenth of the sender's CPU on a big file. The sender reads one chunk ahead of
// the socket, so a few are enough, shared by the transfers of a process.
const spareChunks: Buffer[] = [];
const MAX_SPARE_CHUNKS = 8;

/** A buffer for `size` bytes at HEADROOM (a spare one when the size is a whole chunk). */
export function takeChunk(size: number): Buffer {
  return size === CHUNK ? (spareChunks.pop() ?? Buffer.allocUnsafe(HEADROOM + CHUNK)) : Buffer.allocUnsafe(HEADROOM + size);
}

/** Hands back a buffer the socket is done with (not after a broken connection: it may still hold it). */
export function giveBack(buf: Buffer): void {
  if (buf.length === HEADROOM + CHUNK && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(buf);
}
