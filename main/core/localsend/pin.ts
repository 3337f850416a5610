// LocalSend's receive PIN (protocol v2.1): prepare-upload carries `?pin=`; a missing one is
// answered 401 "PIN required", a wrong one 401 "Invalid PIN", and after three wrong ones from an
// address that address gets 429 for a while. No PIN set: everyone passes.

import { timingSafeEqual } from 'node:crypto';
import { Refusal } from './refusal.js';

const MAX_FAILURES = 3;
const LOCKOUT_MS = 5 * 60_000;
const MAX_ADDRESSES = 4096;

export class PinGate {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private pin: string | null,
    private readonly now: () => number = Date.now,
  ) {}

  set(pin: string | null): void {
    this.pin = pin === '' ? null : pin;
    this.failures.clear();
  }

  /** Throws the 401 or 429 Refusal this request gets, if any. */
  check(given: string | null, address: string): void {
    if (this.pin === null) return;
    const f = this.failures.get(address);
    if (f && f.count >= MAX_FAILURES) {
      if (this.now() < f.until) throw new Refusal(429, 'RATE_LIMITED', 'Too many attempts');
      this.failures.delete(address);
    }
    if (given === null || given === '') throw new Refusal(401, 'AUTH_REQUIRED', 'PIN required');
    const a = Buffer.from(given);
    const b = Buffer.from(this.pin);
    if (a.length === b.length && timingSafeEqual(a, b)) {
      this.failures.delete(address);
      return;
    }
    const count = (this.failures.get(address)?.count ?? 0) + 1;
    this.failures.delete(address);
    this.failures.set(address, { count, until: this.now() + LOCKOUT_MS });
    if (this.failures.size > MAX_ADDRESSES) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    throw new Refusal(401, 'AUTH_FAILED', 'Invalid PIN');
  }
}
