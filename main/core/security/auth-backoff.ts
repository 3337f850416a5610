// Slows down guessing: after a failed shared-secret proof, an address must wait before it
// may try again, doubling with each failure. Bounded, so a spray of addresses cannot grow it.

const BASE_MS = 1000;
const MAX_MS = 5 * 60 * 1000;
const MAX_ADDRESSES = 4096;
// One free mistake (a wrong secret file), then waits.
const FREE_FAILURES = 1;

interface Entry {
  failures: number;
  until: number;
}

export class AuthBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds this address must still wait, or 0. */
  waitFor(address: string): number {
    const e = this.entries.get(address);
    if (!e) return 0;
    return Math.max(0, e.until - this.now());
  }

  failed(address: string): void {
    const e = this.entries.get(address) ?? { failures: 0, until: 0 };
    e.failures++;
    const over = e.failures - FREE_FAILURES;
    e.until = over > 0 ? this.now() + Math.min(MAX_MS, BASE_MS * 2 ** (over - 1)) : 0;
    this.entries.delete(address);
    this.entries.set(address, e);
    if (this.entries.size > MAX_ADDRESSES) {
      // Forget the longest-unseen address (Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  succeeded(address: string): void {
    this.entries.delete(address);
  }
}
