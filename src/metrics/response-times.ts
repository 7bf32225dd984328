import type { Knex } from 'knex';
import { loadCalendar } from '../calendar/calendar-store.js';
import { workingTimeMeter, type Calendar } from '../calendar/working-time.js';
import { toIso } from '../db/rows.js';
import type { Period } from './period.js';
import { distribution, type Distribution } from './percentiles.js';
import { withinScope, type MetricScope } from './metric-scope.js';

/**
 * First-response and resolution times in working minutes of each ticket's team calendar: from the
 * ticket's creation to its first answer, for the tickets first answered in the period; and to its
 * resolution, for the tickets resolved in the period. A month holds tens of thousands of tickets,
 * so the rows are read once (only the three columns needed) and measured here: per calendar, one
 * working-time meter over the span the rows cover (its open intervals listed once), then two
 * binary searches per ticket.
 */
export async function responseTimes(
  db: Knex,
  scope: MetricScope,
  period: Period,
): Promise<{ first_response: Distribution; resolution: Distribution }> {
  const [answered, resolved, calendars] = await Promise.all([
    eventTimes(db, scope, period, 'first_response_at'),
    eventTimes(db, scope, period, 'resolved_at'),
    teamCalendars(db),
  ]);
  const measure = meters([...answered, ...resolved], calendars);
  const minutes = (rows: EventRow[]) => rows.map((row) => Math.max(0, measure(row)));
  return { first_response: distribution(minutes(answered)), resolution: distribution(minutes(resolved)) };
}

/** One meter per calendar, over the earliest to the latest instant of its rows. */
function meters(rows: EventRow[], calendarOf: (teamId: number | null) => Calendar): (row: EventRow) => number {
  const spans = new Map<Calendar, { from: number; to: number }>();
  for (const row of rows) {
    const calendar = calendarOf(row.teamId);
    const span = spans.get(calendar) ?? { from: Infinity, to: -Infinity };
    span.from = Math.min(span.from, row.createdAt.getTime(), row.at.getTime());
    span.to = Math.max(span.to, row.createdAt.getTime(), row.at.getTime());
    spans.set(calendar, span);
  }
  const built = new Map(
    [...spans].map(([calendar, span]) => [
      calendar,
      workingTimeMeter(calendar, new Date(span.from), new Date(span.to)),
    ]),
  );
  return (row) => built.get(calendarOf(row.teamId))!(row.createdAt, row.at);
}

interface EventRow {
  teamId: number | null;
  createdAt: Date;
  at: Date;
}

async function eventTimes(
  db: Knex,
  scope: MetricScope,
  period: Period,
  column: 'first_response_at' | 'resolved_at',
): Promise<EventRow[]> {
  const rows = await withinScope(db('tickets as t'), scope)
    .where(`t.${column}`, '>=', period.from)
    .where(`t.${column}`, '<', period.to)
    .whereNull('t.merged_into_id') // a duplicate merged away is counted in the ticket it joined
    .select('t.team_id', 't.created_at', `t.${column} as at`);
  return rows.map((row: { team_id: unknown; created_at: unknown; at: unknown }) => ({
    teamId: row.team_id == null ? null : Number(row.team_id),
    createdAt: new Date(toIso(row.created_at)!),
    at: new Date(toIso(row.at)!),
  }));
}

/** Each team's calendar (its own or the default), read up front: the lookup is then synchronous. */
async function teamCalendars(db: Knex): Promise<(teamId: number | null) => Calendar> {
  const teams = await db('teams').select('id', 'calendar_id');
  const calendarIds = [...new Set(teams.map((team) => (team.calendar_id == null ? null : Number(team.calendar_id))))];
  const loaded = new Map<number | null, Calendar>();
  await Promise.all([null, ...calendarIds].map(async (id) => loaded.set(id, await loadCalendar(db, id))));
  const calendarOfTeam = new Map<number, Calendar>(
    teams.map((team) => [Number(team.id), loaded.get(team.calendar_id == null ? null : Number(team.calendar_id))!]),
  );
  return (teamId) => (teamId === null ? undefined : calendarOfTeam.get(teamId)) ?? loaded.get(null)!;
}
