import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { QUEUE_ROUTING, type RoutingJob } from '../queue/names.js';
import { logQueueErrors, logRedisFailure } from '../queue/redis-health.js';

/**
 * How the rest of the system tells routing that work or capacity appeared: a ticket entered a
 * team's queue (new, transferred, reopened, returned), or an agent's capacity freed (a ticket
 * resolved or waiting on the citizen, the agent became available). Signals are hints: the routing
 * worker re-reads the database, and a periodic pass catches any signal lost with Redis.
 */
export class RoutingSignals {
  private readonly queue: Queue<RoutingJob>;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.queue = new Queue<RoutingJob>(QUEUE_ROUTING, { connection, prefix });
    logQueueErrors(this.queue, logger, 'routing queue');
  }

  ticketsQueued(ticketIds: number[]): Promise<void> {
    return ticketIds.length === 0 ? Promise.resolve() : this.send({ kind: 'tickets', ticketIds });
  }

  capacityFreed(agentIds: number[]): Promise<void> {
    return agentIds.length === 0 ? Promise.resolve() : this.send({ kind: 'agents', agentIds });
  }

  teamsChanged(teamIds: number[]): Promise<void> {
    return teamIds.length === 0 ? Promise.resolve() : this.send({ kind: 'teams', teamIds });
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  private async send(job: RoutingJob): Promise<void> {
    await this.queue
      .add(job.kind, job, {
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
      })
      .then(() => undefined)
      .catch((error: Error) =>
        logRedisFailure(this.logger, error, {}, 'routing signal lost; the periodic routing pass will catch up'),
      );
  }
}
