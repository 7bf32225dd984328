import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { countAgainst, redisLimiter } from '../../../db/redis-limiter.js';

export interface SubmissionLimitSettings {
  windowMinutes: number;
  perAddress: number;
  /** Without the proof-of-work (JavaScript off): a stricter count per address. */
  perAddressNoJs: number;
  perOffice: number;
  keyPrefix: string;
}

/**
 * Reports accepted per client address and for the whole office, counted in Redis so that the
 * limits hold across API processes (an in-memory count stands in while Redis is away, as for
 * logins). A report that came without the proof-of-work also counts against the stricter
 * no-JavaScript limit of its address. Returns the seconds to wait when a count is past its limit;
 * a refused report is not counted (counted first, atomically, then given back), so that however
 * many arrive at once, no more than the limits go ahead.
 */
export class SubmissionLimits {
  private readonly perAddress: RateLimiterRedis;
  private readonly perAddressNoJs: RateLimiterRedis;
  private readonly perOffice: RateLimiterRedis;

  constructor(redis: Redis, settings: SubmissionLimitSettings) {
    const limiter = (name: string, points: number) =>
      redisLimiter(redis, {
        keyPrefix: settings.keyPrefix,
        name,
        points,
        durationSeconds: settings.windowMinutes * 60,
      });
    this.perAddress = limiter('web-submissions-address', settings.perAddress);
    this.perAddressNoJs = limiter('web-submissions-address-nojs', settings.perAddressNoJs);
    this.perOffice = limiter('web-submissions-office', settings.perOffice);
  }

  /** Counts one report from this address; undefined when it may go ahead, else the seconds to wait. */
  async take(address: string, solvedProofOfWork: boolean): Promise<number | undefined> {
    const counts: Array<[RateLimiterRedis, string]> = [
      [this.perAddress, address],
      [this.perOffice, 'all'],
    ];
    if (!solvedProofOfWork) counts.push([this.perAddressNoJs, address]);
    // A refused report takes its points back: only reports that went ahead use up the allowance.
    return (await countAgainst(counts))?.retryAfterSeconds;
  }
}
