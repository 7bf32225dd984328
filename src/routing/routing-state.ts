import type { Knex } from 'knex';
import { DEFAULT_CAPACITY } from './agent-directory.js';
import { fromJson, toIso } from '../db/rows.js';
import { writtenChannel } from '../messages/channel-policy.js';
import { priorityQueueOrder, type Priority } from '../tickets/vocabulary.js';
import { liveCalls } from '../voice/live-calls.js';

/** Statuses in which an unassigned ticket waits in its team's queue. */
export const WAITING_STATUSES = ['new', 'open', 'pending_agency'] as const;
/** Statuses that hold a slot of the assignee's capacity (waiting on the citizen frees it; an agency's disposed ticket holds one of its agent's). */
export const LOAD_STATUSES = ['new', 'open', 'pending_agency'] as const;
/** Call-back task statuses that hold one of the assignee's voice slots (a call to make, or being made). */
export const TASK_LOAD_STATUSES = ['open', 'calling'] as const;

/**
 * The capacity a ticket of this channel takes a slot of: the channel it is answered on. A voice
 * slot is one live conversation (a call put through, a call-back to make); a ticket a call left
 * behind (a voice message, a missed call) is answered by SMS, so it takes an SMS slot, and an agent
 * holding voicemails can still take calls.
 */
export function slotChannel(channel: string): string {
  // A form's ticket takes a slot of its own (web, sized like mail's): whether it is answered by
  // mail or SMS depends on the citizen's identities, which a queue pass does not read.
  return channel === 'web' ? 'web' : writtenChannel(channel);
}

/** The ticket channels whose tickets hold a slot of this capacity channel (none hold a voice slot). */
export function ticketChannelsOfSlot(slot: string): string[] {
  if (slot === 'voice') return [];
  return slot === 'sms' ? ['sms', 'voice'] : [slot];
}

const PRIORITY_ORDER = priorityQueueOrder('priority');

export interface WaitingTicket {
  id: number;
  /** The version seen: an assignment only lands if nobody changed the ticket since. */
  updatedAt: Date;
  teamId: number;
  contactId: number;
  /** The capacity channel it takes a slot of (slotChannel): a voice ticket's is sms. */
  channel: string;
  skills: string[];
  priority: Priority;
  /** Since when it waits: the queue's order after priority. */
  queuedAt: Date;
}

export interface AgentState {
  id: number;
  skills: Set<string>;
  capacity: Record<string, number>;
  load: Record<string, number>;
  /** Idle since: the later of the last assignment and becoming available. */
  idleSince: number;
  lastAssignedAt: number;
}

/** A team's waiting tickets, highest priority first, then oldest in the queue. */
export async function waitingTickets(db: Knex, teamIds: number[], limit: number): Promise<WaitingTicket[]> {
  const rows = await db('tickets')
    .whereIn('team_id', teamIds)
    .whereNull('assignee_id')
    .whereIn('status', WAITING_STATUSES)
    .orderByRaw(`${PRIORITY_ORDER}, queued_at, id`)
    .limit(limit)
    .select(
      'id',
      'team_id',
      'contact_id',
      'channel',
      'language',
      'required_skills',
      'updated_at',
      'priority',
      'queued_at',
    );
  return rows.map((row) => ({
    id: Number(row.id),
    updatedAt: new Date(toIso(row.updated_at)!),
    teamId: Number(row.team_id),
    contactId: Number(row.contact_id),
    channel: slotChannel(row.channel),
    skills: [
      ...new Set(
        [row.language, ...(fromJson<string[] | null>(row.required_skills) ?? [])]
          .filter(Boolean)
          .map((skill: string) => skill.toLowerCase()),
      ),
    ],
    priority: row.priority,
    queuedAt: new Date(toIso(row.queued_at ?? row.updated_at)!),
  }));
}

/** The available, active agents of a team with their skills, capacities and current loads (as of `at`: live calls). */
export function availableAgents(db: Knex, teamId: number, at = new Date()): Promise<AgentState[]> {
  return agentStates(
    db,
    (query) =>
      query.join('agent_teams as at', 'at.agent_id', 'a.id').where({ 'at.team_id': teamId, 'a.presence': 'available' }),
    at,
  );
}

/** One active agent's state whatever their presence (an agent pulling work is there). */
export async function agentState(db: Knex, agentId: number, at = new Date()): Promise<AgentState | undefined> {
  return (await agentStates(db, (query) => query.where('a.id', agentId), at))[0];
}

/** Active agents' states by id, whatever their presence (the supervisors' live view reads their loads). */
export async function agentStatesOf(db: Knex, agentIds: number[], at = new Date()): Promise<AgentState[]> {
  return agentIds.length === 0 ? [] : agentStates(db, (query) => query.whereIn('a.id', agentIds), at);
}

async function agentStates(
  db: Knex,
  narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  at: Date,
): Promise<AgentState[]> {
  const agents: Array<{ id: number; last_assigned_at: unknown; presence_changed_at: unknown }> = await narrow(
    db('agents as a').where('a.active', true),
  ).select('a.id', 'a.last_assigned_at', 'a.presence_changed_at');
  if (agents.length === 0) return [];
  const ids = agents.map((agent) => Number(agent.id));
  const [skills, capacities, loads, tasks, calls] = await Promise.all([
    db('agent_skills').whereIn('agent_id', ids).select('agent_id', 'skill'),
    db('agent_capacities').whereIn('agent_id', ids).select('agent_id', 'channel', 'capacity'),
    db('tickets')
      .whereIn('assignee_id', ids)
      .whereIn('status', LOAD_STATUSES)
      .groupBy('assignee_id', 'channel')
      .select('assignee_id', 'channel')
      .count({ n: '*' }) as unknown as Promise<Array<{ assignee_id: number; channel: string; n: number | string }>>,
    // A call-back to make takes a voice slot like a call: one phone, one conversation.
    db('tasks')
      .whereIn('assignee_id', ids)
      .whereIn('status', TASK_LOAD_STATUSES)
      .groupBy('assignee_id')
      .select('assignee_id')
      .count({ n: '*' }) as unknown as Promise<Array<{ assignee_id: number; n: number | string }>>,
    // So does a call put through to the agent and not over.
    liveCalls(db, at)
      .whereIn('live.agent_id', ids)
      .groupBy('live.agent_id')
      .select('live.agent_id')
      .count({ n: '*' }) as unknown as Promise<Array<{ agent_id: number; n: number | string }>>,
  ]);
  // Rows grouped by agent once: a team pass over hundreds of agents stays linear.
  const skillsOf = groupBy(skills, (row) => Number(row.agent_id));
  const capacitiesOf = groupBy(capacities, (row) => Number(row.agent_id));
  const loadsOf = groupBy(loads, (row) => Number(row.assignee_id));
  const callbacksOf = new Map(tasks.map((row) => [Number(row.assignee_id), Number(row.n)]));
  const callsOf = new Map(calls.map((row) => [Number(row.agent_id), Number(row.n)]));
  return agents.map((agent) => {
    const id = Number(agent.id);
    const load: Record<string, number> = {};
    for (const row of loadsOf.get(id) ?? [])
      load[slotChannel(row.channel)] = (load[slotChannel(row.channel)] ?? 0) + Number(row.n);
    const conversations = (callbacksOf.get(id) ?? 0) + (callsOf.get(id) ?? 0);
    if (conversations > 0) load.voice = (load.voice ?? 0) + conversations;
    const time = (value: unknown) => (value ? Date.parse(toIso(value)!) : 0);
    return {
      id,
      skills: new Set((skillsOf.get(id) ?? []).map((row) => String(row.skill))),
      capacity: {
        ...DEFAULT_CAPACITY,
        ...Object.fromEntries((capacitiesOf.get(id) ?? []).map((row) => [row.channel, Number(row.capacity)])),
      },
      load,
      idleSince: Math.max(time(agent.last_assigned_at), time(agent.presence_changed_at)),
      lastAssignedAt: time(agent.last_assigned_at),
    };
  });
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/** For each contact, the agent who last handled one of their tickets (for the returning citizen). */
export async function previousAgents(db: Knex, contactIds: number[]): Promise<Map<number, number>> {
  if (contactIds.length === 0) return new Map();
  const rows = await db('tickets')
    .whereIn('contact_id', contactIds)
    .whereNotNull('assignee_id')
    .orderBy('assigned_at', 'desc')
    .select('contact_id', 'assignee_id');
  const previous = new Map<number, number>();
  for (const row of rows)
    if (!previous.has(Number(row.contact_id))) previous.set(Number(row.contact_id), Number(row.assignee_id));
  return previous;
}
