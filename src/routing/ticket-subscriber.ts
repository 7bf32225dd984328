import type { TicketSubscriber } from '../tickets/unit-of-work.js';
import type { RoutingSignals } from './signals.js';

/** What routing hears from ticket changes; the real RoutingSignals, or a recorder in tests. */
export type TicketSignals = Pick<RoutingSignals, 'ticketsQueued' | 'capacityFreed'>;

/**
 * Routing follows ticket changes after commit: a ticket that entered its team's queue, or an agent
 * with room for one more, wakes the routing worker, which re-reads the committed rows (a signal is
 * only a hint; the periodic pass catches one lost with Redis).
 */
export function routingSubscriber(signals: TicketSignals): TicketSubscriber {
  return {
    async afterCommit(change) {
      if (change.queuedTicketIds.length > 0) await signals.ticketsQueued([...change.queuedTicketIds]);
      if (change.freedAgentIds.length > 0) await signals.capacityFreed([...change.freedAgentIds]);
    },
  };
}
