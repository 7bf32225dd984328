import type { Knex } from 'knex';
import { loadCalendar } from '../calendar/calendar-store.js';
import {
  escalationActionText,
  escalationMailText,
  escalationTeamWarningText,
  type EscalationAction,
} from '../i18n/staff-texts.js';
import { queueOutbound, type OutboundDraft } from '../messages/outbox.js';
import type { TicketEventInput } from '../tickets/events.js';
import { formatReference } from '../tickets/reference-number.js';
import { allowedActions, normalize } from '../tickets/actions/action-context.js';
import { moveToTeam } from '../tickets/actions/transfer.js';
import { setFields } from '../tickets/actions/update-fields.js';
import { PRIORITY_CODES } from '../tickets/vocabulary.js';
import type { ClockKind } from './policies.js';
import { escalationTeamProblems } from './escalation-team-check.js';
import { loadPolicies } from './policies.js';
import type { TicketTransaction } from '../tickets/unit-of-work.js';

export interface Breach {
  clockId: number;
  ticketId: number;
  kind: ClockKind;
  policyId: number | null;
  dueAt: Date;
}

export interface EscalationSettings {
  referencePrefix: string;
  /** DEFAULT_LANGUAGE: staff read the office's language. */
  language: string;
  /** PUBLIC_URL, for the ticket's link in the mail (none without it). */
  publicUrl?: string;
}

/**
 * The policy's answer to a breach, inside the firing transaction: raise the priority one step,
 * move the ticket to the escalation team (unassigned, at the head of nothing: it queues like a
 * transfer), and tell the supervisors of the team the ticket is in now: the `sla_escalated` event
 * reaches their live streams, and each gets a mail (kept on the ticket as an internal message). A
 * ticket breaching two clocks at once is escalated once.
 *
 * The mail goes only to those who may open the ticket afterwards, that is the supervisors of its
 * team as it is after the escalation (src/tickets/ticket-access.ts: supervisors see their teams'
 * tickets, confidential ones too); the team it left hears of it on its supervisors' live stream,
 * which names no citizen's words. Widening a supervisor's scope to the tickets escalated away
 * instead would need a grant per ticket in every access rule, metric and stream: the summaries
 * count a breach on the ticket's team (src/metrics/metric-scope.ts), so the notified supervisor
 * sees it there too. A confidential ticket's mail names it (reference, link, deadline) but not its
 * subject, the citizen's words: mail is forwarded and kept outside the system.
 *
 * An escalation team that is inactive (the ticket stays) or has no active member (it moves, and
 * waits) is reported to the admins: an `escalation_team_unavailable` event and a mail to each.
 */

export async function escalate(
  tx: TicketTransaction,
  db: Knex,
  breaches: readonly Breach[],
  settings: EscalationSettings,
): Promise<number[]> {
  if (breaches.length === 0) return [];
  const { trx, at } = tx;
  const policies = await loadPolicies(db, trx);
  const byTicket = new Map<number, Breach>();
  for (const breach of breaches) if (!byTicket.has(breach.ticketId)) byTicket.set(breach.ticketId, breach);
  const tickets = await trx('tickets as t')
    .leftJoin('teams as tm', 'tm.id', 't.team_id')
    .whereIn('t.id', [...byTicket.keys()])
    .select('t.*', 'tm.name as team_name', 'tm.calendar_id');
  // A morning's breaches arrive together: teams and supervisors are read once for the group.
  const policyOf = (breach: Breach) => policies.find((candidate) => candidate.id === breach.policyId);
  const escalationTeamIds = [...new Set(breaches.flatMap((breach) => policyOf(breach)?.escalationTeamId ?? []))];
  const escalationTeams = new Map<number, { id: number; name: string; slug: string; active: boolean }>(
    escalationTeamIds.length === 0
      ? []
      : (await trx('teams').whereIn('id', escalationTeamIds).select('id', 'name', 'slug', 'active')).map((team) => [
          Number(team.id),
          { id: Number(team.id), name: String(team.name), slug: String(team.slug), active: Boolean(team.active) },
        ]),
  );
  const teamProblems = await escalationTeamProblems(trx, [...escalationTeams.keys()]);
  const admins = teamProblems.size === 0 ? [] : await activeAdmins(trx);
  const supervisors = await supervisorsByTeam(trx, [
    ...new Set([
      ...tickets.flatMap((ticket) => (ticket.team_id === null ? [] : [Number(ticket.team_id)])),
      ...[...escalationTeams.values()].filter((team) => team.active).map((team) => team.id),
    ]),
  ]);
  // The console's page of the ticket (it asks the reader to sign in), not the API's JSON.
  const link = (ticketId: number) =>
    settings.publicUrl ? `${settings.publicUrl.replace(/\/+$/, '')}/console/tickets/${ticketId}` : null;

  const events: TicketEventInput[] = [];
  const mails: OutboundDraft[] = [];
  for (const ticket of tickets) {
    const ticketId = Number(ticket.id);
    const breach = byTicket.get(ticketId)!;
    const policy = policyOf(breach);
    const actions: EscalationAction[] = [];
    const system = { ticketId, actorType: 'system' as const, at };
    const state = normalize(ticket);

    // The escalation's moves are the tickets' own commands: a priority raised as an agent would set
    // it, a move to the escalation team by a disposition's rules.
    const rank = PRIORITY_CODES.indexOf(ticket.priority);
    if (policy?.escalateRaisePriority && rank >= 0 && rank < PRIORITY_CODES.length - 1) {
      const raised = PRIORITY_CODES[rank + 1]!;
      await setFields(tx, state, { priority: raised }, { actorType: 'system', actorId: null, reason: 'sla_breached' });
      actions.push({ kind: 'priority_raised', from: ticket.priority, to: raised });
    }
    const targetTeam = policy?.escalationTeamId ? escalationTeams.get(policy.escalationTeamId) : undefined;
    const problem = targetTeam ? teamProblems.get(targetTeam.id) : undefined;
    if (targetTeam && problem && targetTeam.id !== Number(ticket.team_id)) {
      actions.push({ kind: 'team_unstaffed', team: targetTeam.name, problem });
      events.push({
        ...system,
        type: 'escalation_team_unavailable',
        data: { team_id: targetTeam.id, problem, policy_id: policy!.id, notified: admins.map((admin) => admin.id) },
      });
      const body = escalationTeamWarningText(settings.language, {
        reference: formatReference(ticket.reference, settings.referencePrefix),
        link: link(ticketId),
        team: targetTeam.name,
        problem,
      });
      for (const admin of admins)
        mails.push({
          ticketId,
          channel: 'email',
          address: admin.email,
          body,
          kind: 'escalation',
          internal: true,
          authorType: 'system',
          at,
        });
    }
    const escalationTeam = targetTeam?.active ? targetTeam : undefined;
    // Who is told: the supervisors of the team the ticket is in once escalated (see above).
    let notifyTeam: number | null = ticket.team_id === null ? null : Number(ticket.team_id);
    const movable = allowedActions(state).includes('transfer');
    if (escalationTeam && escalationTeam.id !== state.team_id && movable) {
      const status = await moveToTeam(tx, state, escalationTeam);
      events.push({
        ...system,
        type: 'escalated',
        data: {
          from_team: state.team_id,
          to_team: escalationTeam.id,
          from_assignee: state.assignee_id,
          from_status: state.status,
          to_status: status,
          clock_id: breach.clockId,
          kind: breach.kind,
        },
      });
      actions.push({ kind: 'moved', team: escalationTeam.name });
      notifyTeam = escalationTeam.id;
    }

    const notified =
      policy === undefined || policy.escalateNotify
        ? uniqueById(notifyTeam === null ? [] : (supervisors.get(notifyTeam) ?? []))
        : [];
    if (notified.length > 0) {
      const calendar = await loadCalendar(db, ticket.calendar_id == null ? null : Number(ticket.calendar_id), trx);
      const values = {
        reference: formatReference(ticket.reference, settings.referencePrefix),
        subject: ticket.confidential ? null : (ticket.subject ?? ''),
        link: link(ticketId),
        clock: breach.kind,
        dueAt: breach.dueAt,
        timeZone: calendar.timeZone,
        team: ticket.team_name ?? '',
        actions,
      };
      for (const supervisor of notified) {
        mails.push({
          ticketId,
          channel: 'email',
          address: supervisor.email,
          body: escalationMailText(settings.language, values),
          kind: 'escalation',
          internal: true,
          authorType: 'system',
          at,
        });
      }
    }
    events.push({
      ...system,
      type: 'sla_escalated',
      data: {
        clock_id: breach.clockId,
        kind: breach.kind,
        team_id: ticket.team_id === null ? null : Number(ticket.team_id),
        actions: actions.map((action) => escalationActionText('en', action)),
        notified: notified.map((supervisor) => supervisor.id),
      },
    });
  }
  // A new priority may choose another policy, a new team another calendar: the clocks follow these events.
  await tx.append(events);
  return queueOutbound(trx, mails);
}

/** Active supervisors of these teams, by team. */
async function supervisorsByTeam(
  trx: Knex.Transaction,
  teamIds: number[],
): Promise<Map<number, Array<{ id: number; email: string }>>> {
  const byTeam = new Map<number, Array<{ id: number; email: string }>>();
  if (teamIds.length === 0) return byTeam;
  const rows = await trx('agents as a')
    .join('agent_teams as at', 'at.agent_id', 'a.id')
    .whereIn('at.team_id', teamIds)
    .where({ 'a.role': 'supervisor', 'a.active': true })
    .orderBy('a.id')
    .select('at.team_id', 'a.id', 'a.email');
  for (const row of rows)
    byTeam.set(Number(row.team_id), [
      ...(byTeam.get(Number(row.team_id)) ?? []),
      { id: Number(row.id), email: String(row.email) },
    ]);
  return byTeam;
}

/** Active admins: they alone manage teams and policies, so an unusable escalation team is theirs to fix. */
async function activeAdmins(trx: Knex.Transaction): Promise<Array<{ id: number; email: string }>> {
  const rows = await trx('agents').where({ role: 'admin', active: true }).orderBy('id').select('id', 'email');
  return rows.map((row) => ({ id: Number(row.id), email: String(row.email) }));
}

function uniqueById<T extends { id: number }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()].sort((a, b) => a.id - b.id);
}
