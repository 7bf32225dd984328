import type { Knex } from 'knex';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { nextOpening } from '../calendar/working-time.js';
import { insertReturningId, isUniqueViolation } from '../db/rows.js';
import type { CallbackReason } from '../tickets/event-types.js';
import { appendEvents } from '../tickets/events.js';
import { LONGEST_CALL_MS } from '../voice/live-calls.js';
import { chooseVoiceAgent } from '../voice/voice-agents.js';
import { OPEN_TASK_STATUSES } from './task-queries.js';
import { assignTaskIfFree } from './task-assignment.js';

interface CallWanting {
  call_sid: string;
  phone: string;
  callback_reason: string;
  ticket_id: number;
  team_id: number | null;
}

/**
 * Call-back tasks for finished calls that want one (abandoned, not answered, asked for, a message
 * left when nobody could answer), once each call is on its ticket (the inbound worker threads it).
 * Once per caller and problem: a call whose ticket and number already have an open call-back joins
 * it (counted in `requests`) instead of making another. Due now in working hours, else at the
 * team's next opening. Returns how many calls were handled. `voiceProvider` is the phone line's
 * (the voice adapter's `provider`): the calls' inbox rows are under its name.
 */
export async function createCallbackTasks(db: Knex, voiceProvider: string, at: Date): Promise<number> {
  // A call's ticket: the one its status check found (recorded there, call-end.ts), else the inbox's.
  const calls: CallWanting[] = await db('calls as c')
    .leftJoin('inbox as i', (join) =>
      join.on('i.external_id', '=', 'c.call_sid').andOn('i.provider', '=', db.raw('?', [voiceProvider])),
    )
    .join('tickets as d', 'd.id', db.raw('coalesce(c.ticket_id, i.ticket_id)'))
    // A ticket merged since the call reached it: the call-back goes to the one it was merged into.
    .join('tickets as t', 't.id', db.raw('coalesce(d.merged_into_id, d.id)'))
    .whereNotNull('c.callback_reason')
    .whereNull('c.task_id')
    .whereNotNull('c.ended_at')
    .whereNotNull('c.phone')
    .orderBy('c.id')
    .limit(200)
    .select('c.call_sid', 'c.phone', 'c.callback_reason', { ticket_id: 't.id' }, 't.team_id');
  for (const call of calls) {
    // Read before the transaction: on SQLite it holds the only connection.
    const calendar = await loadTeamCalendar(db, call.team_id === null ? null : Number(call.team_id));
    const dueAt = nextOpening(calendar, at);
    try {
      await db.transaction((trx) =>
        attach(
          trx,
          { ...call, ticket_id: Number(call.ticket_id), team_id: call.team_id === null ? null : Number(call.team_id) },
          dueAt,
          at,
        ),
      );
    } catch (error) {
      // Another worker opened the call-back for this ticket and number a moment ago: join it next pass.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return calls.length;
}

async function attach(trx: Knex.Transaction, call: CallWanting, dueAt: Date, at: Date): Promise<void> {
  const open = await trx('tasks')
    .where({ kind: 'callback', ticket_id: call.ticket_id, phone: call.phone })
    .whereIn('status', OPEN_TASK_STATUSES)
    .first('id');
  let taskId: number;
  if (open) {
    taskId = Number(open.id);
    await trx('tasks')
      .where({ id: taskId })
      .update({ requests: trx.raw('requests + 1'), updated_at: at });
    await appendEvents(trx, [
      {
        ticketId: call.ticket_id,
        type: 'callback_requested_again',
        actorType: 'citizen',
        data: { task_id: taskId, reason: call.callback_reason as CallbackReason, call_sid: call.call_sid },
        at,
      },
    ]);
  } else {
    taskId = await insertReturningId(trx, 'tasks', {
      kind: 'callback',
      ticket_id: call.ticket_id,
      team_id: call.team_id,
      phone: call.phone,
      reason: call.callback_reason,
      due_at: dueAt,
      status: 'open',
      attempts: 0,
      requests: 1,
      created_at: at,
      updated_at: at,
    });
    await appendEvents(trx, [
      {
        ticketId: call.ticket_id,
        type: 'callback_task_created',
        actorType: 'system',
        data: {
          task_id: taskId,
          reason: call.callback_reason as CallbackReason,
          due_at: dueAt.toISOString(),
          call_sid: call.call_sid,
        },
        at,
      },
    ]);
  }
  await trx('calls').where({ call_sid: call.call_sid }).update({ task_id: taskId, updated_at: at });
}

/**
 * Hands due, unassigned call-backs to agents who can take a call now (see chooseVoiceAgent: the
 * routing engine's eligibility, with tasks counted against voice capacity). A team that pulls its
 * work gets none pushed: its agents take one with POST /queue/next, or by calling it. A task
 * someone took meanwhile is left alone (assignTaskIfFree). Returns the assignments made.
 */
export async function assignDueTasks(db: Knex, at: Date): Promise<Array<{ taskId: number; agentId: number }>> {
  const due = await db('tasks')
    .where({ status: 'open' })
    .whereNull('assignee_id')
    .whereNotNull('team_id')
    .where('due_at', '<=', at)
    .orderBy(['due_at', 'id'])
    .limit(200)
    .select('id', 'ticket_id', 'team_id');
  const assigned: Array<{ taskId: number; agentId: number }> = [];
  const pulling = await db('teams').where({ routing_strategy: 'pull' }).pluck('id');
  const teamsFull = new Set<number>(pulling.map(Number));
  for (const task of due) {
    const teamId = Number(task.team_id);
    if (teamsFull.has(teamId)) continue;
    const agent = await chooseVoiceAgent(db, teamId, at);
    if (!agent) {
      teamsFull.add(teamId);
      continue;
    }
    if (
      await assignTaskIfFree(db, {
        taskId: Number(task.id),
        ticketId: Number(task.ticket_id),
        agentId: agent.id,
        by: 'routing',
        at,
      })
    ) {
      assigned.push({ taskId: Number(task.id), agentId: agent.id });
    }
  }
  return assigned;
}

/** No call-back conversation lasts this long: a task still `calling` by then lost its callbacks. */
export const CALLING_STALE_MS = LONGEST_CALL_MS;

/**
 * Call-backs left `calling` with no final word from Twilio (its status callback lost, or arrived
 * before the call was recorded) are open again after CALLING_STALE_MS, with an event, so a task is
 * never stuck out of every queue. Returns how many were released.
 */
export async function releaseStaleCalls(db: Knex, at: Date): Promise<number> {
  const stale = await db('tasks')
    .where({ status: 'calling' })
    .where('updated_at', '<', new Date(at.getTime() - CALLING_STALE_MS))
    .limit(200)
    .select('id', 'ticket_id', 'updated_at');
  let released = 0;
  for (const task of stale) {
    await db.transaction(async (trx) => {
      // Guarded by the row as read: a callback that arrived meanwhile wins.
      const reopened = await trx('tasks')
        .where({ id: task.id, status: 'calling', updated_at: task.updated_at })
        .update({ status: 'open', updated_at: at });
      if (reopened !== 1) return;
      await appendEvents(trx, [
        {
          ticketId: Number(task.ticket_id),
          type: 'callback_call_lost',
          actorType: 'system',
          data: { task_id: Number(task.id), note: 'No final call status from Twilio: the call-back is open again' },
          at,
        },
      ]);
      released += 1;
    });
  }
  return released;
}
