/**
 * Runs the work given to it one piece at a time, in the order given, each after the one before
 * has settled: a failure is its caller's, and the next piece runs all the same. What the routing
 * worker needs so that a signal's pass and the periodic pass of one process never overlap.
 */
export class Serial {
  private pass: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.pass.then(work, work);
    this.pass = next.catch(() => undefined);
    return next;
  }

  /** Settles (never rejects) once the work given so far has. */
  async idle(): Promise<void> {
    await this.pass;
  }
}
