import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

export interface RedisLimiterOptions {
  /** The installation's QUEUE_PREFIX: two installations on one Redis count apart. */
  keyPrefix: string;
  /** What is counted, in the key: `login-failures`, `web-submissions-address`... */
  name: string;
  points: number;
  durationSeconds: number;
}

/**
 * A counter of the project's limits (logins, web reports, tracking, chat), kept in Redis so that it
 * holds across API processes, with an in-memory count standing in while Redis is away: a limit
 * still applies, per process, rather than falling open or failing the request. In src/db, beside
 * the other stores: it imports nothing of ours, so every part may use it without a folder cycle.
 */
export function redisLimiter(redis: Redis, options: RedisLimiterOptions): RateLimiterRedis {
  const counting = {
    points: options.points,
    duration: options.durationSeconds,
    keyPrefix: `${options.keyPrefix}:${options.name}`,
  };
  return new RateLimiterRedis({
    ...counting,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(counting),
  });
}
