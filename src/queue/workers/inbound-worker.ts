import { Worker, type ConnectionOptions } from 'bullmq';
import type { Knex } from 'knex';
import { ingestInboxRow, type IngestSettings } from '../../inbox/ingest.js';
import type { Logger } from '../../logger.js';
import { QUEUE_INBOUND, type InboundJob } from '../names.js';
import type { PipelineQueues } from '../pipeline-queues.js';

export interface InboundWorkerContext {
  db: Knex;
  queues: PipelineQueues;
  logger: Logger;
  settings: IngestSettings;
  now: () => Date;
}

/** Turns recorded inbound contacts into ticket messages, then signals their acknowledgements. */
export function startInboundWorker(context: InboundWorkerContext, connection: ConnectionOptions, options: { prefix: string; concurrency: number }): Worker<InboundJob> {
  const worker = new Worker<InboundJob>(
    QUEUE_INBOUND,
    async (job) => {
      const { inboxId } = job.data;
      try {
        const result = await ingestInboxRow(context.db, inboxId, context.settings, context.now);
        // After commit: if this enqueue fails, the outbox sweeper sends the acknowledgement later.
        await context.queues.enqueueOutbound(result.outboxIds).catch((error: Error) =>
          context.logger.warn({ err: error, inboxId }, 'could not enqueue acknowledgement; the sweeper will'),
        );
        return { ticketId: result.ticketId };
      } catch (error) {
        await context.db('inbox')
          .where({ id: inboxId })
          .update({ attempts: context.db.raw('attempts + 1'), last_error: (error as Error).message })
          .catch(() => undefined);
        context.logger.error({ err: error, inboxId }, 'inbound processing failed');
        throw error;
      }
    },
    { connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  worker.on('error', (error) => context.logger.warn({ err: error }, 'inbound worker connection problem'));
  return worker;
}
