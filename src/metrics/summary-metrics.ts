import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { callMetrics } from './call-metrics.js';
import { metricScope, withinScope, type MetricScope } from './metric-scope.js';
import { resolvePeriod, type Period, type PeriodQuery } from './period.js';
import { responseTimes } from './response-times.js';
import { slaCompliance } from './sla-outcomes.js';

/** The label of tickets nobody has categorised yet. */
export const UNCATEGORISED = 'uncategorised';

export type Summary = Awaited<ReturnType<typeof summaryMetrics>>;

/**
 * The supervisor's summary of a period: volumes, response times in working minutes, SLA
 * compliance and breaches, reopened tickets, and the voice channel's call figures. Each part is an
 * indexed read of the period's rows (migration 0016), independent of the others.
 */
export async function summaryMetrics(db: Knex, viewer: AuthenticatedAgent, query: PeriodQuery, now: Date) {
  const scope = await metricScope(db, viewer, query);
  const period = await resolvePeriod(db, query, now);
  const [volumes, times, sla, reopened, calls] = await Promise.all([
    ticketVolumes(db, scope, period),
    responseTimes(db, scope, period),
    slaCompliance(db, scope, period),
    reopenedCount(db, scope, period),
    callMetrics(db, scope, period, now),
  ]);
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    teams: scope.teamIds,
    channels: scope.channels,
    volumes,
    first_response_minutes: times.first_response,
    resolution_minutes: times.resolution,
    sla,
    breaches: Object.values(sla).reduce((sum, kind) => sum + kind.breaches, 0),
    reopened,
    calls,
  };
}

/** Tickets created in the period, by channel and by category (merged duplicates left out). */
async function ticketVolumes(db: Knex, scope: MetricScope, period: Period) {
  const rows: Array<{ channel: string; category: string | null; n: number | string }> = await withinScope(
    db('tickets as t'),
    scope,
  )
    .where('t.created_at', '>=', period.from)
    .where('t.created_at', '<', period.to)
    .whereNull('t.merged_into_id')
    .groupBy('t.channel', 't.category')
    .select('t.channel', 't.category')
    .count({ n: '*' });
  const byChannel: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    byChannel[row.channel] = (byChannel[row.channel] ?? 0) + n;
    const category = row.category ?? UNCATEGORISED;
    byCategory[category] = (byCategory[category] ?? 0) + n;
  }
  return { total, by_channel: sorted(byChannel), by_category: sorted(byCategory) };
}

/** Reopenings in the period (a ticket reopened twice counts twice). */
async function reopenedCount(db: Knex, scope: MetricScope, period: Period): Promise<number> {
  const row = await withinScope(db('ticket_events as e').join('tickets as t', 't.id', 'e.ticket_id'), scope)
    .where('e.type', 'reopened')
    .where('e.created_at', '>=', period.from)
    .where('e.created_at', '<', period.to)
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

const sorted = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
