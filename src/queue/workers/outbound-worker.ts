import { Worker, type ConnectionOptions } from 'bullmq';
import { OutboxDispatcher, type DispatchContext } from '../../messages/dispatch.js';
import { isLastAttempt } from '../job-attempts.js';
import { QUEUE_OUTBOUND, type OutboundJob } from '../names.js';
import { logQueueErrors } from '../redis-health.js';

/** Sends outbox entries through the channel adapters; transient failures retry with backoff. */
export function startOutboundWorker(
  context: DispatchContext,
  connection: ConnectionOptions,
  options: { prefix: string; concurrency: number },
): Worker<OutboundJob> {
  const dispatcher = new OutboxDispatcher(context);
  const worker = new Worker<OutboundJob>(
    QUEUE_OUTBOUND,
    async (job) => {
      return dispatcher.dispatch(job.data.outboxId, isLastAttempt(job.attemptsMade, job.opts.attempts));
    },
    { connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  logQueueErrors(worker, context.logger, 'outbound worker');
  return worker;
}
