/**
 * A pass that runs every `intervalMs` in the background and on demand, never two at once: an
 * overlapping call joins the pass under way and gets its result. A failing pass is reported and
 * tried again next time. The timer never keeps the process alive on its own.
 */
export class PeriodicTask<Result = void> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<Result>;

  constructor(
    private readonly pass: () => Promise<Result>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce().catch(this.onError), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  runOnce(): Promise<Result> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }
}
