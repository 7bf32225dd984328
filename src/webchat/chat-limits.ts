import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { countAgainst, redisLimiter } from '../db/redis-limiter.js';
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

/** Counts one against each limit; refused by one, none is used up (countAgainst) and the first is named. */
async function take(counts: readonly Count[]): Promise<void> {
  const refused = await countAgainst(counts.map(([limiter, key]) => [limiter, key] as const));
  if (refused) throw new ChatRateLimitError(counts[refused.index]![2], refused.retryAfterSeconds);
}
