import { SerialRunner } from '../../serial-runner.js';
import type { Knex } from 'knex';
import { fromJson, toIso } from '../../db/rows.js';

export interface LiveEvent {
  id: number;
  ticketId: number;
  type: string;
  actorType: string;
  actorId: number | null;
  data: Record<string, unknown>;
  at: string;
  /** The ticket as it is now: who may see the event depends on it. */
  ticket: { teamId: number | null; assigneeId: number | null; confidential: boolean; anonymous: boolean };
}

type Listener = (events: LiveEvent[]) => void;

/**
 * The live feed is the audit trail itself: every change to a ticket is a ticket event, written by
 * whichever process made it, so one indexed read of the events after the last one seen feeds
 * every console connected to this process. It runs only while someone listens.
 */
export class TicketEventTail {
  private readonly listeners = new Set<Listener>();
  private readonly closers = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private lastId?: number;
  /** One read at a time: the tick's and the wakes' (a wake during a read reads once more after it). */
  private readonly reader = new SerialRunner(() => this.poll());
  private closed = false;

  constructor(
    private readonly db: Knex,
    private readonly intervalMs: number,
  ) {}

  /**
   * `onClose` is called once, should the process stop (close()) while subscribed: the stream's cue
   * to say goodbye. Subscribing after close() calls it at once.
   */
  subscribe(listener: Listener, onClose?: () => void): () => void {
    if (this.closed) {
      onClose?.();
      return () => undefined;
    }
    this.listeners.add(listener);
    if (onClose) this.closers.add(onClose);
    if (!this.timer) {
      this.timer = setInterval(() => this.reader.run(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (onClose) this.closers.delete(onClose);
      if (this.listeners.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.lastId = undefined;
      }
    };
  }

  /** Events after `afterId` (a reconnecting console's Last-Event-ID), oldest first. */
  async since(afterId: number, limit = 500): Promise<LiveEvent[]> {
    const rows = await this.db('ticket_events as e')
      .join('tickets as t', 't.id', 'e.ticket_id')
      .where('e.id', '>', afterId)
      .orderBy('e.id')
      .limit(limit)
      .select(
        'e.id',
        'e.ticket_id',
        'e.type',
        'e.actor_type',
        'e.actor_id',
        'e.data',
        'e.created_at',
        't.team_id',
        't.assignee_id',
        't.confidential',
        't.anonymous',
      );
    return rows.map((row) => ({
      id: Number(row.id),
      ticketId: Number(row.ticket_id),
      type: row.type,
      actorType: row.actor_type,
      actorId: row.actor_id === null ? null : Number(row.actor_id),
      data: fromJson<Record<string, unknown>>(row.data) ?? {},
      at: toIso(row.created_at)!,
      ticket: {
        teamId: row.team_id === null ? null : Number(row.team_id),
        assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
        confidential: Boolean(row.confidential),
        anonymous: Boolean(row.anonymous),
      },
    }));
  }

  /** Something was committed (CommitWakeups): read now rather than at the next tick. */
  wake(): void {
    if (this.closed || this.listeners.size === 0) return;
    this.reader.run();
  }

  private async poll(): Promise<void> {
    try {
      if (this.lastId === undefined) {
        const row = await this.db('ticket_events').max({ id: 'id' }).first();
        this.lastId = Number(row?.id ?? 0);
        return;
      }
      const events = await this.since(this.lastId);
      if (events.length === 0) return;
      this.lastId = events[events.length - 1]!.id;
      for (const listener of this.listeners) listener(events);
    } catch {
      // The database was away for a moment: the next tick reads from the same point.
    }
  }

  /** The process is stopping: polling ends, and every subscriber and any later one is told (onClose). */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    const closers = [...this.closers];
    this.closers.clear();
    this.listeners.clear();
    for (const onClose of closers) onClose();
  }

  /** Starts reading from now, so a new console does not receive the past. */
  async prime(): Promise<void> {
    if (this.lastId !== undefined) return;
    const row = await this.db('ticket_events').max({ id: 'id' }).first();
    this.lastId ??= Number(row?.id ?? 0);
  }
}
