import type { Knex } from 'knex';
import { CLOCK_KINDS, type ClockKind } from '../sla/policies.js';
import type { Period } from './period.js';
import { withinScope, type MetricScope } from './metric-scope.js';

export interface KindCompliance {
  /** Clocks of this kind stopped in the period that met their target. */
  met: number;
  /** Clocks of this kind stopped in the period that had breached it. */
  breached: number;
  /** met / (met + breached) × 100, to a tenth; null when no clock of this kind stopped. */
  percent_met: number | null;
  /** Clocks of this kind that breached in the period (breached_at in it), stopped since or not. */
  breaches: number;
}

/**
 * SLA compliance per clock kind: of the clocks stopped in the period (a cancelled one, stopped
 * because its ticket no longer needed it, counts for neither side), how many met their target;
 * and how many clocks breached in the period.
 */
export async function slaCompliance(
  db: Knex,
  scope: MetricScope,
  period: Period,
): Promise<Record<ClockKind, KindCompliance>> {
  const clocks = () => withinScope(db('sla_clocks as c').join('tickets as t', 't.id', 'c.ticket_id'), scope);
  const [outcomes, breaches] = await Promise.all([
    clocks()
      .where('c.stopped_at', '>=', period.from)
      .where('c.stopped_at', '<', period.to)
      .whereIn('c.outcome', ['met', 'breached'])
      .groupBy('c.kind', 'c.outcome')
      .select('c.kind', 'c.outcome')
      .count({ n: '*' }),
    clocks()
      .where('c.breached_at', '>=', period.from)
      .where('c.breached_at', '<', period.to)
      .groupBy('c.kind')
      .select('c.kind')
      .count({ n: '*' }),
  ]);
  const result = Object.fromEntries(
    CLOCK_KINDS.map((kind) => [kind, { met: 0, breached: 0, percent_met: null, breaches: 0 } as KindCompliance]),
  ) as Record<ClockKind, KindCompliance>;
  for (const row of outcomes as Array<{ kind: string; outcome: 'met' | 'breached'; n: number | string }>) {
    const entry = result[row.kind as ClockKind];
    if (entry) entry[row.outcome] = Number(row.n);
  }
  for (const row of breaches as Array<{ kind: string; n: number | string }>) {
    const entry = result[row.kind as ClockKind];
    if (entry) entry.breaches = Number(row.n);
  }
  for (const entry of Object.values(result)) {
    const stopped = entry.met + entry.breached;
    entry.percent_met = stopped === 0 ? null : Math.round((entry.met / stopped) * 1000) / 10;
  }
  return result;
}

export type ClockOutcome = 'met' | 'breached' | 'running' | 'none';

/**
 * A ticket's outcome for one clock kind over all its cycles (next_response runs once per citizen
 * message): breached if any cycle breached; else running if one runs; else met if one met; none
 * when the kind never ran (or was only ever cancelled).
 */
export function combineOutcomes(
  cycles: Array<{ outcome: string | null; breached: boolean; running: boolean }>,
): ClockOutcome {
  if (cycles.some((cycle) => cycle.breached || cycle.outcome === 'breached')) return 'breached';
  if (cycles.some((cycle) => cycle.running)) return 'running';
  if (cycles.some((cycle) => cycle.outcome === 'met')) return 'met';
  return 'none';
}

/** Per ticket id, its outcome per clock kind (kinds it never had are 'none'). */
export async function ticketOutcomes(
  db: Knex,
  ticketIds: number[],
): Promise<Map<number, Record<ClockKind, ClockOutcome>>> {
  const rows =
    ticketIds.length === 0
      ? []
      : await db('sla_clocks')
          .whereIn('ticket_id', ticketIds)
          .select('ticket_id', 'kind', 'outcome', 'breached_at', 'stopped_at');
  const cycles = new Map<string, Array<{ outcome: string | null; breached: boolean; running: boolean }>>();
  for (const row of rows) {
    const key = `${row.ticket_id}:${row.kind}`;
    cycles.set(key, [
      ...(cycles.get(key) ?? []),
      { outcome: row.outcome, breached: row.breached_at != null, running: row.stopped_at == null },
    ]);
  }
  return new Map(
    ticketIds.map((id) => [
      id,
      Object.fromEntries(
        CLOCK_KINDS.map((kind) => [kind, combineOutcomes(cycles.get(`${id}:${kind}`) ?? [])]),
      ) as Record<ClockKind, ClockOutcome>,
    ]),
  );
}
