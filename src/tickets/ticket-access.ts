import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { NotFoundError } from '../errors.js';

/**
 * What an agent may see: admins everything; others the tickets of their teams, and a confidential
 * ticket only when it is assigned to them (supervisors see their teams' confidential tickets).
 * Expects the tickets table aliased as `t`. The teams are a subquery, or, given as `teamIds`
 * (visibleToTeamsOf), values in the query.
 */
export function visibleTo(
  query: Knex.QueryBuilder,
  db: Knex,
  agent: AuthenticatedAgent,
  teamIds?: number[],
): Knex.QueryBuilder {
  if (agent.role === 'admin') return query;
  if (teamIds === undefined)
    query.whereIn('t.team_id', db('agent_teams').where({ agent_id: agent.id }).select('team_id'));
  else if (teamIds.length === 1) query.where('t.team_id', teamIds[0]);
  else query.whereIn('t.team_id', teamIds); // none: knex writes a condition nothing meets
  if (agent.role === 'agent') {
    query.where((inner) => inner.where('t.confidential', false).orWhere('t.assignee_id', agent.id));
  }
  return query;
}

/**
 * visibleTo with the agent's teams read first and written into the query as values: the planner
 * then knows the team and walks its (team_id, id) index newest first, stopping at the page's end,
 * where a subquery made SQLite read and sort every ticket of the team (0.9 s at a million).
 * For lists; one ticket's check keeps the subquery (one snapshot, and nothing to sort).
 */
export async function visibleToTeamsOf(
  query: Knex.QueryBuilder,
  db: Knex,
  agent: AuthenticatedAgent,
): Promise<Knex.QueryBuilder> {
  if (agent.role === 'admin') return query;
  const teamIds = (await db('agent_teams').where({ agent_id: agent.id }).pluck('team_id')).map(Number);
  return visibleTo(query, db, agent, teamIds);
}

export interface AccessibleTicket {
  id: number;
  reference: string;
  contact_id: number;
  channel: string;
  status: string;
  subject: string | null;
  team_id: number | null;
  assignee_id: number | null;
  first_response_at: unknown;
}

/** The ticket if the agent may act on it; 404 otherwise, so that existence does not leak. */
export async function findAccessibleTicket(
  db: Knex | Knex.Transaction,
  agent: AuthenticatedAgent,
  id: number,
): Promise<AccessibleTicket> {
  const row = await visibleTo((db as Knex)('tickets as t').where('t.id', id), db as Knex, agent).first(
    't.id',
    't.reference',
    't.contact_id',
    't.channel',
    't.status',
    't.subject',
    't.team_id',
    't.assignee_id',
    't.first_response_at',
  );
  if (!row) throw new NotFoundError('Ticket');
  const idOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    ...row,
    id: Number(row.id),
    contact_id: Number(row.contact_id),
    team_id: idOrNull(row.team_id),
    assignee_id: idOrNull(row.assignee_id),
  };
}
