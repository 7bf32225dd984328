import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

type Wake = () => void;

/**
 * Tells every API process that ticket events were committed somewhere (a worker made a ticket from
 * a citizen's message, another API process queued a reply), so that their live tails read at once
 * rather than at the next poll: a console or a chat visitor sees it a poll interval sooner. One
 * Redis channel per installation, one PUBLISH per turn of the event loop however many commits it
 * had. Only a cue: the tails still poll, so a message lost with Redis costs one interval.
 */
export class CommitWakeups {
  private readonly channel: string;
  /** Told apart from other processes' cues: this process wakes its own tails without the round trip. */
  private readonly self = randomBytes(8).toString('hex');
  private readonly wakes = new Set<Wake>();
  private subscriber?: Redis;
  private announcing = false;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.channel = `${prefix}:live:committed`;
  }

  /** Events were committed in this process. */
  announce(): void {
    if (this.closed || this.announcing) return;
    this.announcing = true;
    setImmediate(() => {
      this.announcing = false;
      this.wakeHere();
      if (!this.closed) this.redis.publish(this.channel, this.self).catch(() => undefined);
    });
  }

  /** Calls `wake` whenever events were committed, by this process or another. */
  async listen(wake: Wake): Promise<void> {
    this.wakes.add(wake);
    if (this.subscriber || this.closed) return;
    // Its own connection (a subscribed one takes no other command), queueing until it is up.
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined); // ioredis reconnects; the tails' polls cover the gap
    this.subscriber.on('message', (_channel: string, from: string) => {
      if (from !== this.self) this.wakeHere();
    });
    await this.subscriber.subscribe(this.channel);
  }

  close(): void {
    this.closed = true;
    this.wakes.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private wakeHere(): void {
    for (const wake of this.wakes) wake();
  }
}
