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

/** A limit refused a count: the first of them (its place in the list given) and when to try again. */
export interface LimitRefusal {
  index: number;
  retryAfterSeconds: number;
}

/**
 * Counts one against each limit (limiter and key) at once; when any is past its points, every
 * count is given back, so that only what went ahead uses up an allowance (a message refused by the
 * office's limit does not use up its sender's). `penalty` counts whatever the total, with no
 * rejection inside the limiter: the comparison is made here, against each limiter's points.
 */
export async function countAgainst(
  counts: ReadonlyArray<readonly [RateLimiterRedis, string]>,
): Promise<LimitRefusal | undefined> {
  const results = await Promise.all(counts.map(([limiter, key]) => limiter.penalty(key, 1)));
  const over = results.flatMap((result, index) => (result.consumedPoints > counts[index]![0].points ? [index] : []));
  if (over.length === 0) return undefined;
  await Promise.all(counts.map(([limiter, key]) => limiter.reward(key, 1)));
  const waitMs = Math.max(...over.map((index) => results[index]!.msBeforeNext));
  return { index: over[0]!, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
