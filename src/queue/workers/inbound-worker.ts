import { Worker, type ConnectionOptions } from 'bullmq';
import type { Knex } from 'knex';
import { GroupCommitter } from '../../db/group-commit.js';
import { isPostgres } from '../../db/knex.js';
import { TransactionBudget } from '../../db/transaction-budget.js';
import { DEFAULT_INBOX_MAX_ATTEMPTS, recordInboxFailure } from '../../inbox/dead-letter.js';
import type { IngestResult } from '../../inbox/ingest.js';
import type { Logger } from '../../logger.js';
import type { PipelineMetrics } from '../../metrics/prometheus.js';
import { QUEUE_INBOUND, type InboundJob } from '../names.js';
import type { PipelineQueues } from '../pipeline-queues.js';
import { logQueueErrors, logRedisFailure } from '../redis-health.js';

/** The smallest ingest group on SQLite, however slow the measured groups: see TransactionBudget. */
const MIN_SQLITE_GROUP = 10;

export interface InboundWorkerContext {
  db: Knex;
  queues: PipelineQueues;
  /**
   * Ingests a group of inbox rows in one transaction (src/inbox/ingest.ts, on the tickets' unit of
   * work, which the runtime wires): the worker only groups jobs and handles failures.
   */
  ingest: (inboxIds: number[], committed: (results: IngestResult[]) => Promise<void>) => Promise<IngestResult[]>;
  logger: Logger;
  now: () => Date;
  metrics?: Pick<PipelineMetrics, 'contactsIngested'>;
  /** INBOX_MAX_ATTEMPTS: failures of one row before it is dead-lettered. */
  maxAttempts?: number;
}

/**
 * Turns recorded inbound contacts into ticket messages, then signals their acknowledgements. Jobs
 * that are active together are ingested together (group commit), so throughput grows with load
 * instead of paying one transaction per message.
 */
export function startInboundWorker(
  context: InboundWorkerContext,
  connection: ConnectionOptions,
  options: {
    prefix: string;
    concurrency: number;
    /**
     * SQLite: the time one ingest transaction may hold the write lock (SQLITE_INGEST_TRANSACTION_MS),
     * which every webhook's inbox commit waits behind; 0 bounds groups by count only. PostgreSQL
     * locks rows, not the database: its groups are bounded by count alone.
     */
    sqliteTransactionMs?: number;
  },
): Worker<InboundJob> {
  const maxGroup = Math.min(options.concurrency, 100);
  const budget =
    options.sqliteTransactionMs && !isPostgres(context.db)
      ? new TransactionBudget(options.sqliteTransactionMs, maxGroup, MIN_SQLITE_GROUP)
      : undefined;
  const ingest = new GroupCommitter<number, IngestResult>(
    async (inboxIds) => {
      const started = performance.now();
      // Once committed, before the SLA timers and routing are told: the budget times the
      // transaction (not the Redis calls after it), and the acknowledgements go first.
      return context.ingest(inboxIds, async (results) => {
        budget?.record(inboxIds.length, performance.now() - started);
        for (const result of results) if (result.channel) context.metrics?.contactsIngested(result.channel);
        // If this enqueue fails, the outbox sweeper sends the acknowledgements later.
        const outboxIds = results.flatMap((result) => result.outboxIds);
        await context.queues
          .enqueueOutbound(outboxIds)
          .catch((error: Error) =>
            logRedisFailure(
              context.logger,
              error,
              { outboxIds },
              'could not enqueue acknowledgements; the sweeper will',
            ),
          );
      });
    },
    // At most 100 in any case; on SQLite, as many as fit in the time budget.
    budget ? () => budget.limit() : maxGroup,
  );

  const worker = new Worker<InboundJob>(
    QUEUE_INBOUND,
    async (job) => {
      const { inboxId } = job.data;
      try {
        const result = await ingest.submit(inboxId);
        return { ticketId: result.ticketId };
      } catch (error) {
        const deadLettered = await recordInboxFailure(context.db, context.logger, inboxId, error, {
          maxAttempts: context.maxAttempts ?? DEFAULT_INBOX_MAX_ATTEMPTS,
          now: context.now(),
        }).catch((recording: Error) => {
          context.logger.warn(
            { inboxId, reason: recording.message.slice(0, 200) },
            'could not count a failed inbox row',
          );
          return false;
        });
        // Set aside: the job ends here, with no more retries (nor lines) until an admin retries it.
        if (deadLettered) return { deadLettered: true };
        throw new Error(`inbox row ${inboxId} failed; see its last_error`);
      }
    },
    { connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  logQueueErrors(worker, context.logger, 'inbound worker');
  return worker;
}
