import type { AuthenticatedAgent } from '../../auth/tokens.js';
import { fromJson, toJson } from '../../db/rows.js';
import { ForbiddenError, UnprocessableError } from '../../errors.js';
import type { FieldChanged } from '../event-types.js';
import type { TicketEventInput } from '../events.js';
import { ACTIVE_STATUSES } from '../ticket-statuses.js';
import { categoryTakesComplaintType, type Category, type ComplaintType, type Priority } from '../vocabulary.js';
import type { TicketTransaction } from '../unit-of-work.js';
import { assertAllowed, lockVisibleTicket, type ActionContext, type TicketState } from './action-context.js';

/** The fields an agent may set by hand; `null` clears a nullable one. */
export interface TicketFieldsPatch {
  category?: Category | null;
  complaint_type?: ComplaintType | null;
  priority?: Priority;
  permit_number?: string | null;
  confidential?: boolean;
  anonymous?: boolean;
  subject?: string | null;
  required_skills?: string[];
}

type Field = keyof TicketFieldsPatch;
const FIELDS: Field[] = [
  'category',
  'complaint_type',
  'priority',
  'permit_number',
  'confidential',
  'anonymous',
  'subject',
  'required_skills',
];

/** Fields that decide who may take a waiting ticket and in which order: routing looks again. */
const ROUTING_FIELDS: Field[] = ['priority', 'required_skills'];

/**
 * Sets a ticket's classification and flags: one `field_changed` event per field that really
 * changed, with its old and new value. A complaint type is kept only on complaints: naming one on
 * anything else is refused, and moving a complaint to another category clears it.
 */
export async function updateTicketFields(
  context: ActionContext,
  agent: AuthenticatedAgent,
  ticketId: number,
  patch: TicketFieldsPatch,
): Promise<Field[]> {
  return context.unitOfWork.run(context.now(), async (tx): Promise<Field[]> => {
    const { trx } = tx;
    const ticket = await lockVisibleTicket(trx, agent, ticketId);
    assertAllowed(ticket, 'update');
    const current = editableFields(ticket);
    const wanted: TicketFieldsPatch = { ...patch };
    if (wanted.required_skills) wanted.required_skills = normalizeSkills(wanted.required_skills);

    const category = wanted.category !== undefined ? wanted.category : current.category;
    if (!categoryTakesComplaintType(category as string | null)) {
      if (wanted.complaint_type) {
        throw new UnprocessableError(
          'complaint_type_needs_complaint',
          'A complaint type classifies complaints only: set the category to complaint',
          { category },
        );
      }
      if (current.complaint_type !== null) wanted.complaint_type = null;
    }
    // Reporter protection (rahasia, anonim) is switched on by anyone, off only by a supervisor.
    for (const flag of ['confidential', 'anonymous'] as const) {
      if (wanted[flag] === false && current[flag] === true && agent.role === 'agent') {
        throw new ForbiddenError(`Only a supervisor or an admin may lift the ${flag} flag`);
      }
    }

    const fields = FIELDS.filter((field) => wanted[field] !== undefined && !sameValue(current[field], wanted[field]));
    await setFields(tx, ticket, wanted, { actorType: 'agent', actorId: agent.id });
    return fields;
  });
}

/**
 * Writes the fields that really change, one `field_changed` event each with the old and new
 * value: for an agent's edit and for an SLA escalation's priority raise alike (the caller checked
 * what may change). Category and priority choose the SLA policy: the clocks follow these events; a
 * waiting ticket whose priority or skills changed is looked at again by routing.
 */
export async function setFields(
  tx: TicketTransaction,
  ticket: TicketState,
  wanted: TicketFieldsPatch,
  by: { actorType: 'agent' | 'system'; actorId: number | null; reason?: 'sla_breached' },
): Promise<void> {
  const current = editableFields(ticket);
  const fields = FIELDS.filter((field) => wanted[field] !== undefined && !sameValue(current[field], wanted[field]));
  if (fields.length === 0) return;
  const columns: Record<string, unknown> = { updated_at: tx.at };
  const events: TicketEventInput[] = [];
  for (const field of fields) {
    columns[field] = field === 'required_skills' ? toJson(wanted[field]) : wanted[field];
    const change = { field, from: current[field], to: wanted[field], ...(by.reason ? { reason: by.reason } : {}) };
    events.push({
      ticketId: ticket.id,
      type: 'field_changed',
      actorType: by.actorType,
      actorId: by.actorId,
      // current and wanted hold each field's own type (TicketFieldValues); the loop's key cannot say so.
      data: change as FieldChanged,
      at: tx.at,
    });
  }
  await tx.trx('tickets').where({ id: ticket.id }).update(columns);
  await tx.append(events);
  const waiting = ticket.assignee_id === null && (ACTIVE_STATUSES as readonly string[]).includes(ticket.status);
  if (waiting && fields.some((field) => ROUTING_FIELDS.includes(field))) tx.ticketsQueued([ticket.id]);
}

/** The editable fields as they stand, in the shape the API shows them (see ticket-view.ts). */
export function editableFields(row: Record<string, unknown>): Required<{ [K in Field]: unknown }> {
  return {
    category: row.category ?? null,
    complaint_type: row.complaint_type ?? null,
    priority: row.priority,
    permit_number: row.permit_number ?? null,
    confidential: Boolean(row.confidential),
    anonymous: Boolean(row.anonymous),
    subject: row.subject ?? null,
    required_skills: fromJson<string[] | null>(row.required_skills) ?? [],
  };
}

/** Skills compare the way agents' skills are stored: trimmed, lower-case, once each, sorted. */
function normalizeSkills(skills: string[]): string[] {
  return [...new Set(skills.map((skill) => skill.trim().toLowerCase()).filter(Boolean))].sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
