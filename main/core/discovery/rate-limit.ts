// Budgets for incoming datagrams, so a flood costs a counter increment per datagram and
// nothing more. Time comes from an injectable clock so tests never sleep.

export interface Clock {
  /** Milliseconds, monotonic enough for intervals (Date.now() in production). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Rate {
  perSecond: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: Rate,
    private readonly clock: Clock,
  ) {
    this.tokens = rate.burst;
    this.last = clock.now();
  }

  take(): boolean {
    const now = this.clock.now();
    // A clock that steps back (NTP, a test) must not mint or destroy tokens.
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.rate.burst, this.tokens + (elapsed * this.rate.perSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface IntakeLimits {
  /** Everything together: bounds the CPU spent parsing, whatever the sources. */
  global: Rate;
  /** One source address: a single noisy host cannot use the whole global budget. */
  perSource: Rate;
  /** Sources tracked at once; past this the table starts over (spoofed sources gain nothing). */
  maxSources: number;
}

/**
 * A legitimate peer sends about two datagrams per interface every announce interval, plus
 * answers; 256 peers answering one query fit in the global burst.
 */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  global: { perSecond: 1000, burst: 2000 },
  perSource: { perSecond: 20, burst: 40 },
  maxSources: 1024,
};

export class IntakeLimiter {
  private readonly global: TokenBucket;
  private sources = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: IntakeLimits,
    private readonly clock: Clock,
  ) {
    this.global = new TokenBucket(limits.global, clock);
  }

  allow(source: string): boolean {
    let bucket = this.sources.get(source);
    if (!bucket) {
      if (this.sources.size >= this.limits.maxSources) this.sources = new Map();
      bucket = new TokenBucket(this.limits.perSource, this.clock);
      this.sources.set(source, bucket);
    }
    // Per source first, so a flooding host does not drain the global budget for everyone.
    return bucket.take() && this.global.take();
  }
}
