import type { Redis } from 'ioredis';
import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { redisLimiter } from '../db/redis-limiter.js';
import { AppError } from '../errors.js';

export class ChatRateLimitError extends AppError {
  constructor(what: string, retryAfterSeconds: number) {
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
  transcriptsPerSessionHour: number;
}

/**
 * The chat's limits, counted in Redis so that they hold across API processes: new sessions per
 * client address (one address opening sessions to dodge the per-session limit), messages per
 * session and per address, transcripts mailed per session (each is a mail sent in our name).
 */
export class ChatLimits {
  private readonly sessions: RateLimiterRedis;
  private readonly perSession: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly transcripts: RateLimiterRedis;

  constructor(redis: Redis, settings: ChatLimitSettings) {
    const limiter = (name: string, points: number, durationSeconds: number) =>
      redisLimiter(redis, { keyPrefix: settings.keyPrefix, name: `webchat-${name}`, points, durationSeconds });
    this.sessions = limiter('sessions', settings.sessionsPerAddressHour, 3600);
    this.perSession = limiter('session-messages', settings.messagesPerSessionMinute, 60);
    this.perAddress = limiter('address-messages', settings.messagesPerAddressMinute, 60);
    this.transcripts = limiter('transcripts', settings.transcriptsPerSessionHour, 3600);
  }

  newSession(address: string): Promise<void> {
    return take(this.sessions, address, 'new chat sessions from this address');
  }

  async message(sessionId: string, address: string): Promise<void> {
    await take(this.perSession, sessionId, 'messages in this chat');
    await take(this.perAddress, address, 'chat messages from this address');
  }

  transcript(sessionId: string): Promise<void> {
    return take(this.transcripts, sessionId, 'transcripts for this chat');
  }
}

async function take(limiter: RateLimiterRedis, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes)
      throw new ChatRateLimitError(what, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    throw error; // Redis itself failed
  }
}
