import { Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../../logger.js';
import type { RoutingEngine } from '../../routing/routing-engine.js';
import { QUEUE_ROUTING, type RoutingJob } from '../names.js';
import { logQueueErrors } from '../redis-health.js';
import { Serial } from '../serial.js';

export interface RoutingWorker {
  /** The BullMQ worker, for its events (job metrics). */
  readonly worker: Worker<RoutingJob>;
  close(): Promise<void>;
}

/**
 * Routes on signals, one job at a time per process (passes of one process never overlap; those
 * of several processes are made safe by the conditional assignment), plus a periodic pass over
 * every team with waiting tickets for signals lost with Redis.
 */
export function startRoutingWorker(
  engine: RoutingEngine,
  logger: Logger,
  connection: ConnectionOptions,
  options: { prefix: string; passIntervalMs: number },
): RoutingWorker {
  const serial = new Serial();
  const worker = new Worker<RoutingJob>(QUEUE_ROUTING, (job) => serial.run(() => engine.handle(job.data)), {
    connection,
    prefix: options.prefix,
    concurrency: 1,
  });
  logQueueErrors(worker, logger, 'routing worker');
  const timer = setInterval(() => {
    void serial
      .run(() => engine.routeAllWaiting())
      .catch((error: Error) => logger.warn({ err: error }, 'periodic routing pass failed'));
  }, options.passIntervalMs);
  timer.unref();
  return {
    worker,
    async close() {
      clearInterval(timer);
      await worker.close();
      await serial.idle();
    },
  };
}
