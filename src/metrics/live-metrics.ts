import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { toIso } from '../db/rows.js';
import { agentStatesOf, WAITING_STATUSES } from '../routing/routing-state.js';
import { ACTIVE_STATUSES } from '../tickets/ticket-statuses.js';
import { metricScope, withinScope, type MetricScope } from './metric-scope.js';

/** One team's active work on one channel (or on all, for the team's totals). */
export interface QueueFigures {
  /** Unassigned tickets in the team's queue (the statuses routing hands out). */
  waiting: number;
  /** now − the oldest waiting ticket's entry in the queue; null when none waits. */
  longest_waiting_seconds: number | null;
  /** Active tickets with an assignee, whatever their status. */
  assigned: number;
  pending_citizen: number;
  pending_agency: number;
  /** Active tickets whose nearest SLA deadline has passed (sla_due_at ≤ now). */
  breached: number;
  /** Active tickets past their warning instant but not yet breached. */
  warning: number;
}

export interface LiveAgent {
  id: number;
  name: string;
  role: string;
  presence: string;
  presence_since: string | null;
  presence_seconds: number | null;
  team_ids: number[];
  channels: Array<{ channel: string; load: number; capacity: number }>;
}

const EMPTY: Omit<QueueFigures, 'longest_waiting_seconds'> = {
  waiting: 0,
  assigned: 0,
  pending_citizen: 0,
  pending_agency: 0,
  breached: 0,
  warning: 0,
};
const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * The live view: per team and channel, what waits and for how long, what is assigned or pending,
 * and what has breached its SLA or is about to; per agent, presence and load against capacity.
 * One grouped read of the active tickets (a few percent of all tickets) and one of the agents.
 */
export async function liveMetrics(db: Knex, viewer: AuthenticatedAgent, requested: { team?: number[] }, now: Date) {
  const scope = await metricScope(db, viewer, requested);
  const teams = await teamsOf(db, scope);
  // The tickets' numbers and the agents' are independent reads: on PostgreSQL they run side by side.
  const [rows, agents] = await Promise.all([
    activeTicketFigures(db, scope, now),
    liveAgents(
      db,
      teams.map((team) => team.id),
      now,
    ),
  ]);
  const waitedSeconds = (oldest: unknown) =>
    oldest == null ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(toIso(oldest)!)) / 1000));

  const byTeam = new Map<number, { channels: Array<QueueFigures & { channel: string }>; totals: QueueFigures }>();
  for (const team of teams) byTeam.set(team.id, { channels: [], totals: { ...EMPTY, longest_waiting_seconds: null } });
  for (const row of rows) {
    const entry = row.team_id == null ? undefined : byTeam.get(Number(row.team_id));
    if (!entry) continue; // a ticket without a team, or of a team made inactive: in no team's queue
    const figures: QueueFigures = {
      waiting: Number(row.waiting),
      longest_waiting_seconds: waitedSeconds(row.oldest_queued_at),
      assigned: Number(row.assigned),
      pending_citizen: Number(row.pending_citizen),
      pending_agency: Number(row.pending_agency),
      breached: Number(row.breached),
      warning: Number(row.warning),
    };
    entry.channels.push({ channel: row.channel, ...figures });
    for (const key of Object.keys(EMPTY) as Array<keyof typeof EMPTY>) entry.totals[key] += figures[key];
    const longest = Math.max(entry.totals.longest_waiting_seconds ?? -1, figures.longest_waiting_seconds ?? -1);
    entry.totals.longest_waiting_seconds = longest < 0 ? null : longest;
  }

  return {
    at: now.toISOString(),
    teams: teams.map((team) => {
      const entry = byTeam.get(team.id)!;
      return {
        team_id: team.id,
        slug: team.slug,
        name: team.name,
        totals: entry.totals,
        channels: entry.channels.sort((a, b) => a.channel.localeCompare(b.channel)),
      };
    }),
    agents,
  };
}

/** The active tickets grouped by team and channel, with every count of QueueFigures (one pass over the covering index). */
function activeTicketFigures(db: Knex, scope: MetricScope, now: Date): Promise<Array<Record<string, any>>> {
  return withinScope(db('tickets as t').whereIn('t.status', ACTIVE_STATUSES), scope)
    .groupBy('t.team_id', 't.channel')
    .select('t.team_id', 't.channel')
    .select(
      db.raw(
        `sum(case when t.assignee_id is null and t.status in (${list(WAITING_STATUSES)}) then 1 else 0 end) as waiting`,
      ),
      db.raw(
        `min(case when t.assignee_id is null and t.status in (${list(WAITING_STATUSES)}) then coalesce(t.queued_at, t.created_at) end) as oldest_queued_at`,
      ),
      db.raw('sum(case when t.assignee_id is not null then 1 else 0 end) as assigned'),
      db.raw("sum(case when t.status = 'pending_citizen' then 1 else 0 end) as pending_citizen"),
      db.raw("sum(case when t.status = 'pending_agency' then 1 else 0 end) as pending_agency"),
      db.raw('sum(case when t.sla_due_at <= ? then 1 else 0 end) as breached', [now]),
      db.raw(
        'sum(case when t.sla_warn_at <= ? and (t.sla_due_at is null or t.sla_due_at > ?) then 1 else 0 end) as warning',
        [now, now],
      ),
    );
}

async function teamsOf(db: Knex, scope: MetricScope): Promise<Array<{ id: number; slug: string; name: string }>> {
  const query = db('teams').where({ active: true }).orderBy('id').select('id', 'slug', 'name');
  if (scope.teamIds) query.whereIn('id', scope.teamIds);
  return (await query).map((team) => ({ id: Number(team.id), slug: team.slug, name: team.name }));
}

/** The active agents of the teams shown, with presence and, per channel, load against capacity. */
async function liveAgents(db: Knex, teamIds: number[], now: Date): Promise<LiveAgent[]> {
  if (teamIds.length === 0) return [];
  const memberships = await db('agent_teams as at')
    .join('agents as a', 'a.id', 'at.agent_id')
    .where('a.active', true)
    .whereIn('at.team_id', teamIds)
    .select('at.agent_id', 'at.team_id');
  const teamsByAgent = new Map<number, number[]>();
  for (const row of memberships)
    teamsByAgent.set(Number(row.agent_id), [...(teamsByAgent.get(Number(row.agent_id)) ?? []), Number(row.team_id)]);
  const ids = [...teamsByAgent.keys()];
  const [agents, states] = await Promise.all([
    ids.length === 0
      ? []
      : db('agents').whereIn('id', ids).orderBy('id').select('id', 'name', 'role', 'presence', 'presence_changed_at'),
    agentStatesOf(db, ids),
  ]);
  const stateOf = new Map(states.map((state) => [state.id, state]));
  return agents.map((agent) => {
    const id = Number(agent.id);
    const state = stateOf.get(id);
    const since = toIso(agent.presence_changed_at);
    return {
      id,
      name: agent.name,
      role: agent.role,
      presence: agent.presence,
      presence_since: since,
      presence_seconds: since === null ? null : Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000)),
      team_ids: teamsByAgent.get(id)!.sort((a, b) => a - b),
      channels: Object.entries(state?.capacity ?? {})
        .map(([channel, capacity]) => ({ channel, load: state?.load[channel] ?? 0, capacity }))
        .sort((a, b) => a.channel.localeCompare(b.channel)),
    };
  });
}
