import type { Knex } from 'knex';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { isOpen, nextOpening } from '../calendar/working-time.js';

/** What the widget shows of the front desk's hours: open now, and when it opens next if not. */
export interface ChatHours {
  open: boolean;
  timeZone: string;
  /** The calendar's weekly hours, local times ("07:30"-"16:00") by weekday. */
  weekly: Record<string, ReadonlyArray<readonly [string, string]>>;
  /** When closed: the next opening, ISO 8601; null when open. */
  nextOpening: string | null;
}

/**
 * The chat is staffed in the front-desk team's working hours (its calendar, holidays included).
 * Outside them the widget says so and still takes a message: it becomes a ticket all the same.
 */
export async function chatHours(db: Knex, at: Date): Promise<ChatHours> {
  const team = await db('teams').where({ slug: 'front-desk' }).first('id');
  const calendar = await loadTeamCalendar(db, team ? Number(team.id) : null);
  const open = isOpen(calendar, at);
  let next: string | null = null;
  if (!open) {
    try {
      next = nextOpening(calendar, at).toISOString();
    } catch {
      next = null; // a calendar that never opens again: no promise to make
    }
  }
  return { open, timeZone: calendar.timeZone, weekly: { ...calendar.weeklyHours }, nextOpening: next };
}
