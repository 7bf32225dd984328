import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../../auth/tokens.js';
import { isPostgres } from '../../db/knex.js';
import { insertReturningId } from '../../db/rows.js';
import { ConflictError } from '../../errors.js';
import { findAccessibleTicket } from '../ticket-access.js';
import { ACTIVE_STATUSES, type TicketStatus } from '../ticket-statuses.js';
import type { TicketUnitOfWork } from '../unit-of-work.js';

export interface ActionContext {
  db: Knex;
  now: () => Date;
  /** Every action changes tickets through it: SLA and routing follow its events. */
  unitOfWork: TicketUnitOfWork;
}

/** The ticket columns actions decide on. */
export interface TicketState {
  id: number;
  reference: string;
  contact_id: number;
  channel: string;
  status: TicketStatus;
  team_id: number | null;
  assignee_id: number | null;
  merged_into_id: number | null;
  [column: string]: unknown;
}

export type TicketAction = 'update' | 'assign' | 'claim' | 'transfer' | 'merge' | 'resolve' | 'close' | 'reopen';

const isActive = (status: string) => (ACTIVE_STATUSES as readonly string[]).includes(status);

/**
 * The state machine of docs/architecture.md: work happens while a ticket is active (new, open, waiting
 * on the citizen or an agency); a resolved ticket may be closed or reopened; a closed one only
 * reopened; a ticket merged into another is finished for good, its messages live on elsewhere.
 */
export function allowedActions(ticket: Pick<TicketState, 'status' | 'assignee_id' | 'merged_into_id'>): TicketAction[] {
  if (ticket.merged_into_id !== null) return [];
  if (isActive(ticket.status)) {
    return [
      'update',
      'assign',
      ...(ticket.assignee_id === null ? (['claim'] as const) : []),
      'transfer',
      'merge',
      'resolve',
    ];
  }
  return ticket.status === 'resolved' ? ['update', 'close', 'reopen'] : ['update', 'reopen'];
}

/** 409 naming the current status and what would be allowed instead. */
export function assertAllowed(ticket: TicketState, action: TicketAction): void {
  const allowed = allowedActions(ticket);
  if (allowed.includes(action)) return;
  const state = ticket.merged_into_id !== null ? `merged into ticket ${ticket.merged_into_id}` : ticket.status;
  throw new ConflictError(
    'invalid_transition',
    `Cannot ${action} a ticket that is ${state}; allowed: ${allowed.join(', ') || 'nothing'}`,
    {
      status: ticket.status,
      merged_into_id: ticket.merged_into_id,
      allowed_actions: allowed,
    },
  );
}

/**
 * The ticket, if the agent may see it (404 otherwise), read again under a row lock on PostgreSQL so
 * that two actions on one ticket decide one after the other. SQLite has a single writer already.
 */
export async function lockVisibleTicket(
  trx: Knex.Transaction,
  agent: AuthenticatedAgent,
  id: number,
): Promise<TicketState> {
  await findAccessibleTicket(trx, agent, id);
  const query = trx('tickets').where({ id });
  if (isPostgres(trx as unknown as Knex)) query.forUpdate();
  return normalize(await query.first());
}

export function normalize(row: Record<string, unknown>): TicketState {
  const optionalId = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    ...row,
    id: Number(row.id),
    reference: String(row.reference),
    contact_id: Number(row.contact_id),
    channel: String(row.channel),
    status: row.status as TicketStatus,
    team_id: optionalId(row.team_id),
    assignee_id: optionalId(row.assignee_id),
    merged_into_id: optionalId(row.merged_into_id),
  };
}

/** A note for agents on the ticket (a disposition, a resolution), never sent to the citizen. */
export function insertInternalNote(
  trx: Knex.Transaction,
  ticket: Pick<TicketState, 'id' | 'channel'>,
  agent: AuthenticatedAgent,
  body: string,
  at: Date,
): Promise<number> {
  return insertReturningId(trx, 'messages', {
    ticket_id: ticket.id,
    direction: 'outbound',
    channel: ticket.channel,
    author_type: 'agent',
    author_id: agent.id,
    kind: 'note',
    body,
    internal: true,
    created_at: at,
  });
}
