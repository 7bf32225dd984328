import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { redisLimiter } from '../../../db/redis-limiter.js';
import { AppError } from '../../../errors.js';

export interface TrackThrottleSettings {
  /** Lookups allowed per client address within the window, found or not. */
  perAddress: number;
  /** Lookups of one reference that find nothing (a wrong second factor), over all addresses. */
  failuresPerReference: number;
  windowMinutes: number;
  keyPrefix: string;
}

export class TooManyLookupsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'too_many_requests',
      `Too many tracking requests; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
    );
  }
}

/** A lookup that got past the limits: say whether it found the ticket. */
export interface TrackLookup {
  found(): Promise<void>;
}

/**
 * Limits the tracking lookups that guess a ticket's second factor (four digits: 10,000 tries), in
 * Redis so that the limits hold across API processes (an in-memory count stands in while Redis is
 * away), two ways:
 *
 * - per client address, every lookup: one address walking references or factors is stopped;
 * - per reference, over all addresses: spread over many addresses, one ticket's factor still gets
 *   only `failuresPerReference` guesses a window. A lookup that finds the ticket takes its point
 *   back, so the citizen checking their own ticket again and again is never locked out by it.
 *
 * Counted before the lookup, by one atomic increment each, as src/auth/login-throttle.ts does, so
 * requests sent at once cannot all get past the limit.
 */
export class TrackThrottle {
  private readonly byAddress: RateLimiterRedis;
  private readonly byReference: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly settings: TrackThrottleSettings,
  ) {
    const limiter = (name: string, points: number) =>
      redisLimiter(redis, {
        keyPrefix: settings.keyPrefix,
        name,
        points,
        durationSeconds: settings.windowMinutes * 60,
      });
    this.byAddress = limiter('track-address', settings.perAddress);
    this.byReference = limiter('track-reference', settings.failuresPerReference);
  }

  /** Counts a lookup from this address (and of this reference, when it has one); throws past a limit. */
  async begin(address: string, digits: string | undefined): Promise<TrackLookup> {
    const byAddress = await this.byAddress.penalty(address, 1);
    if (byAddress.consumedPoints > this.settings.perAddress) throw tooMany(byAddress.msBeforeNext);
    if (digits === undefined) return { found: async () => {} };
    const byReference = await this.byReference.penalty(digits, 1);
    if (byReference.consumedPoints > this.settings.failuresPerReference) throw tooMany(byReference.msBeforeNext);
    return {
      found: async () => {
        await this.byReference.reward(digits, 1);
      },
    };
  }
}

const tooMany = (msBeforeNext: number) => new TooManyLookupsError(Math.max(1, Math.ceil(msBeforeNext / 1000)));
