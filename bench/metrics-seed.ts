import { hashPassword } from '../src/auth/passwords.js';
import { isPostgres, type Knex } from '../src/db/knex.js';
import type { ListingSeed } from './listing-seed.js';
import { begin } from './progress.js';

/**
 * What the supervisor's view reads beyond the listing seed's million tickets: SLA clocks for the
 * last 60 days (a first-response clock per answered ticket, a resolution clock per resolved one;
 * about one in ten breached), the nearest deadline and warning on every active ticket (the older
 * ones past it), "reopened" events on 2% of the period's tickets, and a supervisor who can log in
 * (the front desk's). Inserted with `insert … select` from the tickets, as the listing seed does.
 */

export interface MetricsSeed {
  clocks: number;
  reopened: number;
  activeWithDeadline: number;
  seconds: number;
  supervisor: { email: string; password: string };
}

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 60;

export async function seedMetricsData(db: Knex, listing: ListingSeed): Promise<MetricsSeed> {
  const started = Date.now();
  const pg = isPostgres(db);
  /** `column` + ms as a timestamp on either database (SQLite keeps epoch milliseconds). */
  const plus = (column: string, ms: string | number) =>
    pg ? `(${column} + (${ms}) * interval '1 millisecond')` : `(${column} + ${ms})`;
  /** 0..m-1 from the ticket id, the same on both databases. */
  const hash = (m: number, salt = 1103515245) => `((cast(t.id as bigint) * ${salt}) % 2147483647 % ${m})`;
  const since = new Date(Date.now() - WINDOW_DAYS * DAY_MS);

  let shown = begin('first-response clocks');
  await db.raw(
    `insert into sla_clocks (ticket_id, kind, target_unit, target_value, extension_days, started_at, due_at, warn_at, paused_minutes, breached_at, stopped_at, outcome, updated_at) ` +
      `select t.id, 'first_response', 'minutes', 60, 0, t.created_at, ${plus('t.created_at', 3_600_000)}, ${plus('t.created_at', 2_880_000)}, 0, ` +
      `case when ${hash(10)} = 0 then ${plus('t.created_at', 3_600_000)} else null end, t.first_response_at, ` +
      `case when ${hash(10)} = 0 then 'breached' else 'met' end, t.first_response_at ` +
      `from tickets t where t.created_at >= ? and t.first_response_at is not null`,
    [since],
  );
  shown.end();
  shown = begin('resolution clocks');
  await db.raw(
    `insert into sla_clocks (ticket_id, kind, target_unit, target_value, extension_days, started_at, due_at, warn_at, paused_minutes, breached_at, stopped_at, outcome, updated_at) ` +
      `select t.id, 'resolution', 'days', 3, 0, t.created_at, ${plus('t.created_at', 3 * DAY_MS)}, ${plus('t.created_at', 2 * DAY_MS)}, 0, ` +
      `case when ${hash(10, 1664525013)} = 0 then ${plus('t.created_at', 3 * DAY_MS)} else null end, t.resolved_at, ` +
      `case when ${hash(10, 1664525013)} = 0 then 'breached' else 'met' end, t.resolved_at ` +
      `from tickets t where t.created_at >= ? and t.resolved_at is not null`,
    [since],
  );
  shown.end();
  shown = begin('deadlines of active tickets, reopenings');
  // Active tickets: the nearest deadline two days after creation, its warning a day before.
  const activeWithDeadline = Number(
    await db('tickets')
      .whereIn('status', ['new', 'open', 'pending_citizen', 'pending_agency'])
      .update({ sla_due_at: db.raw(plus('created_at', 2 * DAY_MS)), sla_warn_at: db.raw(plus('created_at', DAY_MS)) }),
  );
  await db.raw(
    `insert into ticket_events (ticket_id, type, actor_type, data, created_at) ` +
      `select t.id, 'reopened', 'citizen', '{}', ${plus('t.created_at', 2 * DAY_MS)} from tickets t where t.created_at >= ? and ${hash(50, 1957747793)} = 0`,
    [since],
  );
  // The front desk's supervisor (agent0, the first of its 20) gets a password.
  const supervisor = { email: 'agent0@bench.example', password: listing.admin.password };
  await db('agents')
    .where({ email: supervisor.email })
    .update({ password_hash: await hashPassword(supervisor.password) });

  shown.end();
  shown = begin(pg ? 'analyze' : 'checkpoint');
  if (pg) await db.raw('analyze');
  else await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  shown.end();
  const clocks = Number((await db('sla_clocks').count({ n: '*' }).first())?.n ?? 0);
  const reopened = Number((await db('ticket_events').where({ type: 'reopened' }).count({ n: '*' }).first())?.n ?? 0);
  return { clocks, reopened, activeWithDeadline, seconds: (Date.now() - started) / 1000, supervisor };
}
