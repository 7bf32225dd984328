import type { Knex } from 'knex';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { type Calendar, isOpen, workingMinutesBetween } from '../calendar/working-time.js';
import { toIso } from '../db/rows.js';

/** What a console needs to count a ticket's next deadline down, beyond `sla.state` and `sla.due_at`. */
export interface SlaCountdown {
  /** The clock whose deadline is nearest (`first_response`, `resolution`...), null with none running. */
  kind: string | null;
  /** Working minutes (team calendar) from now to that deadline; negative once it has passed. */
  working_minutes_left: number | null;
  /** Whether the team's calendar is open now, i.e. whether the countdown moves (it stands still at night). */
  working_now: boolean;
  /** A clock is paused (waiting on the citizen): its deadline is suspended, not counted. */
  paused: boolean;
}

/**
 * The countdown of each ticket's next SLA deadline, for one page of tickets: one query over their
 * unfinished clocks, the team calendars from the calendar store's cache. Read-only: clocks are moved
 * by src/sla, this only reads the rows it wrote (tickets know no SLA code, only its table).
 */
export async function slaCountdowns(
  db: Knex,
  tickets: ReadonlyArray<{ id: number; team_id: number | null }>,
  at: Date,
): Promise<Map<number, SlaCountdown>> {
  const answer = new Map<number, SlaCountdown>();
  if (tickets.length === 0) return answer;
  const clocks = await db('sla_clocks')
    .whereIn(
      'ticket_id',
      tickets.map((ticket) => ticket.id),
    )
    .whereNull('stopped_at')
    .select('ticket_id', 'kind', 'due_at', 'paused_at');
  const calendars = new Map<number | null, Promise<Calendar | undefined>>();
  const calendarOf = (teamId: number | null) => {
    let calendar = calendars.get(teamId);
    if (!calendar) {
      // A team deleted meanwhile: no countdown rather than a failed list.
      calendar = loadTeamCalendar(db, teamId).catch(() => undefined);
      calendars.set(teamId, calendar);
    }
    return calendar;
  };
  await Promise.all(
    tickets.map(async (ticket) => {
      const own = clocks.filter((clock) => Number(clock.ticket_id) === ticket.id);
      let next: { kind: string; due: Date } | undefined;
      for (const clock of own) {
        const due = toIso(clock.due_at);
        if (clock.paused_at != null || due === null) continue;
        if (!next || Date.parse(due) < next.due.getTime()) next = { kind: String(clock.kind), due: new Date(due) };
      }
      const calendar = await calendarOf(ticket.team_id);
      const minutes = next && calendar ? safely(() => workingMinutesBetween(calendar, at, next.due)) : undefined;
      answer.set(ticket.id, {
        kind: next?.kind ?? null,
        working_minutes_left: minutes === undefined ? null : Math.round(minutes * 100) / 100,
        working_now: calendar ? (safely(() => isOpen(calendar, at)) ?? false) : false,
        paused: own.some((clock) => clock.paused_at != null),
      });
    }),
  );
  return answer;
}

/** A calendar that never opens throws (CalendarError, RangeError): the list shows no countdown instead. */
function safely<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}
