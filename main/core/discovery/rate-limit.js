"use strict";
// Budgets for incoming datagrams, so a flood costs a counter increment per datagram and
// nothing more. Time comes from an injectable clock so tests never sleep.
Object.defineProperty(exports, "__esModule", { value: true });
exports.IntakeLimiter = exports.DEFAULT_INTAKE_LIMITS = exports.TokenBucket = exports.systemClock = void 0;
exports.systemClock = { now: () => Date.now() };
class TokenBucket {
    rate;
    clock;
    tokens;
    last;
    constructor(rate, clock) {
        this.rate = rate;
        this.clock = clock;
        this.tokens = rate.burst;
        this.last = clock.now();
    }
    take() {
        const now = this.clock.now();
        // A clock that steps back (NTP, a test) must not mint or destroy tokens.
        const elapsed = Math.max(0, now - this.last);
        this.last = now;
        this.tokens = Math.min(this.rate.burst, this.tokens + (elapsed * this.rate.perSecond) / 1000);
        if (this.tokens < 1)
            return false;
        this.tokens -= 1;
        return true;
    }
}
exports.TokenBucket = TokenBucket;
/**
 * A legitimate peer sends about two datagrams per interface every announce interval, plus
 * answers; 256 peers answering one query fit in the global burst.
 */
exports.DEFAULT_INTAKE_LIMITS = {
    global: { perSecond: 1000, burst: 2000 },
    perSource: { perSecond: 20, burst: 40 },
    maxSources: 1024,
};
class IntakeLimiter {
    limits;
    clock;
    global;
    sources = new Map();
    constructor(limits, clock) {
        this.limits = limits;
        this.clock = clock;
        this.global = new TokenBucket(limits.global, clock);
    }
    allow(source) {
        let bucket = this.sources.get(source);
        if (!bucket) {
            if (this.sources.size >= this.limits.maxSources)
                this.sources = new Map();
            bucket = new TokenBucket(this.limits.perSource, this.clock);
            this.sources.set(source, bucket);
        }
        // Per source first, so a flooding host does not drain the global budget for everyone.
        return bucket.take() && this.global.take();
    }
}
exports.IntakeLimiter = IntakeLimiter;
//# sourceMappingURL=rate-limit.js.map