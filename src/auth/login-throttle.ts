import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';

export interface LoginThrottleSettings {
  /** Failed logins allowed per email and client address within the window. */
  maxFailures: number;
  windowMinutes: number;
  keyPrefix: string;
}

export class TooManyAttemptsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'too_many_attempts',
      `Too many failed logins; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`,
    );
  }
}

/** Spread over many addresses, guessing one account still stops here: this many times the limit. */
const PER_ACCOUNT_FACTOR = 4;

/**
 * Slows password guessing: failed logins are counted in Redis (shared by every API process) per
 * email and client address, and per email over all addresses with a higher limit; an in-memory
 * count stands in while Redis is away. A success clears the email-and-address count.
 */
export class LoginThrottle {
  private readonly perAddress: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly settings: LoginThrottleSettings,
  ) {
    const limiter = (name: string, points: number) => {
      const options = { points, duration: settings.windowMinutes * 60, keyPrefix: `${settings.keyPrefix}:${name}` };
      return new RateLimiterRedis({
        ...options,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.perAddress = limiter('login-failures', settings.maxFailures);
    this.perAccount = limiter('login-failures-account', settings.maxFailures * PER_ACCOUNT_FACTOR);
  }

  /** Throws TooManyAttemptsError while the email (from this address, or at all) is locked out. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [byAddress, byAccount] = await Promise.all([
      this.perAddress.get(keyOf(email, address)),
      this.perAccount.get(email.toLowerCase()),
    ]);
    for (const [state, limit] of [
      [byAddress, this.settings.maxFailures],
      [byAccount, this.settings.maxFailures * PER_ACCOUNT_FACTOR],
    ] as const) {
      if (state && state.consumedPoints >= limit) throw new TooManyAttemptsError(Math.ceil(state.msBeforeNext / 1000));
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([
      this.perAddress.penalty(keyOf(email, address), 1),
      this.perAccount.penalty(email.toLowerCase(), 1),
    ]);
  }

  async recordSuccess(email: string, address: string): Promise<void> {
    await this.perAddress.delete(keyOf(email, address));
  }
}

const keyOf = (email: string, address: string): string => `${email.toLowerCase()}|${address}`;
