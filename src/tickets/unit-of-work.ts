import type { Knex } from 'knex';
import { appendEvents, type TicketEventInput } from './events.js';

/**
 * What one unit of work changed on tickets: the events it appended to the audit trail, and the
 * two queue facts the trail does not keep (a ticket entered its team's queue; an agent stopped
 * holding a ticket). Subscribers read this, never the command that made it.
 */
export interface TicketChange {
  readonly at: Date;
  readonly events: readonly TicketEventInput[];
  /** Tickets that now wait in their team's queue (new, transferred, reopened, resumed). */
  readonly queuedTicketIds: readonly number[];
  /** Agents whose capacity a ticket left (resolved, transferred away, merged, handed to another). */
  readonly freedAgentIds: readonly number[];
}

/** Work a subscriber leaves for after the commit (a timer moved, a worker woken). */
export type AfterCommit = () => Promise<void>;

/**
 * A part of the system that follows ticket changes. `inTransaction` runs inside the unit's
 * transaction once the command's work is done (the SLA clocks follow the events there, so a clock
 * never disagrees with its ticket); what it returns, and `afterCommit`, run once committed (routing
 * must read the committed rows). Neither may assume who made the change.
 */
export interface TicketSubscriber {
  inTransaction?(trx: Knex.Transaction, change: TicketChange): Promise<AfterCommit | undefined>;
  afterCommit?(change: TicketChange): Promise<void>;
}

/** What a command holds while it changes tickets: the transaction, and where its events go. */
export class TicketTransaction {
  private readonly events: TicketEventInput[] = [];
  private readonly queued = new Set<number>();
  private readonly freed = new Set<number>();
  /** How many of the events, and queue facts, the subscribers were already given (see `flush`). */
  private flushedEvents = 0;
  private readonly effects: AfterCommit[] = [];

  constructor(
    readonly trx: Knex.Transaction,
    readonly at: Date,
    private readonly subscribers: readonly TicketSubscriber[],
  ) {}

  /** Appends to the audit trail; the subscribers hear of these events when the work ends (or at `flush`). */
  async append(events: readonly TicketEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await appendEvents(this.trx, [...events]);
    this.events.push(...events);
  }

  /** These tickets now wait in their team's queue: routing looks at them once committed. */
  ticketsQueued(ticketIds: Iterable<number>): void {
    for (const id of ticketIds) this.queued.add(id);
  }

  /** These agents hold one ticket fewer: routing may give them another once committed. */
  capacityFreed(agentIds: Iterable<number | null>): void {
    for (const id of agentIds) if (id !== null) this.freed.add(id);
  }

  /**
   * Runs the in-transaction subscribers on the events appended since the last flush, now: for a
   * command that must read what they wrote (the SLA extension tells the citizen the new deadline
   * the clock got). The unit of work flushes once more at its end.
   */
  async flush(): Promise<void> {
    const events = this.events.slice(this.flushedEvents);
    this.flushedEvents = this.events.length;
    if (events.length === 0) return;
    const change: TicketChange = { at: this.at, events, queuedTicketIds: [], freedAgentIds: [] };
    for (const subscriber of this.subscribers) {
      const effect = await subscriber.inTransaction?.(this.trx, change);
      if (effect) this.effects.push(effect);
    }
  }

  /** Everything the subscribers leave for after the commit, once the last events were flushed. */
  async finish(): Promise<AfterCommit> {
    await this.flush();
    const change: TicketChange = {
      at: this.at,
      events: [...this.events],
      queuedTicketIds: [...this.queued],
      freedAgentIds: [...this.freed],
    };
    const effects = [...this.effects];
    const subscribers = this.subscribers;
    return async () => {
      for (const effect of effects) await effect();
      for (const subscriber of subscribers) await subscriber.afterCommit?.(change);
    };
  }
}

/**
 * The one way tickets change (docs/architecture.md): a command locks and checks its tickets, writes,
 * and appends typed events through a TicketTransaction; then, in the same transaction, the
 * subscribers follow the events (SLA clocks), and once committed the after-commit effects run
 * (timers, routing). No caller syncs clocks or signals routing by hand.
 */
export class TicketUnitOfWork {
  constructor(
    readonly db: Knex,
    private readonly subscribers: readonly TicketSubscriber[],
  ) {}

  /**
   * Runs `work` in a transaction of its own; its after-commit effects have run when this resolves.
   * `committed`, if given, runs first once committed, with the work's result: the caller's own
   * after-commit step (the inbound worker times its transaction there and hands the
   * acknowledgements to the outbound queue before timers and routing are told).
   */
  async run<T>(
    at: Date,
    work: (tx: TicketTransaction) => Promise<T>,
    committed?: (value: T) => Promise<void>,
  ): Promise<T> {
    let afterCommit: AfterCommit = async () => undefined;
    const value = await this.db.transaction(async (trx) => {
      const tx = new TicketTransaction(trx, at, this.subscribers);
      const result = await work(tx);
      afterCommit = await tx.finish();
      return result;
    });
    await committed?.(value);
    await afterCommit();
    return value;
  }
}
