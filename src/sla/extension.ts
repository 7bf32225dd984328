import type { AuthenticatedAgent } from '../auth/tokens.js';
import { ConflictError, UnprocessableError } from '../errors.js';
import {
  assertAllowed,
  insertInternalNote,
  lockVisibleTicket,
  type ActionContext,
} from '../tickets/actions/action-context.js';
import { appendEvents } from '../tickets/events.js';
import { syncClocks } from './clock-sync.js';
import { loadPolicies } from './policies.js';

/**
 * Extends the resolution deadline once, by the policy's extension (UU 14/2008: an information
 * request's 10 working days may be extended once by 7, with written reasons). The reason is kept as
 * an internal note and in the event; a second extension is refused.
 */
export async function extendResolution(
  context: ActionContext,
  agent: AuthenticatedAgent,
  ticketId: number,
  reason: string,
): Promise<{ dueAt: string | null; days: number }> {
  const at = context.now();
  const { clocks, days } = await context.db.transaction(async (trx) => {
    const ticket = await lockVisibleTicket(trx, agent, ticketId);
    assertAllowed(ticket, 'update');
    const clock = await trx('sla_clocks')
      .where({ ticket_id: ticketId, kind: 'resolution' })
      .whereNull('stopped_at')
      .first('id', 'policy_id', 'extension_days');
    if (!clock)
      throw new ConflictError('no_resolution_clock', 'The ticket has no running resolution deadline to extend');
    if (Number(clock.extension_days) > 0)
      throw new ConflictError('already_extended', 'The resolution deadline was extended once already', {
        extension_days: Number(clock.extension_days),
      });
    const policy = (await loadPolicies(context.db, trx)).find((candidate) => candidate.id === Number(clock.policy_id));
    const days = policy?.resolutionExtensionDays;
    if (!days)
      throw new UnprocessableError(
        'not_extendable',
        "The ticket's SLA policy allows no extension of the resolution deadline",
      );
    await trx('sla_clocks').where({ id: clock.id }).update({ extension_days: days, updated_at: at });
    const messageId = await insertInternalNote(trx, ticket, agent, reason, at);
    await appendEvents(trx, [
      {
        ticketId,
        type: 'sla_extended',
        actorType: 'agent',
        actorId: agent.id,
        data: { clock_id: Number(clock.id), days, reason, message_id: messageId },
        at,
      },
    ]);
    return { clocks: await syncClocks(trx, context.db, [{ ticketId }], at), days };
  });
  await context.timers.schedule(clocks);
  const due = clocks.find((change) => change.next.dueAt)?.next.dueAt ?? null;
  return { dueAt: due?.toISOString() ?? null, days };
}
