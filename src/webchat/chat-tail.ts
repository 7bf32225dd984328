import { SerialRunner } from '../serial-runner.js';
import type { Knex } from 'knex';

type Listener = () => void;

/**
 * One indexed read per tick, for every chat stream and long poll of this process: which chat
 * sessions have new messages (the visitor's, once processed, and replies to them, once queued).
 * Each listener then reads its own session's messages after the last it sent, so what the tail
 * says is only a cue and a lost cue costs a tick. It runs only while someone listens.
 */
export class ChatTail {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();
  private closed = false;
  private timer?: NodeJS.Timeout;
  private lastId?: number;
  /** One read at a time: the tick's and the wakes' (a wake during a read reads once more after it). */
  private readonly reader = new SerialRunner(() => this.poll());

  constructor(
    private readonly db: Knex,
    private readonly intervalMs: number,
  ) {}

  /**
   * Calls `listener` when the session may have news; returns the unsubscribe. `onClose` is called
   * once should the process stop meanwhile (at once after close()): the stream's cue to end.
   */
  subscribe(sessionId: string, listener: Listener, onClose?: () => void): () => void {
    if (this.closed) {
      onClose?.();
      return () => undefined;
    }
    if (onClose) this.closers.add(onClose);
    const set = this.listeners.get(sessionId) ?? new Set<Listener>();
    this.listeners.set(sessionId, set);
    set.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => this.reader.run(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      if (onClose) this.closers.delete(onClose);
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
      if (this.listeners.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.lastId = undefined;
      }
    };
  }

  /** Starts reading from now (a subscriber reads the past itself). */
  async prime(): Promise<void> {
    if (this.lastId !== undefined) return;
    const row = await this.db('messages').max({ id: 'id' }).first();
    this.lastId ??= Number(row?.id ?? 0);
  }

  /** Tells a session's listeners at once (a visitor's own message, typing from another process). */
  notify(sessionId: string): void {
    for (const listener of this.listeners.get(sessionId) ?? []) listener();
  }

  /** The process is stopping: polling ends and every open stream is told. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    const closers = [...this.closers];
    this.closers.clear();
    for (const onClose of closers) onClose();
  }

  /** Something was committed (CommitWakeups): read now rather than at the next tick. */
  wake(): void {
    if (this.closed || this.listeners.size === 0) return;
    this.reader.run();
  }

  private async poll(): Promise<void> {
    try {
      if (this.lastId === undefined) {
        await this.prime();
        return;
      }
      const rows: Array<{ id: number; address: string | null }> = await this.db('messages')
        .where('id', '>', this.lastId)
        .where({ channel: 'webchat' })
        .orderBy('id')
        .limit(1000)
        .select('id', 'address');
      if (rows.length === 0) return;
      this.lastId = Number(rows[rows.length - 1]!.id);
      for (const session of new Set(rows.map((row) => row.address))) if (session) this.notify(session);
    } catch {
      // The database was away for a moment: the next tick reads from the same point.
    }
  }
}
