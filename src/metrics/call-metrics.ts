import type { Knex } from 'knex';
import type { Period } from './period.js';
import type { MetricScope } from './metric-scope.js';

export interface CallFigures {
  /** Inbound calls started in the period that the citizen hung up before being served. */
  abandoned: number;
  /** Call-backs completed (status done) in the period. */
  callbacks_done: number;
  /** Call-backs given up as unreachable in the period. */
  callbacks_unreachable: number;
  /** Call-backs still to make (open or being dialled), created before the period's end. */
  callbacks_pending: number;
  /** Of those pending, the ones already past their due time now. */
  callbacks_overdue: number;
}

/**
 * The voice channel's figures; null when the channel filter leaves voice out. A call has no team
 * of its own: with a team scope, an abandoned call counts for the team of the call-back task made
 * of it.
 */
export async function callMetrics(
  db: Knex,
  scope: MetricScope,
  period: Period,
  now: Date,
): Promise<CallFigures | null> {
  if (scope.channels && !scope.channels.includes('voice')) return null;

  const callbacks = () => {
    const query = db('tasks as k').where('k.kind', 'callback');
    if (scope.teamIds) query.whereIn('k.team_id', scope.teamIds);
    return query;
  };
  const abandoned = db('calls as c')
    .where({ 'c.direction': 'inbound', 'c.outcome': 'abandoned' })
    .where('c.started_at', '>=', period.from)
    .where('c.started_at', '<', period.to);
  if (scope.teamIds) abandoned.whereIn('c.task_id', db('tasks').whereIn('team_id', scope.teamIds).select('id'));
  const count = async (query: Knex.QueryBuilder) => Number((await query.count({ n: '*' }).first())?.n ?? 0);
  const closedIn = (status: string) =>
    callbacks().where('k.status', status).where('k.closed_at', '>=', period.from).where('k.closed_at', '<', period.to);
  const pending = () => callbacks().whereIn('k.status', ['open', 'calling']).where('k.created_at', '<', period.to);

  const [abandonedCalls, done, unreachable, pendingCount, overdue] = await Promise.all([
    count(abandoned),
    count(closedIn('done')),
    count(closedIn('unreachable')),
    count(pending()),
    count(pending().where('k.due_at', '<=', now)),
  ]);
  return {
    abandoned: abandonedCalls,
    callbacks_done: done,
    callbacks_unreachable: unreachable,
    callbacks_pending: pendingCount,
    callbacks_overdue: overdue,
  };
}
