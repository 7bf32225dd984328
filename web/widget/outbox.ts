import { type ChatApi, ChatApiError } from './api/client.js';
import type { PendingMessage } from './conversation.js';

export interface OutboxStore {
  load(): PendingMessage[];
  save(pending: PendingMessage[]): void;
}

export interface OutboxOptions {
  api: ChatApi;
  store: OutboxStore;
  /** The list of messages not yet back from the server changed. */
  onChange: (pending: PendingMessage[]) => void;
  retryMs?: number[];
  now?: () => Date;
}

/**
 * The visitor's messages until the server has them. Each gets its clientId once, when written, and
 * keeps it through every retry (a reload too: the list is kept in the frame's localStorage), so a
 * message whose answer was lost is one message on the server (the API takes the same clientId
 * twice as one). Sent one at a time, in order; a network failure or a 5xx/429 is retried with a
 * growing wait, a refusal (too long, invalid) stays on screen as not sent. A message the server
 * took stays here as sent until it comes back on the stream (`settle`), as the server's message.
 */
export class Outbox {
  private pending: PendingMessage[];
  private busy = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly retryMs: number[];

  constructor(private readonly options: OutboxOptions) {
    this.retryMs = options.retryMs ?? [1000, 2000, 5000, 10000, 30000];
    // Anything left from an earlier page is sent again, with its own clientId.
    // A message taken by the server but not seen back yet is sent again too: the same clientId is
    // one message there.
    this.pending = options.store.load().map((message) => ({ ...message, state: 'sending' as const }));
  }

  list(): PendingMessage[] {
    return this.pending;
  }

  add(text: string): PendingMessage {
    const message: PendingMessage = {
      clientId: uuid(),
      text,
      at: (this.options.now?.() ?? new Date()).toISOString(),
      state: 'sending',
    };
    this.update([...this.pending, message]);
    this.flush();
    return message;
  }

  /** The server's copies of these messages arrived: they are no longer ours to show. */
  settle(clientIds: string[]): void {
    const settled = new Set(clientIds);
    if (this.pending.some((message) => settled.has(message.clientId))) {
      this.update(this.pending.filter((message) => !settled.has(message.clientId)));
    }
  }

  /** Sends what waits now (the browser came back online, the visitor pressed retry). */
  flush(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.drain();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (;;) {
        const next = this.pending.find((message) => message.state === 'sending' || message.state === 'retrying');
        if (!next || this.stopped) return;
        try {
          await this.options.api.send(next.clientId, next.text);
          this.failures = 0;
          this.setState(next.clientId, 'sent');
        } catch (error) {
          if (error instanceof ChatApiError && !error.transient) {
            if (error.status === 401) return this.stop(); // the session is over; the app says so
            this.setState(next.clientId, 'failed');
            continue;
          }
          this.setState(next.clientId, 'retrying');
          this.failures += 1;
          const wait = this.retryMs[Math.min(this.failures - 1, this.retryMs.length - 1)]!;
          this.timer = setTimeout(() => this.flush(), wait);
          return;
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private setState(clientId: string, state: PendingMessage['state']): void {
    this.update(this.pending.map((message) => (message.clientId === clientId ? { ...message, state } : message)));
  }

  private update(pending: PendingMessage[]): void {
    this.pending = pending;
    this.options.store.save(pending.filter((message) => message.state !== 'failed'));
    this.options.onChange(pending);
  }
}

/** A v4 UUID; crypto.randomUUID where the page is a secure context, the same from random bytes elsewhere. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
