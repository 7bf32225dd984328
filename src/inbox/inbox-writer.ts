import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { GroupCommitter } from '../db/group-commit.js';
import type { Logger } from '../logger.js';
import type { PipelineMetrics } from '../metrics/prometheus.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import { recordInbound, type RecordedEnvelope } from './inbox.js';
import { logRedisFailure } from '../queue/redis-health.js';

/**
 * The webhooks' way into the inbox. Concurrent webhooks share one INSERT and one queue round trip
 * (group commit); each caller is answered only once its rows are committed. An enqueue that fails
 * (Redis down) loses nothing: the rows are recorded, and the sweeper signals them later.
 */
export class InboxWriter {
  private readonly committer: GroupCommitter<InboundEnvelope[], RecordedEnvelope[]>;

  constructor(db: Knex, queues: PipelineQueues, logger: Logger, metrics?: Pick<PipelineMetrics, 'inboxRecorded'>) {
    this.committer = new GroupCommitter(async (requests) => {
      const envelopes = requests.flat();
      const recorded = await recordInbound(db, envelopes);
      for (const [index, row] of recorded.entries()) metrics?.inboxRecorded(envelopes[index]!.provider, row.duplicate);
      const fresh = recorded.filter((row) => !row.duplicate).map((row) => row.id);
      await queues
        .enqueueInbound(fresh)
        .catch((error: Error) =>
          logRedisFailure(logger, error, { inboxIds: fresh }, 'inbound recorded but not enqueued; the sweeper will'),
        );
      let offset = 0;
      return requests.map((envelopes) => {
        const slice = recorded.slice(offset, offset + envelopes.length);
        offset += envelopes.length;
        return slice;
      });
    });
  }

  record(envelopes: InboundEnvelope[]): Promise<RecordedEnvelope[]> {
    return envelopes.length === 0 ? Promise.resolve([]) : this.committer.submit(envelopes);
  }
}
