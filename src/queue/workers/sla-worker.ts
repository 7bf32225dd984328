import { Worker, type ConnectionOptions } from 'bullmq';
import { GroupCommitter } from '../../db/group-commit.js';
import { fireAllDue, type FiringContext } from '../../sla/clock-firing.js';
import { QUEUE_SLA, type SlaJob } from '../names.js';
import { logQueueErrors } from '../redis-health.js';

/** 500 stages a batch: a pass records up to 5,000; the sweep takes anything beyond. */
const MAX_BATCHES_PER_PASS = 10;

/**
 * Fires SLA timers. A job is only the signal that something is due: its pass fires every stage
 * due by now, so the first job of a burst (a day's deadlines all fall at the 16:00 closing) records
 * the whole burst in a few set-based transactions, and the jobs behind it find nothing left.
 * Jobs arriving during a pass share the next one.
 */
export function startSlaWorker(
  context: FiringContext,
  connection: ConnectionOptions,
  options: { prefix: string; concurrency: number },
): Worker<SlaJob> {
  const fire = new GroupCommitter<number, undefined>(async (clockIds) => {
    await fireAllDue(context, MAX_BATCHES_PER_PASS);
    return clockIds.map(() => undefined);
  }, options.concurrency);
  const worker = new Worker<SlaJob>(QUEUE_SLA, (job) => fire.submit(job.data.clockId), {
    connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
  });
  logQueueErrors(worker, context.logger, 'SLA worker');
  return worker;
}
