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

  private async sweep(): Promise<void> {
    const before = new Date(this.now().getTime() - this.settings.graceMs);
    let inbox: number[];
    let outbox: number[];
    try {
      inbox = await this.db('inbox')
        .whereNull('processed_at')
        .where('received_at', '<=', before)
        .where('attempts', '<', this.settings.maxInboxAttempts)
        .orderBy('id')
        .limit(this.settings.batchSize)
        .pluck('id');
      outbox = await this.db('outbox')
        .where({ status: 'pending' })
        .where('created_at', '<=', before)
        .orderBy('id')
        .limit(this.settings.batchSize)
        .pluck('id');
    } catch (error) {
      this.logger.warn({ err: error }, 'sweep failed; will try again');
      throw error;
    }
    if (inbox.length + outbox.length === 0) return;
    try {
      const { replaced } = await this.queues.resignal({ inbox: inbox.map(Number), outbox: outbox.map(Number) });
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
  }
}
