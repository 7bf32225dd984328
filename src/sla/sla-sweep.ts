import { PeriodicTask } from '../queue/periodic-task.js';
import { fireAllDue, type FiringContext, type Fired } from './clock-firing.js';

/** Batches per pass at most: a long backlog (Redis was away for a day) drains over a few passes. */
const MAX_BATCHES = 20;

/**
 * The safety net under the SLA timers: every interval, fires whatever warning or breach is due
 * and was not fired by its timer (Redis lost the job, no worker ran at the time). The database
 * decides, so a stage fired by both the timer and the sweep is still recorded once. runOnce()
 * answers what the pass fired (tests drive the clock this way).
 */
export function slaSweepTask(context: FiringContext, intervalMs: number): PeriodicTask<Fired> {
  return new PeriodicTask(
    () => fireAllDue(context, MAX_BATCHES),
    intervalMs,
    (error) => context.logger.warn({ err: error }, 'SLA sweep failed'),
  );
}
