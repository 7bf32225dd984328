import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { redisLimiter } from '../db/redis-limiter.js';
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

/** Guessing one account from many addresses: past this many times the limit, each address gets one try. */
export const PER_ACCOUNT_FACTOR = 4;
/** Trying many accounts from one address (password spraying): this many times the limit, over all accounts. */
export const PER_ADDRESS_FACTOR = 20;

/**
 * Slows password guessing. Login attempts are counted in Redis (shared by every API process), with
 * an in-memory count standing in while Redis is away, three ways:
 *
 * - per email and client address: past `maxFailures` that address is locked out of that account,
 *   even with the right password;
 * - per client address over all emails, `PER_ADDRESS_FACTOR` times the limit: one address trying a
 *   password or two on each of many accounts is stopped;
 * - per email over all addresses, `PER_ACCOUNT_FACTOR` times the limit. This count must not let
 *   anyone lock the owner out (OWASP ASVS 2.2.1): past it, an address that has itself failed at
 *   the account is refused, one that has not still gets its try. Guessing spread over many
 *   addresses then gets one guess per address instead of `maxFailures`, and the owner, from their
 *   own address, still logs in.
 *
 * An attempt is counted before its password is checked, by one atomic increment per count, and
 * refused when a count passes its limit: however many attempts arrive at once, at most the limit
 * reach the (slow) password check. A success takes its attempt back and clears the count of the
 * email from that address.
 */
export class LoginThrottle {
  private readonly perPair: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;
  private readonly limits: { pair: number; address: number; account: number };

  constructor(redis: Redis, settings: LoginThrottleSettings) {
    const limiter = (name: string, points: number) =>
      redisLimiter(redis, {
        keyPrefix: settings.keyPrefix,
        name,
        points,
        durationSeconds: settings.windowMinutes * 60,
      });
    this.limits = {
      pair: settings.maxFailures,
      address: settings.maxFailures * PER_ADDRESS_FACTOR,
      account: settings.maxFailures * PER_ACCOUNT_FACTOR,
    };
    this.perPair = limiter('login-failures', this.limits.pair);
    this.perAddress = limiter('login-failures-address', this.limits.address);
    this.perAccount = limiter('login-failures-account', this.limits.account);
  }

  /**
   * Counts an attempt at the email from this address; throws TooManyAttemptsError when it is past
   * one of the limits.
   */
  async begin(email: string, address: string): Promise<LoginAttempt> {
    const account = email.toLowerCase();
    const pair = `${account}|${address}`;
    // penalty() adds the point whatever the count (consume() would too, rejecting past the limit).
    const byPair = await this.perPair.penalty(pair, 1);
    if (byPair.consumedPoints > this.limits.pair) throw tooMany(byPair.msBeforeNext);
    // A refused attempt at a locked pair is not counted further: it reached no password check.
    const [byAddress, byAccount] = await Promise.all([
      this.perAddress.penalty(address, 1),
      this.perAccount.penalty(account, 1),
    ]);
    if (byAddress.consumedPoints > this.limits.address) throw tooMany(byAddress.msBeforeNext);
    const failedHereBefore = byPair.consumedPoints > 1; // this attempt is the pair's first since a success
    if (byAccount.consumedPoints > this.limits.account && failedHereBefore)
      throw tooMany(Math.min(byPair.msBeforeNext, byAccount.msBeforeNext)); // whichever count ends first
    return {
      succeeded: async () => {
        await Promise.all([
          this.perPair.delete(pair),
          this.perAddress.reward(address, 1),
          this.perAccount.reward(account, 1),
        ]);
      },
    };
  }
}

const tooMany = (msBeforeNext: number) => new TooManyAttemptsError(Math.max(1, Math.ceil(msBeforeNext / 1000)));
