import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../../auth/tokens.js';
import { toIso } from '../../db/rows.js';
import { ConflictError, UnprocessableError } from '../../errors.js';
import type { TicketEventInput } from '../events.js';
import { assertAllowed, lockVisibleTicket, type ActionContext, type TicketState } from './action-context.js';

/**
 * Merges duplicate tickets of one citizen into the one being worked. The sources' messages (and
 * with them their attachments and outbox entries) move onto the target, their open call-back tasks
 * follow the `merged` events (src/tasks/merge-subscriber.ts); each source is closed with a pointer
 * to the target, so its reference number still leads to the conversation; its events stay with it
 * as its history. Only tickets of the same contact merge: anything else would
 * show one citizen's words to whoever handles another's ticket.
 */
export async function mergeTickets(
  context: ActionContext,
  agent: AuthenticatedAgent,
  targetId: number,
  sourceIds: number[],
): Promise<{ messagesMoved: number }> {
  if (sourceIds.includes(targetId))
    throw new UnprocessableError('merge_into_self', 'A ticket cannot be merged into itself', { ticket_id: targetId });
  const moved = await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    // Locks in id order, so that two merges over the same tickets cannot deadlock.
    const lockOrder = [targetId, ...sourceIds].sort((a, b) => a - b);
    const locked = new Map<number, TicketState>();
    for (const id of lockOrder) locked.set(id, await lockVisibleTicket(trx, agent, id));
    const target = locked.get(targetId)!;
    assertAllowed(target, 'merge');
    const sources = sourceIds.map((id) => locked.get(id)!);
    const strangers = sources.filter((source) => source.contact_id !== target.contact_id).map((source) => source.id);
    if (strangers.length > 0) {
      throw new UnprocessableError('different_contact', 'Only tickets of the same citizen can be merged', {
        ticket_ids: strangers,
      });
    }
    const merged = sources.filter((source) => source.merged_into_id !== null).map((source) => source.id);
    if (merged.length > 0)
      throw new ConflictError('already_merged', 'A ticket merged once cannot be merged again', { ticket_ids: merged });

    const counts = await messageCounts(trx, sourceIds);
    const moved = await trx('messages').whereIn('ticket_id', sourceIds).update({ ticket_id: targetId });
    await trx('tickets')
      .whereIn('id', sourceIds)
      .update({ status: 'closed', closed_at: at, merged_into_id: targetId, queued_at: null, updated_at: at });
    const events: TicketEventInput[] = [];
    for (const source of sources) {
      const data = { messages_moved: counts.get(source.id) ?? 0, from_status: source.status };
      events.push({
        ticketId: source.id,
        type: 'merged_into',
        actorType: 'agent',
        actorId: agent.id,
        data: { ...data, target_ticket_id: targetId, target_reference: target.reference },
        at,
      });
      events.push({
        ticketId: targetId,
        type: 'merged',
        actorType: 'agent',
        actorId: agent.id,
        data: { ...data, source_ticket_id: source.id, source_reference: source.reference },
        at,
      });
    }
    events.push(...(await absorbSources(trx, target, sources, agent, at)));
    // The duplicates' clocks are cancelled by the SLA on these events: the citizen's matter is timed on the target.
    await tx.append(events);
    tx.capacityFreed(
      sources
        .filter((source) => source.status !== 'resolved' && source.status !== 'closed')
        .map((source) => source.assignee_id),
    );
    return moved;
  });
  return { messagesMoved: moved };
}

/**
 * The target takes over what the sources knew: the latest message time, the first response if it
 * had none, and the reporter's protection — if any duplicate was confidential or anonymous, the
 * merged conversation is too, since it now holds that report's words.
 */
async function absorbSources(
  trx: Knex.Transaction,
  target: TicketState,
  sources: TicketState[],
  agent: AuthenticatedAgent,
  at: Date,
): Promise<TicketEventInput[]> {
  const times = (column: string) =>
    [target, ...sources]
      .map((ticket) => toIso(ticket[column]))
      .filter((value): value is string => value !== null)
      .sort();
  const columns: Record<string, unknown> = { updated_at: at };
  const lastMessage = times('last_message_at').at(-1);
  if (lastMessage) columns.last_message_at = new Date(lastMessage);
  const firstResponse = times('first_response_at')[0];
  if (!target.first_response_at && firstResponse) columns.first_response_at = new Date(firstResponse);
  const events: TicketEventInput[] = [];
  for (const flag of ['confidential', 'anonymous'] as const) {
    if (!target[flag] && sources.some((source) => Boolean(source[flag]))) {
      columns[flag] = true;
      events.push({
        ticketId: target.id,
        type: 'field_changed',
        actorType: 'agent',
        actorId: agent.id,
        data: { field: flag, from: false, to: true, reason: 'merge' },
        at,
      });
    }
  }
  await trx('tickets').where({ id: target.id }).update(columns);
  return events;
}

async function messageCounts(trx: Knex.Transaction, ticketIds: number[]): Promise<Map<number, number>> {
  const rows: Array<{ ticket_id: number; n: number | string }> = await trx('messages')
    .whereIn('ticket_id', ticketIds)
    .groupBy('ticket_id')
    .select('ticket_id')
    .count({ n: '*' });
  return new Map(rows.map((row) => [Number(row.ticket_id), Number(row.n)]));
}
