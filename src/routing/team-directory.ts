import type { Knex } from 'knex';
import { insertReturningId, isUniqueViolation, toIso } from '../db/rows.js';
import { NotFoundError, UnprocessableError } from '../errors.js';

export const ROUTING_STRATEGIES = ['longest_idle', 'least_busy', 'round_robin', 'pull'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

export interface TeamInput {
  slug: string;
  name: string;
  description?: string | null;
  routing_strategy?: RoutingStrategy;
  /** null or omitted: the default calendar. */
  calendar_id?: number | null;
}

export type TeamPatch = Partial<Omit<TeamInput, 'slug'>> & { active?: boolean };

/** The front desk and each agency (OPD): every agent may list them, to dispose tickets to one. */
export async function listTeams(db: Knex) {
  const rows = await db('teams').orderBy('id');
  return rows.map(describeTeam);
}

export async function getTeam(db: Knex, id: number) {
  const row = await db('teams').where({ id }).first();
  if (!row) throw new NotFoundError('Team');
  return describeTeam(row);
}

export async function createTeam(db: Knex, input: TeamInput, now: Date): Promise<number> {
  await checkCalendar(db, input.calendar_id);
  try {
    return await insertReturningId(db, 'teams', {
      slug: input.slug,
      name: input.name,
      description: input.description ?? null,
      routing_strategy: input.routing_strategy ?? 'longest_idle',
      calendar_id: input.calendar_id ?? null,
      active: true,
      created_at: now,
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new UnprocessableError('slug_taken', `A team with the slug ${input.slug} exists already`);
    throw error;
  }
}

export async function updateTeam(db: Knex, id: number, patch: TeamPatch): Promise<void> {
  await checkCalendar(db, patch.calendar_id);
  const changed = await db('teams')
    .where({ id })
    .update(Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)));
  if (changed === 0) throw new NotFoundError('Team');
}

/** A 422 naming the calendar, rather than a foreign-key failure. */
async function checkCalendar(db: Knex, calendarId: number | null | undefined): Promise<void> {
  if (calendarId == null) return;
  const calendar = await db('calendars').where({ id: calendarId }).first('id');
  if (!calendar) throw new UnprocessableError('unknown_calendar', `There is no calendar ${calendarId}`);
}

function describeTeam(row: Record<string, any>) {
  return {
    id: Number(row.id),
    slug: row.slug,
    name: row.name,
    description: row.description,
    routing_strategy: row.routing_strategy,
    calendar_id: row.calendar_id == null ? null : Number(row.calendar_id),
    active: Boolean(row.active),
    created_at: toIso(row.created_at),
  };
}
