import type { Knex } from 'knex';
import { loadCalendar } from '../calendar/calendar-store.js';
import { workingMinutesBetween, type Calendar } from '../calendar/working-time.js';
import { toIso } from '../db/rows.js';
import type { Period } from './period.js';
import { distribution, type Distribution } from './percentiles.js';
import { withinScope, type MetricScope } from './metric-scope.js';

/**
 * First-response and resolution times in working minutes of each ticket's team calendar: from the
 * ticket's creation to its first answer, for the tickets first answered in the period; and to its
 * resolution, for the tickets resolved in the period. A month holds tens of thousands of tickets,
 * so the rows are read once (only the three columns needed) and the arithmetic runs here with the
 * team's calendar, loaded once per team and memoised (its working days cached inside it).
 */
export async function responseTimes(db: Knex, scope: MetricScope, period: Period): Promise<{ first_response: Distribution; resolution: Distribution }> {
  const [answered, resolved, calendars] = await Promise.all([
    eventTimes(db, scope, period, 'first_response_at'),
    eventTimes(db, scope, period, 'resolved_at'),
    teamCalendars(db),
  ]);
  const minutes = (rows: EventRow[]) => rows.map((row) => Math.max(0, workingMinutesBetween(calendars(row.teamId), row.createdAt, row.at)));
  return { first_response: distribution(minutes(answered)), resolution: distribution(minutes(resolved)) };
}

interface EventRow {
  teamId: number | null;
  createdAt: Date;
  at: Date;
}

async function eventTimes(db: Knex, scope: MetricScope, period: Period, column: 'first_response_at' | 'resolved_at'): Promise<EventRow[]> {
  const rows = await withinScope(db('tickets as t'), scope)
    .where(`t.${column}`, '>=', period.from)
    .where(`t.${column}`, '<', period.to)
    .whereNull('t.merged_into_id') // a duplicate merged away is counted in the ticket it joined
    .select('t.team_id', 't.created_at', `t.${column} as at`);
  return rows.map((row: { team_id: unknown; created_at: unknown; at: unknown }) => ({ teamId: row.team_id == null ? null : Number(row.team_id), createdAt: new Date(toIso(row.created_at)!), at: new Date(toIso(row.at)!) }));
}

/** Each team's calendar (its own or the default), read up front: the lookup is then synchronous. */
async function teamCalendars(db: Knex): Promise<(teamId: number | null) => Calendar> {
  const teams = await db('teams').select('id', 'calendar_id');
  const calendarIds = [...new Set(teams.map((team) => (team.calendar_id == null ? null : Number(team.calendar_id))))];
  const loaded = new Map<number | null, Calendar>();
  await Promise.all([null, ...calendarIds].map(async (id) => loaded.set(id, await loadCalendar(db, id))));
  const calendarOfTeam = new Map<number, Calendar>(teams.map((team) => [Number(team.id), loaded.get(team.calendar_id == null ? null : Number(team.calendar_id))!]));
  return (teamId) => (teamId === null ? undefined : calendarOfTeam.get(teamId)) ?? loaded.get(null)!;
}
