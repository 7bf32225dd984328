/**
 * Sizes write groups by time rather than by count. On SQLite one write transaction holds the only
 * write lock, and every webhook's inbox commit (the answer Twilio waits for) queues behind it; a
 * group of 100 contacts held it for tens of milliseconds. This learns how long one item takes
 * (a moving average of the last groups, overhead included) and offers the number of items that fit
 * in `targetMs`: a group of n items takes about a + b·n, so the limit settles where a + b·n meets
 * the target, and follows the machine when it gets slower or faster.
 */
export class TransactionBudget {
  private msPerItem: number | undefined;

  constructor(
    private readonly targetMs: number,
    private readonly maxItems: number,
    /**
     * Never fewer: the measured time includes the process's other work on the event loop (a
     * worker's hundreds of active jobs), and on a busy machine it alone can exceed the target,
     * which would shrink groups to one contact each and the throughput with them.
     */
    private readonly minItems = 1,
  ) {}

  /** How many items the next group may take. */
  limit(): number {
    // Before anything is measured: the smallest group, so that the first ones do not overshoot.
    if (this.msPerItem === undefined) return Math.min(this.minItems, this.maxItems);
    const fit = Math.floor(this.targetMs / this.msPerItem);
    return Math.min(this.maxItems, Math.max(this.minItems, fit, 1));
  }

  /** A group of `items` took `elapsedMs`. */
  record(items: number, elapsedMs: number): void {
    if (items <= 0 || !Number.isFinite(elapsedMs) || elapsedMs < 0) return;
    const sample = elapsedMs / items;
    this.msPerItem = this.msPerItem === undefined ? sample : this.msPerItem * 0.8 + sample * 0.2;
  }
}
