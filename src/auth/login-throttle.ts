import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
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

/** A login attempt that got past the throttle: its password may now be checked. */
export interface LoginAttempt {
  /** The password was right: the attempt does not count as a failure. */
  succeeded(): Promise<void>;
}

/** Spread over many addresses, guessing one account still stops here: this many times the limit. */
const PER_ACCOUNT_FACTOR = 4;

/**
 * Slows password guessing: login attempts are counted in Redis (shared by every API process) per
 * email and client address, and per email over all addresses with a higher limit; an in-memory
 * count stands in while Redis is away.
 *
 * An attempt is counted before its password is checked, by one atomic increment per count, and
 * refused when that count passes the limit: however many attempts arrive at once, at most the
 * limit reach the (slow) password check. A success takes its attempt back and clears the
 * email-and-address count.
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

  /**
   * Counts an attempt at the email from this address; throws TooManyAttemptsError when it is past
   * the limit of the email from this address, or of the email at all.
   */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    const account = email.toLowerCase();
    const pair = keyOf(account, address);
    // penalty() adds the point whatever the count (consume() would too, rejecting past the limit).
    const [byAddress, byAccount] = await Promise.all([
      this.perAddress.penalty(pair, 1),
      this.perAccount.penalty(account, 1),
    ]);
    for (const [state, limit] of [
      [byAddress, this.settings.maxFailures],
      [byAccount, this.settings.maxFailures * PER_ACCOUNT_FACTOR],
    ] as const) {
      if (state.consumedPoints > limit) throw tooMany(state);
    }
    return {
      succeeded: async () => {
        await Promise.all([this.perAddress.delete(pair), this.perAccount.reward(account, 1)]);
      },
    };
  }
}

const keyOf = (account: string, address: string): string => `${account}|${address}`;
const tooMany = (state: RateLimiterRes) => new TooManyAttemptsError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
