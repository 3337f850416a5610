// Every number the protocol bounds, in one place: docs/PROTOCOL.md quotes these.

/**
 * 1.1 adds what a receiver may send to a sender that announced 1.1 too: `received` (how much
 * file data has arrived, so the sender's progress is what the receiver holds) and refusals
 * in the answer (files it cannot take, so the sender does not stream them for nothing).
 * 1.2 adds `text`: a text message offered instead of files, to a receiver that announced 1.2.
 */
export const PROTOCOL_VERSION = '1.2';
export const PROTOCOL_MAJOR = 1;
/**
 * A receiver's TCP port unless told otherwise (and discovery's UDP port, see discovery/codec.ts).
 * Defined with the HOST:PORT format, which every UI shares, so an address typed without a port
 * means this one everywhere.
 */
export { DEFAULT_PORT } from '../contract/host-port.js';
export const PROTOCOL_MINOR = 2;
/** The first minor version that knows `text`: an older receiver would answer it with UNKNOWN_TYPE. */
export const TEXT_MINOR = 2;
/**
 * The largest text message, in bytes of UTF-8 (the UI's limit too). Its bytes travel as the
 * frame's body, not in the JSON header: escaped there (a newline as \n, a control character as
 * \u0001) 64 KiB of text could need six times the header's 64 KiB.
 */
export { MAX_TEXT_BYTES } from '../contract/index.js';
/** How often, at most, a receiver reports the file data it has received (protocol 1.1). */
export const RECEIVED_INTERVAL_MS = 200;

/** A header is small control data; 64 KiB holds ~500 file entries and bounds what a stranger can make us parse. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Largest body one `data` frame may carry. Senders use 1 MiB; receivers accept up to this. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Entries (files plus folders) in one offer: 100,000-file folders fit with room to spare. */
export const MAX_OFFER_ENTRIES = 250_000;
/** Entries in one `files` or `resume` frame, so one frame never nears MAX_HEADER_BYTES. */
export const MAX_ENTRIES_PER_FRAME = 256;
/** Sizes and offsets must be exact in a JavaScript number (and any other language's double). */
export const MAX_SIZE = Number.MAX_SAFE_INTEGER;
/** Modification times (ms since 1970) must be valid dates: ±100,000,000 days, as in ECMAScript. */
export const MAX_MTIME = 8.64e15;
/** Path bytes in one offer, all entries together: bounds what an undecided offer holds in memory. */
export const MAX_OFFER_PATH_BYTES = 32 * 1024 * 1024;
export const MAX_PATH_BYTES = 4096;
export const MAX_COMPONENT_BYTES = 255;
export const MAX_PATH_DEPTH = 64;
export const MAX_NAME_CHARS = 64;
export const MAX_SHORT_STRING = 256;
export const MAX_MESSAGE_CHARS = 1024;

/** No byte for this long while the protocol expects one: the peer is gone or stalling. */
export const IDLE_TIMEOUT_MS = 30_000;
/** A new connection must say hello quickly; slow-drip openers are cut off. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A person may take a while to decide on an offer. */
export const ANSWER_TIMEOUT_MS = 10 * 60_000;
/** After acceptance either side may go quiet while it hashes a large resume prefix. */
export const ACCEPTED_IDLE_TIMEOUT_MS = 120_000;

export const MAX_CONNECTIONS = 128;
export const MAX_CONNECTIONS_PER_ADDRESS = 16;
