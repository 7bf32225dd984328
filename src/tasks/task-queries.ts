import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { toIso } from '../db/rows.js';
import { NotFoundError } from '../errors.js';
import { formatReference } from '../tickets/reference-number.js';
import { reporterHidden } from '../tickets/ticket-queries.js';
import { visibleTo } from '../tickets/ticket-access.js';

export const TASK_KINDS = ['callback', 'clarification'] as const;
export const TASK_STATUSES = ['open', 'calling', 'done', 'unreachable', 'cancelled'] as const;
export const OPEN_TASK_STATUSES = ['open', 'calling'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TaskView {
  id: number;
  kind: string;
  status: TaskStatus;
  ticket: { id: number; reference: string };
  team_id: number | null;
  /** null for an agent on an anonymous report (anonim): the server dials it, they need not see it. */
  phone: string | null;
  reason: string | null;
  due_at: string;
  /** Open and past its due time. */
  overdue: boolean;
  assignee_id: number | null;
  attempts: number;
  /** How many calls of the citizen asked for this one call-back. */
  requests: number;
  outcome: string | null;
  note: string | null;
  last_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface TaskFilters {
  status?: string[];
  kind?: string[];
  team?: number[];
  /** 'me', 'none' or an agent id. */
  assignee?: 'me' | 'none' | number;
  overdue?: boolean;
  limit: number;
}

const COLUMNS = [
  'k.id',
  'k.kind',
  'k.status',
  'k.ticket_id',
  't.reference',
  'k.team_id',
  'k.phone',
  'k.reason',
  'k.due_at',
  'k.assignee_id',
  'k.attempts',
  'k.requests',
  'k.outcome',
  'k.note',
  'k.last_attempt_at',
  'k.created_at',
  'k.updated_at',
  'k.closed_at',
  't.anonymous',
];

/** Tasks of tickets the agent may see (the same rules as tickets), overdue ones first, then by due time. */
function visibleTasks(db: Knex, agent: AuthenticatedAgent): Knex.QueryBuilder {
  return visibleTo(db('tasks as k').join('tickets as t', 't.id', 'k.ticket_id'), db, agent);
}

export async function listTasks(
  db: Knex,
  agent: AuthenticatedAgent,
  filters: TaskFilters,
  referencePrefix: string,
  now: Date,
): Promise<TaskView[]> {
  const query = visibleTasks(db, agent).whereIn('k.status', filters.status ?? [...OPEN_TASK_STATUSES]);
  if (filters.kind) query.whereIn('k.kind', filters.kind);
  if (filters.team) query.whereIn('k.team_id', filters.team);
  if (filters.assignee === 'none') query.whereNull('k.assignee_id');
  else if (filters.assignee !== undefined)
    query.where('k.assignee_id', filters.assignee === 'me' ? agent.id : filters.assignee);
  if (filters.overdue) query.whereIn('k.status', OPEN_TASK_STATUSES).where('k.due_at', '<', now);
  const rows = await query
    .orderByRaw("case when k.status in ('open', 'calling') and k.due_at < ? then 0 else 1 end", [now])
    .orderBy([{ column: 'k.due_at' }, { column: 'k.id' }])
    .limit(filters.limit)
    .select(COLUMNS);
  return rows.map((row: Record<string, unknown>) => toTaskView(row, agent, referencePrefix, now));
}

/** One task the agent may see; 404 otherwise, so that its existence does not leak. */
export async function getTask(
  db: Knex,
  agent: AuthenticatedAgent,
  id: number,
  referencePrefix: string,
  now: Date,
): Promise<TaskView> {
  const row = await visibleTasks(db, agent).where('k.id', id).first(COLUMNS);
  if (!row) throw new NotFoundError('Task');
  return toTaskView(row, agent, referencePrefix, now);
}

/** Open (or being called) and past its due time; the same rule as listTasks' `overdue` filter and order, in SQL. */
export function isOverdue(status: TaskStatus, dueAt: string, now: Date): boolean {
  return (OPEN_TASK_STATUSES as readonly string[]).includes(status) && Date.parse(dueAt) < now.getTime();
}

function toTaskView(
  row: Record<string, unknown>,
  agent: AuthenticatedAgent,
  referencePrefix: string,
  now: Date,
): TaskView {
  const idOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const dueAt = toIso(row.due_at)!;
  const status = row.status as TaskStatus;
  return {
    id: Number(row.id),
    kind: String(row.kind),
    status,
    ticket: { id: Number(row.ticket_id), reference: formatReference(String(row.reference), referencePrefix) },
    team_id: idOrNull(row.team_id),
    phone: reporterHidden(row, agent) ? null : String(row.phone),
    reason: (row.reason as string | null) ?? null,
    due_at: dueAt,
    overdue: isOverdue(status, dueAt, now),
    assignee_id: idOrNull(row.assignee_id),
    attempts: Number(row.attempts),
    requests: Number(row.requests),
    outcome: (row.outcome as string | null) ?? null,
    note: (row.note as string | null) ?? null,
    last_attempt_at: toIso(row.last_attempt_at),
    created_at: toIso(row.created_at)!,
    updated_at: toIso(row.updated_at)!,
    closed_at: toIso(row.closed_at),
  };
}
