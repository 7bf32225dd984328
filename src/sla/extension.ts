import type { ChannelKind } from '../../channels/adapter.js';
import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { ConflictError, UnprocessableError } from '../errors.js';
import {
  assertAllowed,
  insertInternalNote,
  lockVisibleTicket,
  type ActionContext,
} from '../tickets/actions/action-context.js';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { contactAddress, conversationAddress, identityKindOf } from '../contacts/contact-address.js';
import { citizenDate, extensionNoticeText } from '../i18n/citizen-texts.js';
import { queueOutbound, type OutboundDraft } from '../messages/outbox.js';
import { laterNoticeChannel } from '../messages/channel-policy.js';
import { formatReference } from '../tickets/reference-number.js';
import { toIso } from '../db/rows.js';
import { loadPolicies } from './policies.js';

/** What the citizen's notice of an extension is signed with. */
export interface ExtensionNoticeSettings {
  officeName: string;
  referencePrefix: string;
}

/**
 * Extends the resolution deadline once, by the policy's extension (UU 14/2008: an information
 * request's 10 working days may be extended once by 7, with written reasons). The reason is kept as
 * an internal note and in the event, and the citizen is told in writing, with the reason and the
 * new date, on their channel; a second extension is refused. The caller signals the notice's
 * outbox entry after commit (`noticeOutboxId`, null when the citizen has no written address).
 */
export async function extendResolution(
  context: ActionContext,
  agent: AuthenticatedAgent,
  ticketId: number,
  reason: string,
  settings: ExtensionNoticeSettings,
): Promise<{ dueAt: string | null; days: number; noticeOutboxId: number | null }> {
  const at = context.now();
  // The calendar is read before the transaction: SQLite has one connection, held by it.
  const team = await context.db('tickets').where({ id: ticketId }).first('team_id');
  const calendar = await loadTeamCalendar(context.db, team?.team_id ? Number(team.team_id) : null);
  return context.unitOfWork.run(at, async (tx) => {
    const { trx } = tx;
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
    await tx.append([
      {
        ticketId,
        type: 'sla_extended',
        actorType: 'agent',
        actorId: agent.id,
        data: { clock_id: Number(clock.id), days, reason, message_id: messageId },
        at,
      },
    ]);
    // The clock takes its new deadline from the event now, so that the notice can name it.
    await tx.flush();
    const extended = await trx('sla_clocks').where({ id: clock.id }).whereNull('stopped_at').first('due_at');
    const due = extended?.due_at ? new Date(toIso(extended.due_at)!) : undefined;
    const notice = due
      ? await noticeDraft(trx, ticket, { ...settings, days, reason, due, timeZone: calendar.timeZone }, at)
      : undefined;
    const [noticeOutboxId] = notice ? await queueOutbound(trx, [notice]) : [];
    if (notice) {
      await tx.append([
        {
          ticketId,
          type: 'sla_extension_notified',
          actorType: 'system',
          data: { channel: notice.channel as ChannelKind },
          at,
        },
      ]);
    }
    return { dueAt: due?.toISOString() ?? null, days, noticeOutboxId: noticeOutboxId ?? null };
  });
}

/**
 * The notice, to the ticket's own contact only: an address among their identities, on the
 * ticket's written channel. A WhatsApp requester gets it by SMS to the same number, which arrives
 * whatever the state of WhatsApp's 24-hour window (as the clarification reminders do).
 */
async function noticeDraft(
  trx: Knex.Transaction,
  ticket: { id: number; reference: string; contact_id: number; channel: string },
  values: ExtensionNoticeSettings & { days: number; reason: string; due: Date; timeZone: string },
  at: Date,
): Promise<OutboundDraft | undefined> {
  const formAddress = await conversationAddress(trx, ticket);
  const channel = laterNoticeChannel(
    ticket.channel,
    formAddress && ticket.channel === 'web' ? [identityKindOf(formAddress)] : [],
  );
  const address = await contactAddress(trx, ticket.contact_id, channel as ChannelKind, formAddress);
  if (!address) return undefined;
  const contact = await trx('contacts').where({ id: ticket.contact_id }).first('language');
  const language = String(contact?.language ?? 'id');
  return {
    ticketId: ticket.id,
    channel,
    address,
    body: extensionNoticeText(language, {
      office: values.officeName,
      reference: formatReference(ticket.reference, values.referencePrefix),
      days: values.days,
      deadline: citizenDate(language, values.due, values.timeZone),
      reason: values.reason,
    }),
    kind: 'message',
    authorType: 'system',
    at,
  };
}
