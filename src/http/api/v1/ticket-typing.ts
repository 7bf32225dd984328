import { Router } from 'express';
import type { Knex } from 'knex';
import { UnprocessableError } from '../../../errors.js';
import { findAccessibleTicket } from '../../../tickets/ticket-access.js';
import type { ChatSignals } from '../../../webchat/chat-signals.js';
import { replySession } from '../../../webchat/sessions.js';
import { currentAgent } from '../../authenticate.js';
import { idParam, parseInput } from '../../validate.js';

/**
 * POST /api/v1/tickets/:id/typing: the agent is writing a reply, shown in the chat widget for a
 * few seconds (repeat it while typing). Allowed to whoever may reply to the ticket; only a chat
 * ticket has someone to show it to. GET tells whether the visitor is typing.
 */
export function ticketTypingRoutes(db: Knex, signals: ChatSignals): Router {
  const router = Router();

  router.post('/:id/typing', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const ticket = await findAccessibleTicket(db, currentAgent(request), id);
    if (ticket.channel !== 'webchat')
      throw new UnprocessableError('not_a_chat', 'Only a web chat ticket shows that you are typing', {
        channel: ticket.channel,
      });
    // The session the reply would go to: the one the visitor last wrote from.
    const session = await replySession(db, ticket.contact_id);
    if (session) await signals.publish(session, { event: 'typing', data: { by: 'agent' } });
    response.status(204).end();
  });

  router.get('/:id/typing', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const ticket = await findAccessibleTicket(db, currentAgent(request), id);
    response.json({ data: { visitor_typing: await signals.isVisitorTyping(ticket.id) } });
  });

  return router;
}
