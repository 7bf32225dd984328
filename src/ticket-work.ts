import type { Knex } from 'knex';
import { routingSubscriber, type TicketSignals } from './routing/ticket-subscriber.js';
import { slaClockSubscriber } from './sla/clock-subscriber.js';
import type { ClockTimers } from './sla/sla-timers.js';
import { callbackMergeSubscriber } from './tasks/merge-subscriber.js';
import { TicketUnitOfWork } from './tickets/unit-of-work.js';

/**
 * The ticket unit of work as the process runs it, with the parts that follow ticket changes:
 * call-backs move with a merge and the SLA clocks follow the events, both inside the transaction;
 * routing hears of queued tickets and freed capacity once committed. Wired here, at the root, so
 * that src/tickets knows none of them.
 */
export function ticketUnitOfWork(db: Knex, parts: { timers: ClockTimers; routing: TicketSignals }): TicketUnitOfWork {
  return new TicketUnitOfWork(db, [
    callbackMergeSubscriber(),
    slaClockSubscriber(db, parts.timers),
    routingSubscriber(parts.routing),
  ]);
}
