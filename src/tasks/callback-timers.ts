import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { PeriodicTask } from '../queue/periodic-task.js';
import { assignDueTasks, createCallbackTasks, releaseStaleCalls } from './callback-tasks.js';

/**
 * The call-back clock, driven by the database rather than by BullMQ delayed jobs: a task's next
 * attempt is its `due_at`, so a retry rescheduled, taken over by an agent, or closed needs no job
 * to be found and removed, a pass missed while Redis or a worker was down is simply done late, and
 * each step is guarded by the row itself (like the clarification clock). Each pass makes the
 * call-backs finished calls asked for, releases calls Twilio never finished, then hands due ones
 * to agents free for a call.
 */
export class CallbackTimers {
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Knex,
    logger: Logger,
    intervalMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.task = new PeriodicTask(() => this.pass(), intervalMs, (error) => logger.warn({ err: error }, 'call-back pass failed'));
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass now (tests drive the clock this way); a call during a pass joins it. */
  runOnce(): Promise<void> {
    return this.task.runOnce();
  }

  private async pass(): Promise<void> {
    const at = this.now();
    await createCallbackTasks(this.db, at);
    await releaseStaleCalls(this.db, at);
    await assignDueTasks(this.db, at);
  }
}
