import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { hasFreeSlot } from '../routing/assign.js';
import type { Priority } from '../tickets/vocabulary.js';
import { appendEvents } from '../tickets/events.js';

/** A call-back due now that nobody has yet, as pull mode weighs it against waiting tickets. */
export interface DueTask {
  id: number;
  ticketId: number;
  teamId: number;
  /** Its ticket's. */
  priority: Priority;
  dueAt: Date;
}

export interface TaskAssignment {
  taskId: number;
  ticketId: number;
  agentId: number;
  /** The call-back pass's own choice, or an agent taking it from the queue. */
  by: 'routing' | 'pull';
  at: Date;
}

const PRIORITY_ORDER = "case t.priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end";

/** The teams' open, unassigned call-backs due by `at`: highest priority first, then longest due. */
export async function dueTasks(db: Knex, teamIds: number[], at: Date, limit: number): Promise<DueTask[]> {
  const rows = await db('tasks as k')
    .join('tickets as t', 't.id', 'k.ticket_id')
    .whereIn('k.team_id', teamIds)
    .where('k.status', 'open')
    .whereNull('k.assignee_id')
    .where('k.due_at', '<=', at)
    .orderByRaw(`${PRIORITY_ORDER}, k.due_at, k.id`)
    .limit(limit)
    .select('k.id', 'k.ticket_id', 'k.team_id', 't.priority', 'k.due_at');
  return rows.map((row) => ({ id: Number(row.id), ticketId: Number(row.ticket_id), teamId: Number(row.team_id), priority: row.priority, dueAt: new Date(row.due_at) }));
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
    const taken = await trx('tasks').where({ id: taskId, status: 'open' }).whereNull('assignee_id').where(hasFreeSlot(trx, agentId, 'voice', at)).update({ assignee_id: agentId, updated_at: at });
    if (taken !== 1) return false;
    const event =
      by === 'pull'
        ? { type: 'callback_claimed', actorType: 'agent' as const, actorId: agentId }
        : { type: 'callback_assigned', actorType: 'system' as const, actorId: null };
    await appendEvents(trx, [{ ticketId, ...event, data: { task_id: taskId, agent_id: agentId }, at }]);
    return true;
  });
}
