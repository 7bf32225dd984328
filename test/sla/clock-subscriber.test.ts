import { expect } from 'chai';
import { clockRequests } from '../../src/sla/clock-subscriber.js';
import type { TicketEventInput } from '../../src/tickets/events.js';

describe('SLA clocks follow ticket events (src/sla/clock-subscriber.ts clockRequests)', () => {
  const at = new Date('2026-12-01T02:00:00Z');
  // Only the fields the rules read: a partial event of any type, as the tests need no more.
  const event = (ticketId: number, type: string, data: Record<string, unknown> = {}): TicketEventInput =>
    ({ ticketId, type, actorType: 'agent', data, at }) as TicketEventInput;

  it("takes a citizen's message, an agent's reply and a disposition as facts for the clock rules", () => {
    expect(
      clockRequests([
        event(1, 'ticket_created'),
        event(1, 'message_received', { message_id: 10 }),
        event(2, 'reply_queued', { message_id: 11 }),
        event(3, 'transferred', { to_team: 4 }),
        event(4, 'held_message_confirmed', { message_ids: [12] }),
      ]),
    ).to.deep.equal([
      { ticketId: 1, facts: ['citizen_message'] },
      { ticketId: 2, facts: ['agent_reply'] },
      { ticketId: 3, facts: ['disposed'] },
      { ticketId: 4, facts: ['citizen_message'] },
    ]);
  });

  it("syncs a ticket whose message is an auto-reply or held for an agent, without the citizen's fact", () => {
    expect(
      clockRequests([
        event(1, 'message_received', { message_id: 10, auto_reply: true }),
        event(2, 'message_received', { message_id: 11 }),
        event(2, 'message_held', { message_id: 11 }),
      ]),
    ).to.deep.equal([
      { ticketId: 1, facts: [] },
      { ticketId: 2, facts: [] },
    ]);
  });

  it('syncs a change of the fields that choose the policy, and of state, once per ticket', () => {
    expect(
      clockRequests([
        event(1, 'field_changed', { field: 'priority', from: 'normal', to: 'high' }),
        event(1, 'field_changed', { field: 'category', from: null, to: 'complaint' }),
        event(2, 'resolved'),
        event(3, 'reopened'),
        event(4, 'merged_into'),
        event(5, 'escalated'),
        event(6, 'sla_extended'),
        event(7, 'closed'),
      ]).map((request) => request.ticketId),
    ).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves the clocks alone on events that cannot move them (busy paths pay no clock queries)', () => {
    expect(
      clockRequests([
        event(1, 'assigned', { agent_id: 3 }),
        event(1, 'claimed', { agent_id: 3 }),
        event(1, 'note_added', { message_id: 9 }),
        event(1, 'field_changed', { field: 'subject', from: 'a', to: 'b' }),
        event(1, 'delivery_failed', { message_id: 9 }),
        event(1, 'sla_warning', { clock_id: 1 }),
        event(1, 'status_request', {}),
      ]),
    ).to.deep.equal([]);
  });
});
