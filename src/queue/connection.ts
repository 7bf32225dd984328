import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Producers (the webhooks) must never wait on a missing Redis: the inbox row is already safe, so a
 * failed enqueue is left to the sweeper. Hence no offline queue and a short command timeout.
 */
export function createProducerConnection(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    lazyConnect: true,
  });
}

/** Workers block on Redis and must keep retrying through outages, as BullMQ requires. */
export function workerConnectionOptions(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

/** Answers whether Redis is there, within a second, without retrying. */
export async function pingRedis(url: string, timeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** REDIS_URL without its password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
