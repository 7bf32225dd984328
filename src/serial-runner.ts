/**
 * Runs `work` one at a time however often it is asked: an ask while it runs makes one more run
 * after it, never more (that run may have read before what the ask is about). The live tails read
 * through one: on their poll's tick, and at once when a commit wakes them (commit-wakeups.ts).
 */
export class SerialRunner {
  private running = false;
  private again = false;

  constructor(private readonly work: () => Promise<void>) {}

  run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void (async () => {
      try {
        do {
          this.again = false;
          await this.work().catch(() => undefined); // the work says nothing of its own failures
        } while (this.again);
      } finally {
        this.running = false;
      }
    })();
  }
}
