// Speed, ETA and the throttle that keeps progress events to a few per second whatever
// the chunk rate.

const WINDOW_MS = 3000;
export const PROGRESS_INTERVAL_MS = 250;

export class RateMeter {
  private samples: Array<[number, number]> = [];
  private total = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  add(bytes: number): void {
    this.total += bytes;
  }

  /** Bytes per second over the last few seconds. */
  rate(): number {
    const t = this.now();
    this.samples.push([t, this.total]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > WINDOW_MS) this.samples.shift();
    const [t0, b0] = this.samples[0]!;
    const dt = (t - t0) / 1000;
    return dt > 0.05 ? (this.total - b0) / dt : 0;
  }
}

export function eta(remaining: number, bytesPerSecond: number): number | null {
  if (remaining <= 0) return 0;
  if (bytesPerSecond <= 0) return null;
  return Math.ceil(remaining / bytesPerSecond);
}

/** Calls fn at most once per interval; flush() forces a final call. */
export class Throttle {
  private last = -Infinity;
  constructor(
    private readonly fn: () => void,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}
  tick(): void {
    const t = performance.now();
    if (t - this.last >= this.intervalMs) {
      this.last = t;
      this.fn();
    }
  }
  flush(): void {
    this.last = performance.now();
    this.fn();
  }
}
