import type { Knex } from 'knex';
import type { TicketEventInput } from '../tickets/events.js';
import type { TicketSubscriber } from '../tickets/unit-of-work.js';
import { syncClocks, type ClockFact, type ClockSyncRequest } from './clock-sync.js';
import type { ClockTimers } from './sla-timers.js';

/**
 * The events after which a ticket's clocks may have to move: it was opened, the citizen or an agent
 * wrote, it changed hands between teams, paused on the citizen, finished, came back, was merged, or
 * its deadline or policy changed. Others (an assignment, a note, a delivery report) leave them be,
 * and are not worth the clocks' queries on the busy paths.
 */
const MOVES_CLOCKS: ReadonlySet<string> = new Set([
  'ticket_created',
  'message_received',
  'reply_queued',
  'transferred',
  'escalated',
  'resolved',
  'closed',
  'reopened',
  'merged',
  'merged_into',
  'held_message_confirmed',
  'clarification_reminded',
  'sla_extended',
]);

/** The fields that choose a ticket's SLA policy (src/sla/policies.ts): a change of one moves its clocks. */
const POLICY_FIELDS: ReadonlySet<unknown> = new Set(['category', 'priority']);

/**
 * What an event tells the clock rules beyond the ticket's state (src/sla/clock-rules.ts): a
 * citizen's own message (not an auto-reply, not one held for an agent to confirm), an agent's
 * reply, a disposition to another team.
 */
function factOf(event: TicketEventInput, heldMessageIds: ReadonlySet<unknown>): ClockFact | undefined {
  switch (event.type) {
    case 'message_received':
      return event.data?.auto_reply || heldMessageIds.has(event.data?.message_id) ? undefined : 'citizen_message';
    case 'held_message_confirmed':
      return 'citizen_message';
    case 'reply_queued':
      return 'agent_reply';
    case 'transferred':
    case 'escalated':
      // A move to an agency starts its follow-up clock, whoever moved it.
      return 'disposed';
    default:
      return undefined;
  }
}

const movesClocks = (event: TicketEventInput) =>
  MOVES_CLOCKS.has(event.type) || (event.type === 'field_changed' && POLICY_FIELDS.has(event.data?.field));

/** The clock syncs a change asks for: one per ticket touched by a clock-moving event, with its facts. */
export function clockRequests(events: readonly TicketEventInput[]): ClockSyncRequest[] {
  const held = new Set(events.filter((event) => event.type === 'message_held').map((event) => event.data?.message_id));
  const facts = new Map<number, Set<ClockFact>>();
  for (const event of events) {
    if (!movesClocks(event)) continue;
    const ticketFacts = facts.get(event.ticketId) ?? new Set<ClockFact>();
    const fact = factOf(event, held);
    if (fact) ticketFacts.add(fact);
    facts.set(event.ticketId, ticketFacts);
  }
  return [...facts].map(([ticketId, ticketFacts]) => ({ ticketId, facts: [...ticketFacts] }));
}

/**
 * The SLA clocks follow ticket events inside the ticket's own transaction (Zammad recomputes its
 * escalation as the ticket commits, not in each caller), and their timers move once committed.
 * `db` is the database behind the transactions: policies and calendars are cached per database.
 */
export function slaClockSubscriber(db: Knex, timers: ClockTimers): TicketSubscriber {
  return {
    async inTransaction(trx, change) {
      const changes = await syncClocks(trx, db, clockRequests(change.events), change.at);
      return changes.length === 0 ? undefined : () => timers.schedule(changes);
    },
  };
}
