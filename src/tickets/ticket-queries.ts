import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { type ContactKey, whereCitizenIs } from './contact-search.js';
import { fromJson, toIso } from '../db/rows.js';
import { NotFoundError } from '../errors.js';
import { attachmentDownloadPath } from './attachment-access.js';
import { formatReference } from './reference-number.js';
import { eventDataFor, providerTextFor, reporterHidden } from './reporter-protection.js';
import { type SlaCountdown, slaCountdowns } from './sla-countdown.js';
import { visibleTo, visibleToTeamsOf } from './ticket-access.js';
import { whereMatches } from './ticket-search.js';
import { whatsAppWindow } from './whatsapp-window.js';
import { priorityQueueOrder } from './vocabulary.js';

// Where it was defined before it had a file of its own; task-queries imports it from here.
export { reporterHidden };

export interface TicketListFilter {
  status?: string[];
  channel?: string[];
  category?: string[];
  priority?: string[];
  team?: number[];
  /** An agent's id, or 'none' for unassigned tickets. */
  assignee?: number | 'none';
  /** Words to find in the subject or the messages, or a reference number. */
  q?: string;
  /** The citizen's phone or email (src/tickets/contact-search.ts): only their tickets. */
  citizen?: ContactKey;
  /** true: only tickets past an SLA deadline (breach in progress); false: only those that are not. */
  overdue?: boolean;
  /** The instant SLA states are judged at (default: now). */
  at?: Date;
  /** 'newest' (default, keyset-paginated by id) or 'queue': highest priority, then longest waiting. */
  order?: 'newest' | 'queue';
  limit: number;
  /** Keyset pagination for 'newest': tickets older (lower id) than this one. */
  before?: number;
  /** Plain offset for 'queue' order. */
  offset?: number;
}

const PRIORITY_RANK = priorityQueueOrder('t.priority');

const LIST_COLUMNS = [
  't.id',
  't.reference',
  't.status',
  't.channel',
  't.subject',
  't.category',
  't.complaint_type',
  't.priority',
  't.team_id',
  't.assignee_id',
  't.confidential',
  't.anonymous',
  't.contact_id',
  'c.display_name as contact_name',
  't.created_at',
  't.updated_at',
  't.last_message_at',
  't.queued_at',
  't.sla_due_at',
  't.sla_warn_at',
];

/** What the ticket view shows beyond the list's columns. */
const DETAIL_COLUMNS = [
  ...LIST_COLUMNS,
  't.permit_number',
  't.required_skills',
  't.merged_into_id',
  't.language',
  't.first_response_at',
  't.resolved_at',
  't.closed_at',
  't.clarification_requested_at',
  't.clarification_remind_at',
  't.clarification_expires_at',
  't.sla_policy_id',
];

export async function listTickets(
  db: Knex,
  agent: AuthenticatedAgent,
  filter: TicketListFilter,
  referencePrefix: string,
) {
  const query = db('tickets as t')
    .join('contacts as c', 'c.id', 't.contact_id')
    .select(LIST_COLUMNS)
    .limit(filter.limit + 1);
  await visibleToTeamsOf(query, db, agent);
  if (filter.status?.length) query.whereIn('t.status', filter.status);
  if (filter.channel?.length) query.whereIn('t.channel', filter.channel);
  if (filter.category?.length) query.whereIn('t.category', filter.category);
  if (filter.priority?.length) query.whereIn('t.priority', filter.priority);
  if (filter.team?.length) query.whereIn('t.team_id', filter.team);
  if (filter.assignee === 'none') query.whereNull('t.assignee_id');
  else if (filter.assignee !== undefined) query.where('t.assignee_id', filter.assignee);
  if (filter.q) whereMatches(query, db, filter.q);
  if (filter.citizen) whereCitizenIs(query, db, agent, filter.citizen);
  const at = filter.at ?? new Date();
  if (filter.overdue === true) query.where('t.sla_due_at', '<=', at);
  if (filter.overdue === false)
    query.where((notDue) => notDue.whereNull('t.sla_due_at').orWhere('t.sla_due_at', '>', at));
  if (filter.order === 'queue') {
    query.orderByRaw(`${PRIORITY_RANK}, t.queued_at, t.id`).offset(filter.offset ?? 0);
  } else {
    query.orderBy('t.id', 'desc');
    if (filter.before) query.where('t.id', '<', filter.before);
  }
  const rows = await query;
  const page = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  const summaries = page.map((row) => ticketSummary(row, referencePrefix, agent, at));
  const countdowns = await slaCountdowns(db, summaries, at);
  return {
    data: summaries.map((summary) => withCountdown(summary, countdowns)),
    next_cursor: more && filter.order !== 'queue' ? String(page[page.length - 1]!.id) : null,
    next_offset: more && filter.order === 'queue' ? (filter.offset ?? 0) + filter.limit : null,
  };
}

export async function getTicket(
  db: Knex,
  agent: AuthenticatedAgent,
  id: number,
  referencePrefix: string,
  at: Date = new Date(),
) {
  const row = await visibleTo(
    db('tickets as t')
      .join('contacts as c', 'c.id', 't.contact_id')
      .leftJoin('agents as assignee', 'assignee.id', 't.assignee_id')
      .where('t.id', id),
    db,
    agent,
  ).first([...DETAIL_COLUMNS, 'assignee.name as assignee_name']);
  if (!row) throw new NotFoundError('Ticket'); // 404 also when it exists but is not visible: no leak
  const hidden = reporterHidden(row, agent);
  const summary = ticketSummary(row, referencePrefix, agent, at);
  const [identities, messages, attachments, events, clocks, policy, countdowns, whatsapp] = await Promise.all([
    db('contact_identities').where({ contact_id: row.contact_id }).orderBy('id').select('kind', 'value'),
    // Receipt order: a backlog processed late keeps the order in which its messages arrived.
    db('messages')
      .where({ ticket_id: id })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]),
    db('attachments as a')
      .join('messages as m', 'm.id', 'a.message_id')
      .where('m.ticket_id', id)
      .orderBy('a.id')
      .select('a.*'),
    db('ticket_events').where({ ticket_id: id }).orderBy('id'),
    db('sla_clocks').where({ ticket_id: id }).orderBy('id'),
    row.sla_policy_id == null ? undefined : db('sla_policies').where({ id: row.sla_policy_id }).first('id', 'name'),
    slaCountdowns(db, [summary], at),
    whatsAppWindow(db, Number(row.contact_id), at),
  ]);
  // Another ticket's WhatsApp message would tell an agent something of an anonymous reporter: not shown.
  const whatsappKnown = row.channel === 'whatsapp' || (!hidden && whatsapp.last_citizen_message_at !== null);
  return {
    ...withCountdown(summary, countdowns),
    // Shown before an agent types a WhatsApp reply; null for a citizen not on WhatsApp.
    whatsapp_window: whatsappKnown ? whatsapp : null,
    // Staff see who holds the ticket by name, as every help desk shows it.
    assignee_name: row.assignee_name ?? null,
    permit_number: row.permit_number,
    required_skills: fromJson<string[] | null>(row.required_skills) ?? [],
    merged_into_id: row.merged_into_id === null ? null : Number(row.merged_into_id),
    language: row.language,
    first_response_at: toIso(row.first_response_at),
    resolved_at: toIso(row.resolved_at),
    closed_at: toIso(row.closed_at),
    sla_policy: policy ? { id: Number(policy.id), name: policy.name } : null,
    sla_clocks: clocks.map(clockView),
    clarification: row.clarification_requested_at
      ? {
          requested_at: toIso(row.clarification_requested_at),
          remind_at: toIso(row.clarification_remind_at),
          expires_at: toIso(row.clarification_expires_at),
        }
      : null,
    contact: {
      id: Number(row.contact_id),
      display_name: hidden ? null : row.contact_name,
      identities: hidden ? [] : identities,
    },
    messages: messages.map((message) => ({
      id: Number(message.id),
      direction: message.direction,
      channel: message.channel,
      kind: message.kind,
      author_type: message.author_type,
      author_id: message.author_id,
      body: message.body,
      internal: Boolean(message.internal),
      auto_reply: Boolean(message.auto_reply),
      hold_status: message.hold_status ?? null,
      provider: message.provider,
      provider_message_id: message.provider_message_id,
      delivery_status: message.delivery_status,
      error_code: message.error_code,
      error_message: providerTextFor(message.error_message, hidden),
      created_at: toIso(message.created_at),
      status_at: toIso(message.status_at),
      attachments: attachments
        .filter((attachment) => Number(attachment.message_id) === Number(message.id))
        .map((attachment) => ({
          id: Number(attachment.id),
          storage: attachment.storage,
          url: attachment.url,
          content_type: attachment.content_type,
          filename: attachment.filename,
          size_bytes: attachment.size_bytes,
          // GET /api/v1/attachments/{id}: a file kept here, or one the provider keeps, fetched for the agent.
          download_url: attachmentDownloadPath(Number(attachment.id)),
        })),
    })),
    events: events.map((event) => ({
      id: Number(event.id),
      type: event.type,
      actor_type: event.actor_type,
      actor_id: event.actor_id,
      data: eventDataFor(event.type, fromJson<Record<string, unknown> | null>(event.data), hidden),
      created_at: toIso(event.created_at),
    })),
  };
}

/** One SLA clock as agents read it: its target, its times and how it ended. */
function clockView(clock: Record<string, unknown>) {
  return {
    id: Number(clock.id),
    kind: clock.kind,
    target: { [String(clock.target_unit)]: Number(clock.target_value) },
    extension_days: Number(clock.extension_days),
    started_at: toIso(clock.started_at),
    warn_at: toIso(clock.warn_at),
    due_at: toIso(clock.due_at),
    paused_at: toIso(clock.paused_at),
    paused_minutes: Number(clock.paused_minutes),
    warned_at: toIso(clock.warned_at),
    breached_at: toIso(clock.breached_at),
    stopped_at: toIso(clock.stopped_at),
    outcome: clock.outcome ?? null,
  };
}

/**
 * The flag every list shows: `breached` once the nearest deadline among the running clocks has
 * passed, `warning` once a warning instant has, `ok` while clocks run, null with none running.
 */
export function slaState(dueAt: unknown, warnAt: unknown, at: Date): 'breached' | 'warning' | 'ok' | null {
  const due = toIso(dueAt);
  if (due === null) return null;
  if (Date.parse(due) <= at.getTime()) return 'breached';
  const warn = toIso(warnAt);
  return warn !== null && Date.parse(warn) <= at.getTime() ? 'warning' : 'ok';
}

/** A summary with its countdown (src/tickets/sla-countdown.ts) merged into `sla`. */
function withCountdown<T extends { id: number; sla: object }>(summary: T, countdowns: Map<number, SlaCountdown>): T {
  const countdown = countdowns.get(summary.id);
  return countdown ? { ...summary, sla: { ...summary.sla, ...countdown } } : summary;
}

function ticketSummary(
  row: Record<string, unknown>,
  referencePrefix: string,
  agent: AuthenticatedAgent,
  at: Date = new Date(),
) {
  return {
    id: Number(row.id),
    reference: formatReference(String(row.reference), referencePrefix),
    status: row.status,
    channel: row.channel,
    subject: row.subject,
    category: row.category,
    complaint_type: row.complaint_type,
    priority: row.priority,
    team_id: row.team_id === null ? null : Number(row.team_id),
    assignee_id: row.assignee_id === null ? null : Number(row.assignee_id),
    confidential: Boolean(row.confidential),
    anonymous: Boolean(row.anonymous),
    contact: { id: Number(row.contact_id), display_name: reporterHidden(row, agent) ? null : row.contact_name },
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    last_message_at: toIso(row.last_message_at),
    queued_at: toIso(row.queued_at),
    sla: {
      state: slaState(row.sla_due_at, row.sla_warn_at, at),
      due_at: toIso(row.sla_due_at),
      warn_at: toIso(row.sla_warn_at),
    },
  };
}
