// A token bucket as AWS meters API calls: `rate` tokens per second, bursts up to `rate`. The
// clock is injected so tests can drive it.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
    private readonly capacity = Math.max(1, rate),
  ) {
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Takes one token if there is one; false means the caller is over the rate. */
  tryTake(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
