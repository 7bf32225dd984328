import type { Redis } from 'ioredis';
import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { redisLimiter } from '../db/redis-limiter.js';
import { AppError } from '../errors.js';

export class ChatRateLimitError extends AppError {
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', `Too many ${what}; try again in ${retryAfterSeconds} second(s)`, {
      retry_after_seconds: retryAfterSeconds,
    });
  }
}

export interface ChatLimitSettings {
  keyPrefix: string;
  sessionsPerAddressHour: number;
  messagesPerSessionMinute: number;
  messagesPerAddressMinute: number;
  /** Messages from all visitors together: what many addresses at once can make the agents read. */
  messagesPerOfficeMinute: number;
  transcriptsPerSessionHour: number;
}

type Count = readonly [limiter: RateLimiterRedis, key: string, what: string];

/**
 * The chat's limits, counted in Redis so that they hold across API processes: new sessions per
 * client address (one address opening sessions to dodge the per-session limit), messages per
 * session, per address and for the whole office (many addresses at once), transcripts mailed per
 * session (each is a mail sent in our name).
 */
export class ChatLimits {
  private readonly sessions: RateLimiterRedis;
  private readonly perSession: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly perOffice: RateLimiterRedis;
  private readonly transcripts: RateLimiterRedis;

  constructor(redis: Redis, settings: ChatLimitSettings) {
    const limiter = (name: string, points: number, durationSeconds: number) =>
      redisLimiter(redis, { keyPrefix: settings.keyPrefix, name: `webchat-${name}`, points, durationSeconds });
    this.sessions = limiter('sessions', settings.sessionsPerAddressHour, 3600);
    this.perSession = limiter('session-messages', settings.messagesPerSessionMinute, 60);
    this.perAddress = limiter('address-messages', settings.messagesPerAddressMinute, 60);
    this.perOffice = limiter('office-messages', settings.messagesPerOfficeMinute, 60);
    this.transcripts = limiter('transcripts', settings.transcriptsPerSessionHour, 3600);
  }

  newSession(address: string): Promise<void> {
    return take([[this.sessions, address, 'new chat sessions from this address']]);
  }

  message(sessionId: string, address: string): Promise<void> {
    return take([
      [this.perSession, sessionId, 'messages in this chat'],
      [this.perAddress, address, 'chat messages from this address'],
      [this.perOffice, 'all', 'chat messages to the office at the moment'],
    ]);
  }

  transcript(sessionId: string): Promise<void> {
    return take([[this.transcripts, sessionId, 'transcripts for this chat']]);
  }
}

/**
 * Counts one against each limit in turn; past one, the counts already taken are given back, so
 * that a message the office's limit refused does not use up its session's or its address's.
 */
async function take(counts: readonly Count[]): Promise<void> {
  const taken: Count[] = [];
  try {
    for (const count of counts) {
      await count[0].consume(count[1]);
      taken.push(count);
    }
  } catch (error) {
    await Promise.all(taken.map(([limiter, key]) => limiter.reward(key, 1).catch(() => undefined)));
    if (error instanceof RateLimiterRes) {
      const what = counts[taken.length]![2];
      throw new ChatRateLimitError(what, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    }
    throw error; // Redis itself failed
  }
}
