import { Worker, type ConnectionOptions } from 'bullmq';
import { GroupCommitter } from '../../db/group-commit.js';
import { fireDueClocks, type FiringContext } from '../../sla/clock-firing.js';
import { QUEUE_SLA, type SlaJob } from '../names.js';

/**
 * Fires SLA timers. Timers falling due together (a morning's deadlines at 07:30) are checked in
 * one transaction per group, so a burst costs a few statements rather than one transaction each.
 */
export function startSlaWorker(context: FiringContext, connection: ConnectionOptions, options: { prefix: string; concurrency: number }): Worker<SlaJob> {
  const fire = new GroupCommitter<number, undefined>(async (clockIds) => {
    await fireDueClocks(context, [...new Set(clockIds)]);
    return clockIds.map(() => undefined);
  }, Math.min(options.concurrency, 200));
  const worker = new Worker<SlaJob>(QUEUE_SLA, (job) => fire.submit(job.data.clockId), { connection, prefix: options.prefix, concurrency: options.concurrency });
  worker.on('error', (error) => context.logger.warn({ err: error }, 'SLA worker connection problem'));
  return worker;
}
