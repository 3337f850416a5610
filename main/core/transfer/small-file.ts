// What counts as a small file, for both roles. A sender reads one synchronously in one go; a
// receiver assembles it in memory and writes it in one go when it ends. Fewer file-system
// round trips per file is what keeps 10,000 small files as fast as one big one.

export const SMALL_FILE = 256 * 1024;
