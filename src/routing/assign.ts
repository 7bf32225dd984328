import type { Knex } from 'knex';
import { DEFAULT_CAPACITY } from './agent-directory.js';
import { isPostgres } from '../db/knex.js';
import { toJson } from '../db/rows.js';
import type { ChannelKind } from '../../channels/adapter.js';
import { ticketEventsWritten } from '../tickets/committed-events.js';
import { appendEvents, type TicketEventInput } from '../tickets/events.js';
import { liveCalls } from '../voice/live-calls.js';
import { LOAD_STATUSES, TASK_LOAD_STATUSES, WAITING_STATUSES, ticketChannelsOfSlot } from './routing-state.js';

export interface Assignment {
  ticketId: number;
  /** The ticket as routing saw it; a change since (skills, team, priority) makes this a no-op. */
  seenUpdatedAt: Date;
  teamId: number;
  /** The capacity channel the ticket takes a slot of (routing-state.ts slotChannel). */
  channel: string;
  agentId: number;
  /** Routing's own choice (only for agents marked available), or an agent taking work from the queue. */
  by: { kind: 'routing'; strategy: string } | { kind: 'pull' };
  at: Date;
}

/**
 * Gives a waiting ticket to an agent, or does nothing if someone was faster. One conditional
 * UPDATE takes the ticket only if it is still unassigned, in that team, waiting, unchanged since
 * routing saw it, and if the agent's load on the channel, counted inside that same statement, is
 * below their capacity: two routers, or a router and an agent pulling, never give one ticket to
 * two agents, nor two tickets to one free slot.
 *
 * SQLite has one writer, so the statement's count cannot go stale before its write. PostgreSQL
 * takes a statement's snapshot before it waits for row locks, so there the agent's row is locked
 * first by a statement of its own: the guarded UPDATE that follows sees every assignment to that
 * agent committed before ours. On PostgreSQL the UPDATE, the agent's idle clock and the event are
 * one statement; on SQLite three (it has no data-modifying WITH), each a cheap local call.
 */
export async function assignIfFree(db: Knex, assignment: Assignment): Promise<boolean> {
  return db.transaction(async (trx) => {
    if (isPostgres(db)) {
      if (!(await eligibleAgent(trx, assignment).forNoKeyUpdate().first('id'))) return false;
      return takeWithEvent(trx, assignment);
    }
    const taken = await guardedTake(trx, assignment).whereExists(eligibleAgent(trx, assignment).select(trx.raw('1')));
    if (taken !== 1) return false;
    await trx('agents').where({ id: assignment.agentId }).update({ last_assigned_at: assignment.at });
    await appendEvents(trx, [assignedEvent(assignment)]);
    return true;
  });
}

/** The agent, if still active (and, for routing's own choice, still available). */
function eligibleAgent(trx: Knex.Transaction, assignment: Assignment): Knex.QueryBuilder {
  const query = trx('agents').where({ id: assignment.agentId, active: true });
  if (assignment.by.kind === 'routing') query.where({ presence: 'available' });
  return query;
}

/**
 * The condition "the agent has a free slot on this capacity channel" (see slotChannel), counted
 * inside the statement that takes the work: the tickets holding such a slot, or on the voice
 * channel the call-backs to make and the calls put through to the agent (live as of `at`), against
 * the agent's capacity or the channel's default.
 */
export function hasFreeSlot(trx: Knex.Transaction, agentId: number, channel: string, at: Date): Knex.Raw {
  const tickets = trx('tickets as held')
    .where({ 'held.assignee_id': agentId })
    .whereIn('held.channel', ticketChannelsOfSlot(channel))
    .whereIn('held.status', LOAD_STATUSES)
    .count('*');
  const conversations = () =>
    trx.raw('(?) + (?)', [
      trx('tasks as slot').where({ 'slot.assignee_id': agentId }).whereIn('slot.status', TASK_LOAD_STATUSES).count('*'),
      liveCalls(trx, at).where('live.agent_id', agentId).count('*'),
    ]);
  const load = channel === 'voice' ? conversations() : tickets;
  const capacity = trx('agent_capacities').where({ agent_id: agentId, channel }).select('capacity');
  return trx.raw('(?) < coalesce((?), ?)', [load, capacity, DEFAULT_CAPACITY[channel as ChannelKind] ?? 0]);
}

/** The conditional UPDATE that takes the ticket: every guard, the capacity check included. */
function guardedTake(trx: Knex.Transaction, assignment: Assignment): Knex.QueryBuilder {
  const { agentId, channel } = assignment;
  return trx('tickets')
    .where({ id: assignment.ticketId, team_id: assignment.teamId, updated_at: assignment.seenUpdatedAt })
    .whereNull('assignee_id')
    .whereIn('status', WAITING_STATUSES)
    .where(hasFreeSlot(trx, agentId, channel, assignment.at))
    .update({
      assignee_id: agentId,
      assigned_at: assignment.at,
      queued_at: null,
      status: trx.raw("case when status = 'new' then 'open' else status end"),
      updated_at: assignment.at,
    });
}

/** PostgreSQL: the guarded UPDATE, the agent's idle clock and the event as one statement. */
async function takeWithEvent(trx: Knex.Transaction, assignment: Assignment): Promise<boolean> {
  const take = guardedTake(trx, assignment).returning('id').toSQL();
  const event = assignedEvent(assignment);
  const result: { rowCount: number } = await trx.raw(
    `with taken as (${take.sql}), ` +
      'idle as (update agents set last_assigned_at = ? where id = ? and exists (select 1 from taken)) ' +
      'insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at) select id, ?, ?, ?, ?, ? from taken',
    [
      ...take.bindings,
      assignment.at,
      assignment.agentId,
      event.type,
      event.actorType,
      event.actorId ?? null,
      toJson(event.data),
      event.at,
    ] as Knex.RawBinding[],
  );
  const taken = result.rowCount === 1;
  if (taken) ticketEventsWritten(trx); // written past appendEvents: the live tails are told all the same
  return taken;
}

function assignedEvent(assignment: Assignment): TicketEventInput {
  const { ticketId, agentId, teamId, at } = assignment;
  if (assignment.by.kind === 'routing') {
    const data = { agent_id: agentId, team_id: teamId, strategy: assignment.by.strategy };
    return { ticketId, type: 'assigned', actorType: 'system', actorId: null, data, at };
  }
  const data = { agent_id: agentId, team_id: teamId, via: 'queue_next' as const };
  return { ticketId, type: 'claimed', actorType: 'agent', actorId: agentId, data, at };
}
