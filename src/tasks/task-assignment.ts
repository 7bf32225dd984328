import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { isPostgres } from '../db/knex.js';
import { toIso } from '../db/rows.js';
import { hasFreeSlot } from '../routing/assign.js';
import { priorityQueueOrder, type Priority } from '../tickets/vocabulary.js';
import { appendEvents } from '../tickets/events.js';
import { visibleTo } from '../tickets/ticket-access.js';

/** A call-back due now that nobody has yet, as pull mode weighs it against waiting tickets. */
export interface DueTask {
  id: number;
  ticketId: number;
  /** Its ticket's. */
  priority: Priority;
  dueAt: Date;
}

export interface TaskAssignment {
  taskId: number;
  ticketId: number;
  agentId: number;
  /** The call-back pass's own choice, or an agent taking it from the queue (who must still be allowed to see its ticket). */
  by: 'routing' | { kind: 'pull'; agent: AuthenticatedAgent; teamIds: number[] };
  at: Date;
}

const PRIORITY_ORDER = priorityQueueOrder('t.priority');

/**
 * The open, unassigned call-backs due by `at` on tickets of the agent's teams that they may see
 * (a confidential one only if it is theirs): highest priority first, then longest due. The ticket's
 * team decides, as for every view of a task (task-queries.ts): a transfer moves its call-back too.
 */
export async function dueTasks(
  db: Knex,
  agent: AuthenticatedAgent,
  teamIds: number[],
  at: Date,
  limit: number,
): Promise<DueTask[]> {
  const rows: Array<{ id: number; ticket_id: number; priority: Priority; due_at: unknown }> = await visibleTo(
    db('tasks as k').join('tickets as t', 't.id', 'k.ticket_id'),
    db,
    agent,
  )
    .whereIn('t.team_id', teamIds)
    .where('k.status', 'open')
    .whereNull('k.assignee_id')
    .where('k.due_at', '<=', at)
    .orderByRaw(`${PRIORITY_ORDER}, k.due_at, k.id`)
    .limit(limit)
    .select('k.id', 'k.ticket_id', 't.priority', 'k.due_at');
  return rows.map((row) => ({
    id: Number(row.id),
    ticketId: Number(row.ticket_id),
    priority: row.priority,
    dueAt: new Date(toIso(row.due_at)!),
  }));
}

/**
 * Gives an open call-back to an agent, or does nothing if someone was faster or the agent's voice
 * slot is taken. As routing does for tickets (assign.ts): the agent's row locked on PostgreSQL and
 * the free slot counted inside the UPDATE, so a ticket and a call-back never take one voice slot.
 */
export async function assignTaskIfFree(db: Knex, assignment: TaskAssignment): Promise<boolean> {
  const { taskId, ticketId, agentId, by, at } = assignment;
  return db.transaction(async (trx) => {
    if (isPostgres(db)) await trx('agents').where({ id: agentId }).forNoKeyUpdate().first('id');
    const take = trx('tasks')
      .where({ id: taskId, status: 'open' })
      .whereNull('assignee_id')
      .where(hasFreeSlot(trx, agentId, 'voice', at));
    // Pulled: the ticket may have moved to another team, or been made confidential, since it was read.
    if (by !== 'routing')
      take.whereExists(
        visibleTo(
          trx('tickets as t').whereRaw('t.id = tasks.ticket_id').whereIn('t.team_id', by.teamIds),
          trx as unknown as Knex,
          by.agent,
        ).select(trx.raw('1')),
      );
    const taken = await take.update({ assignee_id: agentId, updated_at: at });
    if (taken !== 1) return false;
    const event =
      by !== 'routing'
        ? { type: 'callback_claimed' as const, actorType: 'agent' as const, actorId: agentId }
        : { type: 'callback_assigned' as const, actorType: 'system' as const, actorId: null };
    await appendEvents(trx, [{ ticketId, ...event, data: { task_id: taskId, agent_id: agentId }, at }]);
    return true;
  });
}
