import { expect } from 'chai';
import { inboundJobId, outboundJobId } from '../../src/queue/names.js';
import { finishedJobIds, inboundJobs, outboundJobs } from '../../src/queue/pipeline-queues.js';

describe("The pipeline's jobs as they are added (src/queue/pipeline-queues.ts)", () => {
  const settings = { prefix: 'sp', installationId: '0a1b2c3d4e5f6071', outboundAttempts: 8, outboundBackoffMs: 5000 };
  // names.ts's job ids rely on this: a completed job is kept an hour, a failed one a week, then removed.
  const kept = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

  it('ingests each inbox row under its deterministic id, five times at most, the waits growing from a second', () => {
    expect(inboundJobs(settings, [3, 4])).to.deep.equal([
      {
        name: 'ingest',
        data: { inboxId: 3 },
        opts: {
          ...kept,
          jobId: inboundJobId(settings.installationId, 3),
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      },
      {
        name: 'ingest',
        data: { inboxId: 4 },
        opts: {
          ...kept,
          jobId: inboundJobId(settings.installationId, 4),
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      },
    ]);
    expect(inboundJobs(settings, [])).to.deep.equal([]);
  });

  it('sends each outbox row under its deterministic id, with the attempts and backoff of the settings', () => {
    expect(outboundJobs(settings, [9])).to.deep.equal([
      {
        name: 'send',
        data: { outboxId: 9 },
        opts: {
          ...kept,
          jobId: outboundJobId(settings.installationId, 9),
          attempts: 8,
          backoff: { type: 'exponential', delay: 5000 },
        },
      },
    ]);
  });

  it('re-signals by replacing the jobs a new add would skip (completed, failed), never one still to run', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const states = ['completed', 'failed', 'waiting', 'delayed', 'active', 'unknown', 'waiting-children'];
    expect(finishedJobIds(ids, states)).to.deep.equal(['a', 'b']);
    expect(finishedJobIds([], [])).to.deep.equal([]);
  });
});
