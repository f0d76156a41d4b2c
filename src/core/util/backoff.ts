/**
 * Bounded exponential backoff with jitter, shared by every reconnecting thing (relays, the chain client, the worker)
 * so that a dead peer is retried promptly at first and never more often than the cap afterwards.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly capMs = 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next try; grows 2x per failure up to the cap, with ±20% jitter so peers do not stampede. */
  next(): number {
    const raw = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    this.attempt++;
    const jitter = 1 + (this.random() * 0.4 - 0.2);
    return Math.round(Math.min(this.capMs, raw * jitter));
  }

  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
