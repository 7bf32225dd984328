import type { Knex } from 'knex';
import { toIso } from '../db/rows.js';

/** One message as the visitor sees it: no ids of staff, no addresses, no internal notes. */
export interface ChatMessage {
  id: number;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  /** The agent's display name, on their replies. */
  author?: string;
  /** The widget's own id of a visitor's message, so that it can match what it showed. */
  clientId?: string;
  /** Written by the system, not a person: the acknowledgement with the ticket's reference number. */
  system?: true;
}

export const PAGE_SIZE = 200;

/**
 * What the session wrote and what was written to it, after a message id, oldest first. A chat's
 * messages have the session id as their address (the visitor's, and our replies to it), so a
 * visitor who gave someone else's phone joins that contact yet reads only their own conversation.
 */
export async function sessionMessages(
  db: Knex,
  sessionId: string,
  after = 0,
  limit = PAGE_SIZE,
): Promise<ChatMessage[]> {
  const rows = await db('messages as m')
    .leftJoin('agents as a', function joinAgent() {
      this.on('a.id', '=', 'm.author_id').andOn('m.author_type', '=', db.raw('?', ['agent']));
    })
    .where({ 'm.address': sessionId, 'm.channel': 'webchat', 'm.internal': false })
    .where('m.id', '>', after)
    .whereNotIn('m.kind', ['note', 'escalation'])
    .orderBy('m.id')
    .limit(limit)
    .select(
      'm.id',
      'm.direction',
      'm.body',
      'm.created_at',
      'm.provider_message_id',
      'm.author_type',
      'a.name as agent_name',
    );
  return rows.map((row) => {
    const message: ChatMessage = {
      id: Number(row.id),
      direction: row.direction === 'inbound' ? 'inbound' : 'outbound',
      text: String(row.body),
      at: toIso(row.created_at)!,
    };
    if (row.agent_name) message.author = String(row.agent_name);
    if (row.author_type === 'system') message.system = true;
    if (message.direction === 'inbound' && typeof row.provider_message_id === 'string')
      message.clientId = row.provider_message_id.slice(sessionId.length + 1);
    return message;
  });
}
