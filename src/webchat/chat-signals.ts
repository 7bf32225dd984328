import type { Redis } from 'ioredis';

/** A passing state of the conversation: not history, so not in the database and without an id. */
export interface ChatSignal {
  event: 'typing';
  data: { by: 'agent' | 'visitor' };
}

type Listener = (signal: ChatSignal) => void;

/** How long a "typing" lasts unless repeated: the widget and the console show it this long. */
export const TYPING_TTL_SECONDS = 6;

/**
 * Typing goes through Redis publish/subscribe, so that an agent typing on one API process reaches
 * a visitor whose stream another process holds. One subscriber connection per process, opened on
 * the first listener; a visitor's typing is also kept under a short-lived key for the console.
 */
export class ChatSignals {
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private channelOf(sessionId: string): string {
    return `${this.prefix}:webchat:session:${sessionId}`;
  }

  async publish(sessionId: string, signal: ChatSignal): Promise<void> {
    await this.redis.publish(this.channelOf(sessionId), JSON.stringify(signal));
  }

  /** The visitor of a ticket is typing: a key the console can read, gone after TYPING_TTL_SECONDS. */
  async visitorTyping(ticketId: number): Promise<void> {
    await this.redis.set(`${this.prefix}:webchat:typing:${ticketId}`, '1', 'EX', TYPING_TTL_SECONDS);
  }

  async isVisitorTyping(ticketId: number): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}:webchat:typing:${ticketId}`)) === 1;
  }

  async subscribe(sessionId: string, listener: Listener): Promise<() => void> {
    if (!this.subscriber) {
      // Its own connection (a subscribed one takes no other command), queueing until it is up.
      this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
      this.subscriber.on('error', () => undefined); // ioredis reconnects; a lost "typing" is harmless
      this.subscriber.on('message', (channel: string, text: string) => {
        const id = channel.slice(`${this.prefix}:webchat:session:`.length);
        let signal: ChatSignal;
        try {
          signal = JSON.parse(text) as ChatSignal;
        } catch {
          return;
        }
        for (const each of this.listeners.get(id) ?? []) each(signal);
      });
    }
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
      await this.subscriber.subscribe(this.channelOf(sessionId));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(sessionId) === set) {
        this.listeners.delete(sessionId);
        void this.subscriber?.unsubscribe(this.channelOf(sessionId)).catch(() => undefined);
      }
    };
  }

  close(): void {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
