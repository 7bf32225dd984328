import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { PeriodicTask } from '../queue/periodic-task.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import { logRedisFailure } from '../queue/redis-health.js';

export interface SweeperSettings {
  intervalMs: number;
  /** How old a row must be before the sweeper takes it: the normal path gets the first chance. */
  graceMs: number;
  /** Inbox rows that failed this often are left for an operator (their last_error says why). */
  maxInboxAttempts: number;
  batchSize: number;
}

/**
 * The safety net of "the database is the record, the queue is the signal": re-signals inbox rows
 * left unprocessed and outbox entries left unsent (Redis was down, a worker was killed, a job
 * failed all its attempts). Job ids are deterministic and processing is idempotent, so a row
 * signalled twice is done once; a row whose job Redis holds as finished gets a new job
 * (PipelineQueues.resignal).
 */
export class PipelineSweeper {
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Knex,
    private readonly queues: PipelineQueues,
    private readonly logger: Logger,
    private readonly settings: SweeperSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.task = new PeriodicTask(
      () => this.sweep(),
      settings.intervalMs,
      () => undefined,
    ); // sweep() logs its own failures
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass now; a call during a pass joins it. */
  sweepOnce(): Promise<void> {
    return this.task.runOnce();
  }

  /**
   * Re-signals everything left behind, in bounded batches back to back (keyset by id), so that a
   * backlog of thousands after an outage is handed to the workers at once rather than one batch
   * per interval; Redis never gets more than one batch in flight from here.
   */
  private async sweep(): Promise<void> {
    const before = new Date(this.now().getTime() - this.settings.graceMs);
    let after = { inbox: 0, outbox: 0 };
    for (;;) {
      const batch = await this.sweepBatch(before, after);
      if (batch.inbox.length === 0 && batch.outbox.length === 0) return;
      after = {
        inbox: batch.inbox.at(-1) ?? Number.POSITIVE_INFINITY,
        outbox: batch.outbox.at(-1) ?? Number.POSITIVE_INFINITY,
      };
      if (batch.inbox.length < this.settings.batchSize && batch.outbox.length < this.settings.batchSize) return;
    }
  }

  private async sweepBatch(
    before: Date,
    after: { inbox: number; outbox: number },
  ): Promise<{ inbox: number[]; outbox: number[] }> {
    let inbox: number[] = [];
    let outbox: number[] = [];
    try {
      if (Number.isFinite(after.inbox))
        inbox = await this.db('inbox')
          .whereNull('processed_at')
          .where('id', '>', after.inbox)
          .where('received_at', '<=', before)
          .where('attempts', '<', this.settings.maxInboxAttempts)
          .orderBy('id')
          .limit(this.settings.batchSize)
          .pluck('id');
      // `sending`: a send whose outcome is unknown (the worker died during the provider call); the
      // dispatcher reconciles it with the provider before sending again.
      if (Number.isFinite(after.outbox))
        outbox = await this.db('outbox')
          .whereIn('status', ['pending', 'sending'])
          .where('id', '>', after.outbox)
          .where('created_at', '<=', before)
          .orderBy('id')
          .limit(this.settings.batchSize)
          .pluck('id');
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep failed; will try again');
      throw error;
    }
    inbox = inbox.map(Number);
    outbox = outbox.map(Number);
    if (inbox.length + outbox.length === 0) return { inbox, outbox };
    try {
      const { replaced } = await this.queues.resignal({ inbox, outbox });
      this.logger.info(
        { inbox: inbox.length, outbox: outbox.length, finishedJobsReplaced: replaced },
        'sweeper re-signalled rows left behind',
      );
    } catch (error) {
      logRedisFailure(
        this.logger,
        error,
        { inbox: inbox.length, outbox: outbox.length },
        'sweep failed; will try again',
      );
      throw error;
    }
    return { inbox, outbox };
  }
}
