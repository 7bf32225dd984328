import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  QUEUE_INBOUND,
  QUEUE_OUTBOUND,
  inboundJobId,
  outboundJobId,
  type InboundJob,
  type OutboundJob,
} from './names.js';

export interface QueueSettings {
  prefix: string;
  outboundAttempts: number;
  outboundBackoffMs: number;
}

const KEEP = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} satisfies JobsOptions;

/** The producer side of the pipeline's queues. */
export class PipelineQueues {
  readonly inbound: Queue<InboundJob>;
  readonly outbound: Queue<OutboundJob>;

  constructor(
    connection: Redis,
    private readonly settings: QueueSettings,
  ) {
    this.inbound = new Queue<InboundJob>(QUEUE_INBOUND, { connection, prefix: settings.prefix });
    this.outbound = new Queue<OutboundJob>(QUEUE_OUTBOUND, { connection, prefix: settings.prefix });
  }

  async enqueueInbound(inboxIds: number[]): Promise<void> {
    if (inboxIds.length === 0) return;
    await this.inbound.addBulk(
      inboxIds.map((inboxId) => ({
        name: 'ingest',
        data: { inboxId },
        opts: { ...KEEP, jobId: inboundJobId(inboxId), attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
      })),
    );
  }

  async enqueueOutbound(outboxIds: number[]): Promise<void> {
    if (outboxIds.length === 0) return;
    await this.outbound.addBulk(
      outboxIds.map((outboxId) => ({
        name: 'send',
        data: { outboxId },
        opts: {
          ...KEEP,
          jobId: outboundJobId(outboxId),
          attempts: this.settings.outboundAttempts,
          backoff: { type: 'exponential', delay: this.settings.outboundBackoffMs },
        },
      })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.inbound.close(), this.outbound.close()]);
  }
}
