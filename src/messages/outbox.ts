import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import type { ActorType } from '../tickets/events.js';

export interface OutboundDraft {
  ticketId: number;
  channel: string;
  /** The citizen's normalized address on that channel. */
  address: string;
  body: string;
  kind: 'message' | 'acknowledgement';
  authorType: ActorType;
  authorId?: number | null;
  at: Date;
}

/**
 * The outbox pattern: an outbound message is a row (status `queued`) and an outbox entry, written
 * in the caller's transaction. Only after commit is a job enqueued; a sweeper enqueues whatever
 * was committed but never signalled.
 */
export async function queueOutbound(trx: Knex.Transaction, draft: OutboundDraft): Promise<{ messageId: number; outboxId: number }> {
  const messageId = await insertReturningId(trx, 'messages', {
    ticket_id: draft.ticketId,
    direction: 'outbound',
    channel: draft.channel,
    author_type: draft.authorType,
    author_id: draft.authorId ?? null,
    kind: draft.kind,
    body: draft.body,
    address: draft.address,
    delivery_status: 'queued',
    created_at: draft.at,
    status_at: draft.at,
  });
  const outboxId = await insertReturningId(trx, 'outbox', {
    message_id: messageId,
    channel: draft.channel,
    status: 'pending',
    created_at: draft.at,
  });
  return { messageId, outboxId };
}
