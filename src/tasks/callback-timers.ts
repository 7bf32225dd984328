import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { PeriodicTask } from '../queue/periodic-task.js';
import { assignDueTasks, createCallbackTasks, releaseStaleCalls } from './callback-tasks.js';

/**
 * The call-back clock, driven by the database rather than by BullMQ delayed jobs: a task's next
 * attempt is its `due_at`, so a retry rescheduled, taken over by an agent, or closed needs no job
 * to be found and removed, a pass missed while Redis or a worker was down is simply done late, and
 * each step is guarded by the row itself (like the clarification clock). Each pass makes the
 * call-backs finished calls asked for, releases calls the provider never finished, then hands due ones
 * to agents free for a call. Tests drive it with runOnce().
 */
export function callbackTask(
  db: Knex,
  /** The phone line's provider (the voice adapter's `provider`). */
  voiceProvider: string,
  logger: Logger,
  intervalMs: number,
  now: () => Date = () => new Date(),
): PeriodicTask {
  const pass = async () => {
    const at = now();
    await createCallbackTasks(db, voiceProvider, at);
    await releaseStaleCalls(db, at);
    await assignDueTasks(db, at);
  };
  return new PeriodicTask(pass, intervalMs, (error) => logger.warn({ err: error }, 'call-back pass failed'));
}
