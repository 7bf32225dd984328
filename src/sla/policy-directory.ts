import type { Knex } from 'knex';
import { insertReturningId, toIso, toJson } from '../db/rows.js';
import { NotFoundError, UnprocessableError } from '../errors.js';
import { forgetPolicies, policyFromRow, type Targets } from './policies.js';

/** What an administrator sets on a policy (the API's snake_case names). */
export interface PolicyInput {
  name?: string;
  position?: number;
  active?: boolean;
  categories?: string[] | null;
  priorities?: string[] | null;
  channels?: string[] | null;
  targets?: Targets;
  resolution_extension_days?: number | null;
  warning_ratio?: number;
  escalate_notify?: boolean;
  escalate_raise_priority?: boolean;
  escalation_team_id?: number | null;
}

/** A policy as the API shows it. */
export function policyView(row: Record<string, unknown>) {
  const policy = policyFromRow(row);
  return {
    id: policy.id,
    name: policy.name,
    position: policy.position,
    active: policy.active,
    categories: policy.categories,
    priorities: policy.priorities,
    channels: policy.channels,
    targets: policy.targets,
    resolution_extension_days: policy.resolutionExtensionDays,
    warning_ratio: policy.warningRatio,
    escalate_notify: policy.escalateNotify,
    escalate_raise_priority: policy.escalateRaisePriority,
    escalation_team_id: policy.escalationTeamId,
    updated_at: toIso(row.updated_at),
  };
}

export async function listPolicies(db: Knex) {
  return (await db('sla_policies').orderBy([{ column: 'position' }, { column: 'id' }])).map(policyView);
}

export async function getPolicy(db: Knex, id: number) {
  const row = await db('sla_policies').where({ id }).first();
  if (!row) throw new NotFoundError('SLA policy');
  return policyView(row);
}

/**
 * Creates or changes a policy. The open tickets' clocks follow in the background (ClockResync, run
 * after every write through the API); stopped clocks keep the targets they were judged by.
 */
export async function savePolicy(db: Knex, id: number | undefined, input: PolicyInput, at: Date): Promise<number> {
  if (input.escalation_team_id != null && !(await db('teams').where({ id: input.escalation_team_id }).first('id'))) {
    throw new UnprocessableError('unknown_team', `No team with id ${input.escalation_team_id}`);
  }
  const columns: Record<string, unknown> = { updated_at: at };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    columns[key] =
      ['categories', 'priorities', 'channels', 'targets'].includes(key) && value !== null ? toJson(value) : value;
  }
  let policyId = id;
  if (policyId === undefined) {
    policyId = await insertReturningId(db, 'sla_policies', { ...columns, created_at: at });
  } else if ((await db('sla_policies').where({ id: policyId }).update(columns)) === 0) {
    throw new NotFoundError('SLA policy');
  }
  forgetPolicies(db);
  return policyId;
}

/** Deletes a policy; its clocks keep their targets (policy_id set null). */
export async function deletePolicy(db: Knex, id: number): Promise<void> {
  if ((await db('sla_policies').where({ id }).delete()) === 0) throw new NotFoundError('SLA policy');
  forgetPolicies(db);
}
