import type { Knex } from 'knex';
import type { Calendar } from '../calendar/calendar.js';
import { loadCalendar } from '../calendar/calendar-store.js';
import { workingMinutesBetween } from '../calendar/working-time.js';
import { isPostgres } from '../db/knex.js';
import { insertInChunks } from '../db/insert-chunks.js';
import { toIso } from '../db/rows.js';
import { appendEvents, type TicketEventInput } from '../tickets/events.js';
import { decideClock, type ClockFact, type ClockState } from './clock-rules.js';
import { clockDeadlines, outcomeAt } from './deadlines.js';
import { CLOCK_KINDS, choosePolicy, loadPolicies, type ClockKind, type SlaPolicy, type Target } from './policies.js';
import type { TimerChange } from './timer-change.js';

export type { ClockFact } from './clock-rules.js';

export interface ClockSyncRequest {
  ticketId: number;
  facts?: readonly ClockFact[];
}

interface Clock extends ClockState {
  ticketId: number;
  policyId: number | null;
  target: Target;
  extensionDays: number;
  warnAt: Date | null;
  warnedAt: Date | null;
  /** The pending stages before this sync, for moving the clock's timers. */
  before: TimerChange['previous'];
  changed: boolean;
}

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(toIso(value)!));
const FINISHED = new Set(['resolved', 'closed']);

/**
 * Brings the SLA clocks of these tickets in line with what the tickets are now and what just
 * happened to them (see clock-rules.ts), inside the caller's transaction: clocks start, stop,
 * pause, resume or change target, their deadlines follow the team's calendar and the policy, each
 * stop is an event with its outcome, and the ticket keeps its nearest deadline for lists. Returns
 * the clocks whose timers must move, to hand to SlaTimers once committed. Set-based: a handful of
 * statements whatever the number of tickets (the inbound worker calls it per group).
 *
 * `db` is the database behind `trx`: cached policies and calendars are kept per database.
 */
export async function syncClocks(
  trx: Knex.Transaction,
  db: Knex,
  requests: readonly ClockSyncRequest[],
  at: Date,
): Promise<TimerChange[]> {
  if (requests.length === 0) return [];
  const ticketIds = [...new Set(requests.map((request) => request.ticketId))];
  const facts = new Map<number, Set<ClockFact>>();
  for (const request of requests)
    facts.set(request.ticketId, new Set([...(facts.get(request.ticketId) ?? []), ...(request.facts ?? [])]));

  // One after the other: a transaction is one connection.
  const tickets = await trx('tickets as t')
    .leftJoin('teams as tm', 'tm.id', 't.team_id')
    .whereIn('t.id', ticketIds)
    .select(
      't.id',
      't.status',
      't.category',
      't.priority',
      't.channel',
      't.created_at',
      't.first_response_at',
      't.merged_into_id',
      't.sla_due_at',
      't.sla_warn_at',
      't.sla_policy_id',
      'tm.calendar_id',
    );
  const rows = await trx('sla_clocks').whereIn('ticket_id', ticketIds).orderBy('id').select();
  const policies = await loadPolicies(db, trx);
  const clocksOf = new Map<number, Clock[]>();
  for (const row of rows)
    clocksOf.set(Number(row.ticket_id), [...(clocksOf.get(Number(row.ticket_id)) ?? []), clockFromRow(row)]);
  const calendars = new Map<number | null, Calendar>();
  for (const calendarId of new Set(
    tickets.map((ticket) => (ticket.calendar_id == null ? null : Number(ticket.calendar_id))),
  )) {
    calendars.set(calendarId, await loadCalendar(db, calendarId, trx));
  }

  const touched: Clock[] = [];
  const events: TicketEventInput[] = [];
  const ticketUpdates: Array<{ id: number; due: Date | null; warn: Date | null; policyId: number | null }> = [];
  for (const ticket of tickets) {
    const ticketId = Number(ticket.id);
    const calendar = calendars.get(ticket.calendar_id == null ? null : Number(ticket.calendar_id))!;
    const policy = choosePolicy(policies, {
      category: ticket.category ?? null,
      priority: ticket.priority,
      channel: ticket.channel,
    });
    const view = {
      status: ticket.status,
      finished: FINISHED.has(ticket.status) || ticket.merged_into_id !== null,
      merged: ticket.merged_into_id !== null,
      createdAt: date(ticket.created_at)!,
      firstResponseAt: date(ticket.first_response_at),
    };
    const clocks = clocksOf.get(ticketId) ?? [];
    for (const kind of CLOCK_KINDS) {
      const target = policy?.targets[kind];
      const ofKind = clocks.filter((clock) => clock.kind === kind);
      for (const step of decideClock(kind, view, facts.get(ticketId)!, target, ofKind)) {
        const running = ofKind.find((clock) => clock.stoppedAt === null);
        switch (step.step) {
          case 'start': {
            const clock = newClock(ticketId, kind, policy!, target!, step.at === 'created' ? view.createdAt : at);
            ofKind.push(clock);
            clocks.push(clock);
            break;
          }
          case 'stop':
          case 'cancel': {
            const clock = running!;
            clock.outcome =
              step.step === 'cancel'
                ? 'cancelled'
                : outcomeAt(clock.pausedAt ? null : clock.dueAt, clock.breachedAt, at);
            clock.stoppedAt = at;
            if (clock.pausedAt) resume(calendar, clock, at);
            clock.changed = true;
            if (clock.id !== undefined)
              events.push({
                ticketId,
                type: 'sla_clock_stopped',
                actorType: 'system',
                data: { clock_id: clock.id, kind, outcome: clock.outcome, due_at: clock.dueAt?.toISOString() ?? null },
                at,
              });
            break;
          }
          case 'pause':
            running!.pausedAt = at;
            running!.changed = true;
            break;
          case 'resume':
            resume(calendar, running!, at);
            break;
          case 'reopen': {
            // The time it spent finished is not counted, like a pause.
            const clock = ofKind.at(-1)!;
            clock.pausedMinutes += workingMinutesBetween(calendar, clock.stoppedAt!, at);
            clock.stoppedAt = null;
            clock.outcome = null;
            clock.changed = true;
            break;
          }
          case 'keep':
          case 'none':
            break;
        }
      }
    }
    for (const clock of clocks.filter((candidate) => candidate.stoppedAt === null)) retarget(calendar, clock, policy);
    touched.push(...clocks.filter((clock) => clock.changed));
    const live = clocks.filter((clock) => clock.stoppedAt === null && clock.pausedAt === null);
    const due = earliest(live.map((clock) => clock.dueAt));
    const warn = earliest(live.map((clock) => clock.warnAt));
    if (
      !sameTime(due, date(ticket.sla_due_at)) ||
      !sameTime(warn, date(ticket.sla_warn_at)) ||
      (policy?.id ?? null) !== (ticket.sla_policy_id ?? null)
    ) {
      ticketUpdates.push({ id: ticketId, due, warn, policyId: policy?.id ?? null });
    }
  }

  await writeClocks(trx, touched, at);
  await appendEvents(trx, events);
  await writeTicketDeadlines(trx, ticketUpdates);
  return touched.map((clock) => ({
    clockId: clock.id!,
    ticketId: clock.ticketId,
    previous: clock.before,
    next: pendingStages(clock),
  }));
}

function clockFromRow(row: Record<string, unknown>): Clock {
  const clock: Clock = {
    id: Number(row.id),
    ticketId: Number(row.ticket_id),
    kind: row.kind as ClockKind,
    policyId: row.policy_id == null ? null : Number(row.policy_id),
    target: (row.target_unit === 'days'
      ? { days: Number(row.target_value) }
      : { minutes: Number(row.target_value) }) as Target,
    extensionDays: Number(row.extension_days),
    startedAt: date(row.started_at)!,
    warnAt: date(row.warn_at),
    dueAt: date(row.due_at),
    pausedAt: date(row.paused_at),
    pausedMinutes: Number(row.paused_minutes),
    warnedAt: date(row.warned_at),
    breachedAt: date(row.breached_at),
    stoppedAt: date(row.stopped_at),
    outcome: (row.outcome as Clock['outcome']) ?? null,
    before: { warnAt: null, dueAt: null },
    changed: false,
  };
  clock.before = pendingStages(clock);
  return clock;
}

function newClock(ticketId: number, kind: ClockKind, policy: SlaPolicy, target: Target, startedAt: Date): Clock {
  return {
    ticketId,
    kind,
    policyId: policy.id,
    target,
    extensionDays: 0,
    startedAt,
    warnAt: null,
    dueAt: null,
    pausedAt: null,
    pausedMinutes: 0,
    warnedAt: null,
    breachedAt: null,
    stoppedAt: null,
    outcome: null,
    before: { warnAt: null, dueAt: null },
    changed: true,
  };
}

function resume(calendar: Calendar, clock: Clock, at: Date): void {
  clock.pausedMinutes += workingMinutesBetween(calendar, clock.pausedAt!, at);
  clock.pausedAt = null;
  clock.changed = true;
}

/** A running clock follows its ticket's policy and calendar: target, deadline and warning. */
function retarget(calendar: Calendar, clock: Clock, policy: SlaPolicy | undefined): void {
  const target = policy?.targets[clock.kind] ?? clock.target;
  let [dueAt, warnAt] = [null as Date | null, null as Date | null];
  if (clock.pausedAt === null) {
    ({ dueAt, warnAt } = clockDeadlines(
      calendar,
      { startedAt: clock.startedAt, target, extensionDays: clock.extensionDays, pausedMinutes: clock.pausedMinutes },
      policy?.warningRatio ?? 0.8,
    ));
  }
  const targetChanged = JSON.stringify(target) !== JSON.stringify(clock.target);
  if (
    targetChanged ||
    !sameTime(dueAt, clock.dueAt) ||
    !sameTime(warnAt, clock.warnAt) ||
    (policy && policy.id !== clock.policyId)
  ) {
    Object.assign(clock, { target, dueAt, warnAt, policyId: policy?.id ?? clock.policyId, changed: true });
  }
}

/** The stages still to fire: each at most once, none while paused or stopped. */
function pendingStages(clock: Clock): TimerChange['previous'] {
  const live = clock.stoppedAt === null && clock.pausedAt === null;
  return {
    warnAt: live && clock.warnedAt === null ? clock.warnAt : null,
    dueAt: live && clock.breachedAt === null ? clock.dueAt : null,
  };
}

async function writeClocks(trx: Knex.Transaction, clocks: Clock[], at: Date): Promise<void> {
  const columns = (clock: Clock) => ({
    policy_id: clock.policyId,
    target_unit: 'days' in clock.target ? 'days' : 'minutes',
    target_value: 'days' in clock.target ? clock.target.days : clock.target.minutes,
    extension_days: clock.extensionDays,
    started_at: clock.startedAt,
    warn_at: clock.warnAt,
    due_at: clock.dueAt,
    paused_at: clock.pausedAt,
    paused_minutes: clock.pausedMinutes,
    stopped_at: clock.stoppedAt,
    outcome: clock.outcome,
    updated_at: at,
  });
  // Stops first: the partial unique index allows one running clock of a kind per ticket.
  for (const clock of clocks
    .filter((candidate) => candidate.id !== undefined)
    .sort((a, b) => Number(b.stoppedAt !== null) - Number(a.stoppedAt !== null))) {
    await trx('sla_clocks').where({ id: clock.id }).update(columns(clock));
  }
  const fresh = clocks.filter((clock) => clock.id === undefined);
  if (fresh.length === 0) return;
  const inserted = await insertInChunks<Record<string, unknown>, { id: number }>(
    fresh.map((clock) => ({ ticket_id: clock.ticketId, kind: clock.kind, ...columns(clock) })),
    (chunk) => trx('sla_clocks').insert(chunk).returning('id'),
  );
  // Insertion order, as in queueOutbound.
  for (const [index, clock] of fresh.entries()) clock.id = Number(inserted[index]!.id);
}

/** One UPDATE for all the tickets whose nearest deadline, warning or policy moved. */
async function writeTicketDeadlines(
  trx: Knex.Transaction,
  updates: Array<{ id: number; due: Date | null; warn: Date | null; policyId: number | null }>,
): Promise<void> {
  if (updates.length === 0) return;
  const ids = updates.map((update) => update.id);
  const caseOf = (cast: string, value: (update: (typeof updates)[number]) => string | number | null) =>
    trx.raw(
      `case id ${updates.map(() => `when ? then cast(? as ${cast})`).join(' ')} end`,
      updates.flatMap((update) => [update.id, value(update)]),
    );
  const isPg = isPostgres(trx as unknown as Knex);
  // SQLite keeps timestamps as epoch milliseconds; PostgreSQL as timestamptz.
  const stamp = (value: Date | null) => (value === null ? null : isPg ? value.toISOString() : value.getTime());
  await trx('tickets')
    .whereIn('id', ids)
    .update({
      sla_due_at: caseOf(isPg ? 'timestamptz' : 'integer', (update) => stamp(update.due)),
      sla_warn_at: caseOf(isPg ? 'timestamptz' : 'integer', (update) => stamp(update.warn)),
      sla_policy_id: caseOf('integer', (update) => update.policyId),
    });
}

function earliest(dates: Array<Date | null>): Date | null {
  const times = dates.filter((value): value is Date => value !== null).map((value) => value.getTime());
  return times.length === 0 ? null : new Date(Math.min(...times));
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return a === b || (a !== null && b !== null && a.getTime() === b.getTime());
}
