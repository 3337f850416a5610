// The run of failed attempts the retry policy counts: only attempts in a row that achieved
// nothing, so a long transfer over a flaky link is not given up while it gets somewhere.

export class FailureStreak {
  /** Failed attempts in a row without progress (an attempt that made progress starts a new run at 1). */
  failures = 0;
  /** When the first attempt of this run started: "gave up after … s" counts from here. */
  since: number;
  private mostHeld = 0;

  constructor(startedAt: number) {
    this.since = startedAt;
  }

  /**
   * Counts a failed attempt. Progress is what the receiver keeps: a file verified for the
   * first time, or more held at this answer than at any before (the bytes an earlier attempt
   * sent were kept). Bytes merely sent do not count: a receiver that keeps nothing would be
   * retried for ever.
   */
  failed(attemptStartedAt: number, firstVerified: boolean, heldAtAnswer: number | null): void {
    const kept = heldAtAnswer !== null && heldAtAnswer > this.mostHeld;
    if (heldAtAnswer !== null) this.mostHeld = Math.max(this.mostHeld, heldAtAnswer);
    const progressed = firstVerified || kept;
    if (progressed || this.failures === 0) this.since = attemptStartedAt;
    this.failures = progressed ? 1 : this.failures + 1;
  }
}
