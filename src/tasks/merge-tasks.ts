import type { Knex } from 'knex';
import type { TicketEventData } from '../tickets/event-types.js';
import type { TicketEventInput } from '../tickets/events.js';
import { OPEN_TASK_STATUSES } from './task-queries.js';

interface OpenTask {
  id: number;
  kind: string;
  ticket_id: number;
  phone: string;
  status: string;
  requests: number;
}

type FoldedTask = Pick<OpenTask, 'id' | 'status' | 'requests'>;

/**
 * Two open call-backs for one ticket and number become one: a moved one and its twin already on
 * the target. The one being called is kept (Twilio's callbacks name its task), else the target's
 * own; the kept one counts the requests of both, the other is cancelled into it.
 */
export function foldCallbacks<Task extends FoldedTask>(
  moved: Task,
  twin: Task,
): { kept: Task; folded: Task; requests: number } {
  const [kept, folded] = moved.status === 'calling' && twin.status !== 'calling' ? [moved, twin] : [twin, moved];
  return { kept, folded, requests: Number(kept.requests) + Number(folded.requests) };
}

/**
 * A merge's part for tasks and calls: the duplicates' open tasks (call-backs, clarification calls)
 * move to the surviving ticket, so that they stay in the queues of its team and the citizen is
 * called about the one conversation; so do the calls recorded on a duplicate by a status check.
 * "One open call-back per ticket and number" holds on the target too: a moved call-back whose
 * number has one there already is folded into it (its requests added), the one under way kept.
 * Closed tasks stay with their ticket, as its history. Returns the target's events.
 */
export async function moveOpenTasks(
  trx: Knex.Transaction,
  sourceIds: number[],
  target: { id: number; team_id: number | null },
  actor: { id: number },
  at: Date,
): Promise<TicketEventInput[]> {
  await trx('calls').whereIn('ticket_id', sourceIds).update({ ticket_id: target.id, updated_at: at });
  const moving: OpenTask[] = await trx('tasks')
    .whereIn('ticket_id', sourceIds)
    .whereIn('status', OPEN_TASK_STATUSES)
    .orderBy('id')
    .select('id', 'kind', 'ticket_id', 'phone', 'status', 'requests');
  const events: TicketEventInput[] = [];
  const event = <T extends 'callback_task_moved' | 'callback_task_merged'>(
    type: T,
    data: TicketEventData[T],
  ): TicketEventInput =>
    // The pair (type, data) is checked at each call; TypeScript cannot follow T into the union.
    ({ ticketId: target.id, type, actorType: 'agent', actorId: actor.id, data, at }) as TicketEventInput;
  for (const task of moving) {
    const twin: OpenTask | undefined =
      task.kind === 'callback'
        ? await trx('tasks')
            .where({ ticket_id: target.id, kind: 'callback', phone: task.phone })
            .whereIn('status', OPEN_TASK_STATUSES)
            .first('id', 'kind', 'ticket_id', 'phone', 'status', 'requests')
        : undefined;
    if (!twin) {
      await trx('tasks')
        .where({ id: task.id })
        .update({ ticket_id: target.id, team_id: target.team_id, updated_at: at });
      events.push(event('callback_task_moved', { task_id: task.id, from_ticket_id: Number(task.ticket_id) }));
      continue;
    }
    const { kept, folded, requests } = foldCallbacks(task, twin);
    await trx('tasks')
      .where({ id: folded.id })
      .update({ status: 'cancelled', closed_at: at, note: `Merged into task ${kept.id}`, updated_at: at });
    await trx('tasks').where({ id: kept.id }).update({
      ticket_id: target.id,
      team_id: target.team_id,
      requests,
      updated_at: at,
    });
    await trx('calls').where({ task_id: folded.id }).update({ task_id: kept.id, updated_at: at });
    events.push(
      event('callback_task_merged', {
        task_id: kept.id,
        merged_task_id: folded.id,
        from_ticket_id: Number(task.ticket_id),
      }),
    );
  }
  return events;
}
