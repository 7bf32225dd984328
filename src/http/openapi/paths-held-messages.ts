import { z } from 'zod';
import { heldMessageFilters } from '../api/v1/held-messages.js';
import { pathParameters, queryParameters, toJsonSchema } from './json-schema.js';
import { ANY_AGENT, jsonResponse, operation } from './operation.js';
import { TICKET_VISIBILITY } from './paths-tickets.js';
import { arrayOf, envelope } from './schemas.js';
import type { PathsObject } from './types.js';

const timestamp = z.string().describe('ISO 8601 date-time');
const id = z.number().int().positive();

/** A held message as the API answers it (src/tickets/held-messages.ts). */
const heldMessage = toJsonSchema(
  z.object({
    id,
    ticket_id: id,
    ticket_reference: z.string(),
    channel: z.string(),
    kind: z.string(),
    body: z.string().nullable(),
    sender_address: z.string().nullable().describe("Where it came from: an address not known for the ticket's citizen"),
    sender_contact_id: id.nullable(),
    created_at: timestamp.nullable(),
  }),
  'output',
);

const messageId = pathParameters(z.object({ id: z.coerce.number().int().positive() }), { id: "The held message's id" });
const HELD =
  "A message is held when its sender is not the ticket's citizen and it reached the ticket only by quoting the reference number (anyone can read a reference off a paper or a screen). " +
  "It is kept on the ticket (`hold_status` on the ticket's messages) but is not the citizen's: no clock, no reopening, and nothing is ever sent to its sender's address on this ticket's behalf. " +
  'Replies to our signed mail (Message-ID, reply+ address) are not held.';

export function heldMessagePaths(): PathsObject {
  return {
    '/api/v1/held-messages': {
      get: operation({
        operationId: 'listHeldMessages',
        tag: 'tickets',
        summary: 'Messages held for an agent to confirm who wrote them, oldest first',
        description: HELD,
        access: ANY_AGENT,
        visibility: "Only messages on tickets the caller may see (as for the tickets' list).",
        parameters: queryParameters(heldMessageFilters, {
          ticket: 'Only those on this ticket.',
          limit: 'At most this many.',
        }),
        responses: { 200: jsonResponse('The held messages', envelope(arrayOf(heldMessage))) },
        errors: { 400: true },
      }),
    },
    '/api/v1/held-messages/{id}/confirm': {
      post: operation({
        operationId: 'confirmHeldMessage',
        tag: 'tickets',
        summary: "Confirm a held message: it is the citizen's (the sender's contact is merged into the ticket's)",
        description:
          `${HELD}\n\nConfirming makes the message the citizen's on its ticket (it answers a clarification, reopens a resolved ticket, starts the next-response clock) and merges the sender's contact into the ticket's: its addresses become the citizen's, where replies may then go. ` +
          "The sender's other held messages on the ticket are confirmed with it (`message_ids`). No body.",
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: messageId,
        responses: {
          200: jsonResponse(
            'Confirmed',
            envelope(
              toJsonSchema(
                z.object({ ticket_id: id, message_ids: z.array(id), merged_contact_id: id.nullable() }),
                'output',
              ),
            ),
          ),
        },
        errors: {
          400: true,
          404: 'No such message, or its ticket is not visible to the caller.',
          409: 'The message is not held (`not_held`: decided already), or its ticket is merged (`invalid_transition`).',
        },
      }),
    },
    '/api/v1/held-messages/{id}/split': {
      post: operation({
        operationId: 'splitHeldMessage',
        tag: 'tickets',
        summary: 'Open a ticket of its own for a held message: its sender is someone else',
        description: `${HELD}\n\nThe message moves to a new ticket of its sender, in the same team, acknowledged to the sender with the new reference. No body.`,
        access: ANY_AGENT,
        visibility: TICKET_VISIBILITY,
        parameters: messageId,
        responses: {
          201: jsonResponse(
            'The new ticket',
            envelope(toJsonSchema(z.object({ ticket_id: id, reference: z.string() }), 'output')),
          ),
        },
        errors: {
          400: true,
          404: 'No such message, or its ticket is not visible to the caller.',
          409: 'The message is not held (`not_held`: decided already), or its ticket is merged (`invalid_transition`).',
        },
      }),
    },
  };
}
