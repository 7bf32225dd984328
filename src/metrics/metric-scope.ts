import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { ForbiddenError } from '../errors.js';

/**
 * Which teams' numbers a viewer gets. Admins: every team, or the teams they ask for. Supervisors:
 * their own teams, or those of them they ask for; asking for another team is a 403 (the numbers
 * of a team are not secret the way a ticket is, so its existence need not be hidden). Agents never
 * get here (the routes require a supervisor or an admin).
 */
export interface MetricScope {
  /** null: every team, and tickets without a team too (admins only). */
  teamIds: number[] | null;
  channels: string[] | null;
}

export async function metricScope(
  db: Knex,
  viewer: AuthenticatedAgent,
  requested: { team?: number[]; channel?: string[] },
): Promise<MetricScope> {
  const channels = requested.channel?.length ? [...new Set(requested.channel)] : null;
  const asked = requested.team?.length ? [...new Set(requested.team)] : null;
  if (viewer.role === 'admin') return { teamIds: asked, channels };
  if (viewer.role !== 'supervisor') throw new ForbiddenError('Metrics are for supervisors and admins');
  const own = (await db('agent_teams').where({ agent_id: viewer.id }).pluck('team_id')).map(Number);
  if (!asked) return { teamIds: own, channels };
  const foreign = asked.filter((team) => !own.includes(team));
  if (foreign.length > 0) throw new ForbiddenError(`Not a team of yours: ${foreign.join(', ')}`);
  return { teamIds: asked, channels };
}

/**
 * Narrows a query on tickets (aliased `alias`) to the scope. Confidential tickets stay in: they
 * count in every number, and no metric shows a subject.
 */
export function withinScope(query: Knex.QueryBuilder, scope: MetricScope, alias = 't'): Knex.QueryBuilder {
  if (scope.teamIds) query.whereIn(`${alias}.team_id`, scope.teamIds);
  if (scope.channels) query.whereIn(`${alias}.channel`, scope.channels);
  return query;
}
