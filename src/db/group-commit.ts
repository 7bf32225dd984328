/**
 * Group commit: concurrent callers each submit one item; items that arrive while a flush is under
 * way (or in the same turn of the event loop) are flushed together, in one transaction and one
 * queue round trip. Under load this turns N small writes into a few large ones; with one caller
 * it costs one setImmediate.
 *
 * `flush` returns one result per item, in order. When a batch of several fails, each item is
 * flushed alone, so that one bad item fails only its own caller.
 */
export class GroupCommitter<Item, Result> {
  private pending: Array<{ item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];
  private draining = false;

  constructor(
    private readonly flush: (items: Item[]) => Promise<Result[]>,
    /** Items per flush: a number, or asked before each flush (a TransactionBudget's limit). */
    private readonly maxBatch: number | (() => number) = 100,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const limit = typeof this.maxBatch === 'function' ? this.maxBatch() : this.maxBatch;
        const batch = this.pending.splice(0, Math.max(1, limit));
        await this.flushBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async flushBatch(batch: typeof this.pending): Promise<void> {
    try {
      const results = await this.flush(batch.map((entry) => entry.item));
      for (const [index, entry] of batch.entries()) entry.resolve(results[index]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const entry of batch) await this.flushBatch([entry]);
    }
  }
}
