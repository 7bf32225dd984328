import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import {
  QUEUE_INBOUND,
  QUEUE_OUTBOUND,
  inboundJobId,
  outboundJobId,
  type InboundJob,
  type OutboundJob,
} from './names.js';
import { logQueueErrors } from './redis-health.js';

export interface QueueSettings {
  prefix: string;
  /** Part of every job id (src/queue/names.ts). */
  installationId: string;
  outboundAttempts: number;
  outboundBackoffMs: number;
}

const KEEP = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} satisfies JobsOptions;

/** One job of a bulk add: what BullMQ's addBulk takes. */
export interface JobSpec<Data> {
  name: string;
  data: Data;
  opts: JobsOptions;
}

/** The inbox rows' ingest jobs: one id per row and installation (names.ts), five tries a second apart and growing. */
export function inboundJobs(
  settings: Pick<QueueSettings, 'installationId'>,
  inboxIds: number[],
): JobSpec<InboundJob>[] {
  return inboxIds.map((inboxId) => ({
    name: 'ingest',
    data: { inboxId },
    opts: {
      ...KEEP,
      jobId: inboundJobId(settings.installationId, inboxId),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    },
  }));
}

/** The outbox rows' send jobs, tried OUTBOUND_ATTEMPTS times with a growing wait from OUTBOUND_BACKOFF_MS. */
export function outboundJobs(settings: QueueSettings, outboxIds: number[]): JobSpec<OutboundJob>[] {
  return outboxIds.map((outboxId) => ({
    name: 'send',
    data: { outboxId },
    opts: {
      ...KEEP,
      jobId: outboundJobId(settings.installationId, outboxId),
      attempts: settings.outboundAttempts,
      backoff: { type: 'exponential', delay: settings.outboundBackoffMs },
    },
  }));
}

/** The producer side of the pipeline's queues. */
export class PipelineQueues {
  readonly inbound: Queue<InboundJob>;
  readonly outbound: Queue<OutboundJob>;

  constructor(
    connection: Redis,
    private readonly settings: QueueSettings,
    logger: Logger,
  ) {
    this.inbound = new Queue<InboundJob>(QUEUE_INBOUND, { connection, prefix: settings.prefix });
    this.outbound = new Queue<OutboundJob>(QUEUE_OUTBOUND, { connection, prefix: settings.prefix });
    logQueueErrors(this.inbound, logger, 'inbound queue');
    logQueueErrors(this.outbound, logger, 'outbound queue');
  }

  async enqueueInbound(inboxIds: number[]): Promise<void> {
    if (inboxIds.length === 0) return;
    await this.inbound.addBulk(inboundJobs(this.settings, inboxIds));
  }

  async enqueueOutbound(outboxIds: number[]): Promise<void> {
    if (outboxIds.length === 0) return;
    await this.outbound.addBulk(outboundJobs(this.settings, outboxIds));
  }

  /**
   * Signals again rows the database still shows undone (the sweeper's re-signal). A job of theirs
   * that Redis still holds as completed or failed would turn the add into a no-op, so such jobs are
   * removed first: a failed one ran out of attempts, a completed one finished without the row (an
   * earlier database's job of the same id, from before installation ids). Processing is
   * idempotent, so a row signalled twice is still done once. Returns how many jobs were replaced.
   */
  async resignal(rows: { inbox: number[]; outbox: number[] }): Promise<{ replaced: number }> {
    const id = this.settings.installationId;
    const replaced =
      (await removeFinished(
        this.inbound,
        rows.inbox.map((inboxId) => inboundJobId(id, inboxId)),
      )) +
      (await removeFinished(
        this.outbound,
        rows.outbox.map((outboxId) => outboundJobId(id, outboxId)),
      ));
    await this.enqueueInbound(rows.inbox);
    await this.enqueueOutbound(rows.outbox);
    return { replaced };
  }

  async close(): Promise<void> {
    await Promise.all([this.inbound.close(), this.outbound.close()]);
  }
}

/** Removes the jobs among these that are completed or failed; returns how many. */
async function removeFinished(queue: Queue, jobIds: string[]): Promise<number> {
  const states = await Promise.all(jobIds.map((jobId) => queue.getJobState(jobId)));
  const finished = finishedJobIds(jobIds, states);
  await Promise.all(finished.map((jobId) => queue.remove(jobId)));
  return finished.length;
}

/**
 * The jobs among these, with their states in the same order, that would turn a new add of the same
 * id into a no-op although the row is undone: completed or failed. Waiting, delayed, active ones
 * (and unknown ones, gone already) are left, since they will run.
 */
export function finishedJobIds(jobIds: readonly string[], states: readonly string[]): string[] {
  return jobIds.filter((_, index) => states[index] === 'completed' || states[index] === 'failed');
}
