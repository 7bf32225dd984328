import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import { toJson } from '../db/rows.js';
import type { ActorType } from '../tickets/events.js';

export interface OutboundDraft {
  ticketId: number;
  channel: string;
  /** The citizen's normalized address on that channel. */
  address: string;
  body: string;
  /** `escalation`: a mail to the team's supervisors about the ticket (internal, never to the citizen). */
  kind: 'message' | 'acknowledgement' | 'escalation' | 'status_reply';
  /** Staff mail kept on the ticket for the record, out of the citizen's thread. */
  internal?: boolean;
  authorType: ActorType;
  authorId?: number | null;
  /** Send as this approved template instead of the body (WhatsApp outside its window). */
  template?: { contentSid: string; variables: Record<string, string> };
  at: Date;
}

/**
 * The outbox pattern: an outbound message is a row (status `queued`) and an outbox entry, written
 * in the caller's transaction. Only after commit is a job enqueued; a sweeper enqueues whatever
 * was committed but never signalled. Returns the outbox ids, in the order of the drafts.
 */
export async function queueOutbound(trx: Knex.Transaction, drafts: OutboundDraft[]): Promise<number[]> {
  if (drafts.length === 0) return [];
  // RETURNING lists multi-row inserts in insertion order on PostgreSQL and SQLite (Django's
  // bulk_create relies on the same), which pairs each message with its outbox entry.
  const messages = await insertInChunks<Record<string, unknown>, { id: number }>(
    drafts.map((draft) => ({
      ticket_id: draft.ticketId,
      direction: 'outbound',
      channel: draft.channel,
      author_type: draft.authorType,
      author_id: draft.authorId ?? null,
      kind: draft.kind,
      body: draft.body,
      internal: draft.internal ?? false,
      address: draft.address,
      template: draft.template ? toJson(draft.template) : null,
      delivery_status: 'queued',
      created_at: draft.at,
      status_at: draft.at,
    })),
    (chunk) => trx('messages').insert(chunk).returning('id'),
  );
  const outbox = await insertInChunks<Record<string, unknown>, { id: number }>(
    messages.map((message, index) => ({
      message_id: message.id,
      channel: drafts[index]!.channel,
      status: 'pending',
      created_at: drafts[index]!.at,
    })),
    (chunk) => trx('outbox').insert(chunk).returning('id'),
  );
  return outbox.map((row) => Number(row.id));
}
