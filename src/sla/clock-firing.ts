import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { toIso } from '../db/rows.js';
import type { Logger } from '../logger.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import type { TicketEventInput } from '../tickets/events.js';
import type { TicketUnitOfWork } from '../tickets/unit-of-work.js';
import { escalate, type Breach, type EscalationSettings } from './escalation.js';
import { logRedisFailure } from '../queue/redis-health.js';

export interface FiringContext {
  db: Knex;
  now: () => Date;
  settings: EscalationSettings;
  queues: Pick<PipelineQueues, 'enqueueOutbound'>;
  /** A firing pass is one unit of work: an escalation's moves are followed by the clocks and routing. */
  unitOfWork: TicketUnitOfWork;
  logger: Logger;
}

export interface Fired {
  warnings: number;
  breaches: number;
}

/** A delayed job may be promoted a moment before our clock reads its instant. */
const EARLY_TOLERANCE_MS = 250;
const SWEEP_BATCH = 500;

/**
 * Records a batch of the warnings and breaches that have fallen due, the earliest first. Each
 * stage is recorded once, as an event, guarded by its own column under a row lock; a breach runs
 * the policy's escalation. Paused and stopped clocks never fire. Messages are signalled after
 * commit; the clocks an escalation moves, and routing, follow the unit of work's events.
 */
async function fireDueClocks(context: FiringContext): Promise<Fired> {
  const at = context.now();
  const horizon = new Date(at.getTime() + EARLY_TOLERANCE_MS);
  const { db } = context;
  const result = await context.unitOfWork.run(at, async (tx) => {
    const { trx } = tx;
    const due = () =>
      trx('sla_clocks')
        .whereNull('stopped_at')
        .whereNull('paused_at')
        .where((stage) =>
          stage
            .where((warn) => warn.whereNull('warned_at').where('warn_at', '<=', horizon))
            .orWhere((breach) => breach.whereNull('breached_at').where('due_at', '<=', horizon)),
        );
    const candidates = await due().orderBy('due_at').limit(SWEEP_BATCH).select('ticket_id');
    if (candidates.length === 0) return undefined;
    // Tickets first, then their clocks: on PostgreSQL the order every ticket action locks in (the
    // ticket row, then syncClocks), so firing and an agent's reply at the deadline never deadlock;
    // a ticket another transaction holds is left for the next pass. Their teams come along: the
    // team at the moment of the breach travels with the event, since an escalation may move the
    // ticket in this same transaction and that team's supervisors must still hear of it.
    const tickets = trx('tickets')
      .whereIn('id', [...new Set(candidates.map((clock) => Number(clock.ticket_id)))])
      .orderBy('id')
      .select('id', 'team_id');
    if (isPostgres(db)) tickets.forUpdate().skipLocked();
    const teamOf = new Map(
      (await tickets).map((row) => [Number(row.id), row.team_id === null ? null : Number(row.team_id)]),
    );
    if (teamOf.size === 0) return undefined;
    const query = due()
      .whereIn('ticket_id', [...teamOf.keys()])
      .select('id', 'ticket_id', 'kind', 'policy_id', 'warn_at', 'due_at', 'warned_at', 'breached_at');
    if (isPostgres(db)) query.forUpdate();
    const clocks = await query;
    if (clocks.length === 0) return undefined;

    const events: TicketEventInput[] = [];
    const warned: number[] = [];
    const breaches: Breach[] = [];
    for (const clock of clocks) {
      const [warnAt, dueAt] = [new Date(toIso(clock.warn_at)!), new Date(toIso(clock.due_at)!)];
      const base = { ticketId: Number(clock.ticket_id), actorType: 'system' as const, at };
      const data = {
        clock_id: Number(clock.id),
        kind: clock.kind,
        warn_at: warnAt.toISOString(),
        due_at: dueAt.toISOString(),
        team_id: teamOf.get(Number(clock.ticket_id)) ?? null,
      };
      if (clock.warned_at === null && warnAt <= horizon) {
        warned.push(Number(clock.id));
        events.push({ ...base, type: 'sla_warning', data });
      }
      if (clock.breached_at === null && dueAt <= horizon) {
        breaches.push({
          clockId: Number(clock.id),
          ticketId: Number(clock.ticket_id),
          kind: clock.kind,
          policyId: clock.policy_id === null ? null : Number(clock.policy_id),
          dueAt,
        });
        events.push({
          ...base,
          type: 'sla_breached',
          data: { ...data, late_ms: Math.max(0, at.getTime() - dueAt.getTime()) },
        });
      }
    }
    if (warned.length > 0) await trx('sla_clocks').whereIn('id', warned).update({ warned_at: at, updated_at: at });
    if (breaches.length > 0)
      await trx('sla_clocks')
        .whereIn(
          'id',
          breaches.map((breach) => breach.clockId),
        )
        .update({ breached_at: at, updated_at: at });
    await tx.append(events);
    const mails = await escalate(tx, db, breaches, context.settings);
    return { fired: { warnings: warned.length, breaches: breaches.length }, mails };
  });
  if (!result) return { warnings: 0, breaches: 0 };
  // After commit (a lost signal has its own sweeper); moved clocks and routing followed the unit of work.
  await context.queues
    .enqueueOutbound(result.mails)
    .catch((error: Error) => logRedisFailure(context.logger, error, {}, 'escalation mail queued, not signalled'));
  return result.fired;
}

/**
 * Fires every due stage, a batch at a time, until none is left or `maxBatches` ran (a long backlog,
 * after Redis was away for a day, drains over several passes).
 */
export async function fireAllDue(context: FiringContext, maxBatches: number): Promise<Fired> {
  const total: Fired = { warnings: 0, breaches: 0 };
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const fired = await fireDueClocks(context);
    total.warnings += fired.warnings;
    total.breaches += fired.breaches;
    if (fired.warnings + fired.breaches === 0) break;
  }
  return total;
}
