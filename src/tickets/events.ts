import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import { toJson } from '../db/rows.js';
import { ticketEventsWritten } from './committed-events.js';
import type { TypedTicketEvent } from './event-types.js';

export type ActorType = TypedTicketEvent['actorType'];

/** An event to append: one of the audit trail's typed events (src/tickets/event-types.ts). */
export type TicketEventInput = TypedTicketEvent;

/** The append-only audit trail: every change to a ticket, who made it and when. */
export async function appendEvents(db: Knex | Knex.Transaction, events: TicketEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await insertInChunks(
    events.map((event) => ({
      ticket_id: event.ticketId,
      type: event.type,
      actor_type: event.actorType,
      actor_id: event.actorId ?? null,
      data: toJson(event.data ?? {}),
      created_at: event.at,
    })),
    (chunk) => db('ticket_events').insert(chunk),
  );
  ticketEventsWritten(db);
}
