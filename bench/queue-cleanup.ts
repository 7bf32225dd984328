import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_INBOUND, QUEUE_OUTBOUND } from '../src/queue/names.js';

/** Every queue a bench server may have made under its own prefix. */
const QUEUE_NAMES = [QUEUE_INBOUND, QUEUE_OUTBOUND];

/**
 * Removes a bench prefix from the shared Redis once its server has stopped: obliterate each queue
 * (jobs, events, metadata), then delete whatever key is still left under the prefix, so repeated
 * benches leave nothing behind on a Redis other work uses too.
 */
export async function obliterateQueues(redisUrl: string, prefix: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, { connection, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    let cursor = '0';
    do {
      const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await connection.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    connection.disconnect();
  }
}
