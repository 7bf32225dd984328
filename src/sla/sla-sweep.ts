import { PeriodicTask } from '../queue/periodic-task.js';
import { fireAllDue, type FiringContext, type Fired } from './clock-firing.js';

/** Batches per pass at most: a long backlog (Redis was away for a day) drains over a few passes. */
const MAX_BATCHES = 20;

/**
 * The safety net under the SLA timers: every interval, fires whatever warning or breach is due
 * and was not fired by its timer (Redis lost the job, no worker ran at the time). The database
 * decides, so a stage fired by both the timer and the sweep is still recorded once.
 */
export class SlaSweep {
  private readonly task: PeriodicTask;
  private last: Fired = { warnings: 0, breaches: 0 };

  constructor(private readonly context: FiringContext, intervalMs: number) {
    this.task = new PeriodicTask(() => this.pass(), intervalMs, (error) => context.logger.warn({ err: error }, 'SLA sweep failed'));
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass now, with what it fired (tests drive the clock this way). */
  async runOnce(): Promise<Fired> {
    await this.task.runOnce();
    return this.last;
  }

  private async pass(): Promise<void> {
    this.last = await fireAllDue(this.context, MAX_BATCHES);
  }
}
