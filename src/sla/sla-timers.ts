import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { QUEUE_SLA, slaJobId, type SlaJob } from '../queue/names.js';
import { logQueueErrors, logRedisFailure } from '../queue/redis-health.js';
import type { TimerChange } from './timer-change.js';

/** What ticket actions need from the SLA timers: to be told which clocks moved, after commit. */
export interface ClockTimers {
  schedule(changes: readonly TimerChange[]): Promise<void>;
}

const STAGES = [
  ['warning', 'warnAt'],
  ['breach', 'dueAt'],
] as const;

/**
 * The producer side of the SLA timers: one BullMQ delayed job per clock stage (warning, breach),
 * with an id made of the clock, the stage and the instant, so that scheduling twice is a no-op and
 * a moved clock's old jobs can be named and removed. The database stays the record: a job only
 * asks the worker to look at its clock, and the periodic sweep (SlaSweep) fires whatever a lost
 * job missed. Never throws: a failure is logged and the sweep catches up.
 */
export class SlaTimers implements ClockTimers {
  readonly queue: Queue<SlaJob>;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    /** The installation's id (src/queue/installation-id.ts), part of every job id; a tool alone on its own prefix may leave it out. */
    private readonly installationId = 'local',
  ) {
    this.queue = new Queue<SlaJob>(QUEUE_SLA, { connection, prefix });
    logQueueErrors(this.queue, logger, 'SLA queue');
  }

  async schedule(changes: readonly TimerChange[]): Promise<void> {
    if (changes.length === 0) return;
    const stale: string[] = [];
    const jobs: Array<{
      name: string;
      data: SlaJob;
      opts: { jobId: string; delay: number; removeOnComplete: boolean; removeOnFail: { age: number } };
    }> = [];
    const now = this.now().getTime();
    for (const change of changes) {
      for (const [stage, field] of STAGES) {
        const [before, after] = [change.previous[field], change.next[field]];
        if (before?.getTime() === after?.getTime()) continue;
        if (before) stale.push(slaJobId(this.installationId, change.clockId, stage, before));
        if (after) {
          jobs.push({
            name: stage,
            data: { clockId: change.clockId, stage },
            // Completed jobs are removed so that a clock moved back to an earlier instant can be scheduled again.
            opts: {
              jobId: slaJobId(this.installationId, change.clockId, stage, after),
              delay: Math.max(0, after.getTime() - now),
              removeOnComplete: true,
              removeOnFail: { age: 7 * 24 * 3600 },
            },
          });
        }
      }
    }
    try {
      await Promise.all(stale.map((jobId) => this.queue.remove(jobId)));
      for (let index = 0; index < jobs.length; index += 1000) await this.queue.addBulk(jobs.slice(index, index + 1000));
    } catch (error) {
      logRedisFailure(
        this.logger,
        error,
        { clocks: changes.length },
        'SLA timers not scheduled; the sweep will fire them',
      );
    }
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
