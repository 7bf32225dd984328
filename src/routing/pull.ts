import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { assignTaskIfFree, dueTasks } from '../tasks/task-assignment.js';
import { PRIORITY_RANK, type Priority } from '../tickets/vocabulary.js';
import { assignIfFree } from './assign.js';
import { agentState, waitingTickets } from './routing-state.js';
import { canTake } from './strategies.js';

/** What POST /queue/next handed the agent. */
export type NextItem = { kind: 'ticket'; id: number } | { kind: 'task'; id: number };

interface Candidate {
  item: NextItem;
  priority: Priority;
  /** Waiting since (a ticket's queue time, a call-back's due time): oldest first within a priority. */
  since: Date;
  take(): Promise<boolean>;
}

/** A call-back is one call: the voice slot it takes (routing-state.ts counts tasks there). */
const CALL_BACK = { channel: 'voice', skills: [] };

/**
 * Pull mode: the agent takes the next item of their teams themselves, a waiting ticket or a due
 * call-back, highest priority first, then the one waiting longest, among those they have the skills
 * and a free slot for (and, for a call-back, a phone to ring first and leave to see its ticket). An
 * item someone else took a moment earlier is skipped for the next one.
 */
export async function takeNext(db: Knex, caller: AuthenticatedAgent, now: () => Date): Promise<NextItem | undefined> {
  const agentId = caller.id;
  const at = now();
  const teamIds = (await db('agent_teams').where({ agent_id: agentId }).pluck('team_id')).map(Number);
  const agent = teamIds.length > 0 ? await agentState(db, agentId, at) : undefined;
  if (!agent) return undefined;
  const candidates: Candidate[] = [];
  for (const ticket of await waitingTickets(db, teamIds, 100)) {
    if (!canTake(agent, ticket)) continue;
    candidates.push({
      item: { kind: 'ticket', id: ticket.id },
      priority: ticket.priority,
      since: ticket.queuedAt,
      take: () =>
        assignIfFree(db, {
          ticketId: ticket.id,
          seenUpdatedAt: ticket.updatedAt,
          teamId: ticket.teamId,
          channel: ticket.channel,
          agentId,
          by: { kind: 'pull' },
          at,
        }),
    });
  }
  const canCall =
    canTake(agent, CALL_BACK) &&
    (await db('agents').where({ id: agentId }).whereNotNull('phone').first('id')) !== undefined;
  for (const task of canCall ? await dueTasks(db, caller, teamIds, at, 20) : []) {
    candidates.push({
      item: { kind: 'task', id: task.id },
      priority: task.priority,
      since: task.dueAt,
      take: () =>
        assignTaskIfFree(db, {
          taskId: task.id,
          ticketId: task.ticketId,
          agentId,
          by: { kind: 'pull', agent: caller, teamIds },
          at,
        }),
    });
  }
  // Stable: on a tie of priority and time the ticket, listed first, goes first.
  candidates.sort(
    (a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.since.getTime() - b.since.getTime(),
  );
  for (const candidate of candidates) {
    if (await candidate.take()) return candidate.item;
  }
  return undefined;
}
