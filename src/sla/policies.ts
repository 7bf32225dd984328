import type { Knex } from 'knex';
import { z } from 'zod';
import { fromJson } from '../db/rows.js';

/** The clocks a policy can set (the deadlines of docs/domain.md map onto them). */
export const CLOCK_KINDS = ['first_response', 'next_response', 'resolution', 'agency_followup'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** The longest target a policy may set, in working minutes and in working days. */
export const MAX_TARGET_MINUTES = 60 * 24 * 365;
export const MAX_TARGET_DAYS = 365;

/** A target in working time: minutes for chat-like promptness, days for the legal deadlines. */
export const targetSchema = z.union([
  z.strictObject({ minutes: z.number().int().min(1).max(MAX_TARGET_MINUTES) }),
  z.strictObject({ days: z.number().int().min(1).max(MAX_TARGET_DAYS) }),
]);
export type Target = z.infer<typeof targetSchema>;
export const targetsSchema = z.partialRecord(z.enum(CLOCK_KINDS), targetSchema);
export type Targets = z.infer<typeof targetsSchema>;

export interface SlaPolicy {
  id: number;
  name: string;
  position: number;
  active: boolean;
  /** null: any value (an uncategorised ticket matches a policy without categories). */
  categories: string[] | null;
  priorities: string[] | null;
  channels: string[] | null;
  targets: Targets;
  /** Working days a resolution deadline may be extended by, once, with a reason (UU KIP: 7). */
  resolutionExtensionDays: number | null;
  /** Share of a target after which a warning is recorded. */
  warningRatio: number;
  escalateNotify: boolean;
  escalateRaisePriority: boolean;
  escalationTeamId: number | null;
}

/** What a policy is chosen by. */
export interface PolicySubject {
  category: string | null;
  priority: string;
  channel: string;
}

export function policyFromRow(row: Record<string, unknown>): SlaPolicy {
  const list = (value: unknown) => (value === null || value === undefined ? null : fromJson<string[]>(value));
  return {
    id: Number(row.id),
    name: String(row.name),
    position: Number(row.position),
    active: Boolean(row.active),
    categories: list(row.categories),
    priorities: list(row.priorities),
    channels: list(row.channels),
    targets: fromJson<Targets>(row.targets) ?? {},
    resolutionExtensionDays: row.resolution_extension_days == null ? null : Number(row.resolution_extension_days),
    warningRatio: Number(row.warning_ratio),
    escalateNotify: Boolean(row.escalate_notify),
    escalateRaisePriority: Boolean(row.escalate_raise_priority),
    escalationTeamId: row.escalation_team_id == null ? null : Number(row.escalation_team_id),
  };
}

/** The first active policy, by position, whose every condition the ticket meets. */
export function choosePolicy(policies: readonly SlaPolicy[], ticket: PolicySubject): SlaPolicy | undefined {
  const matches = (allowed: string[] | null, value: string | null) =>
    allowed === null || (value !== null && allowed.includes(value));
  return policies.find(
    (policy) =>
      policy.active &&
      matches(policy.categories, ticket.category) &&
      matches(policy.priorities, ticket.priority) &&
      matches(policy.channels, ticket.channel),
  );
}

// Policies are read on every clock change and edited rarely: kept a few seconds per database,
// like calendars (another process's edit shows within CACHE_MS; this process's at once).
const CACHE_MS = 5_000;
const caches = new WeakMap<Knex, { expires: number; policies: Promise<SlaPolicy[]>; settled: boolean }>();

/**
 * The policies in matching order. `reader` runs the query when the cache is cold: pass the
 * transaction in progress (SQLite has one connection, held by it).
 */
export function loadPolicies(db: Knex, reader: Knex | Knex.Transaction = db): Promise<SlaPolicy[]> {
  const cached = caches.get(db);
  const fresh = cached !== undefined && cached.expires > performance.now();
  // As with calendars: a transaction never waits on a read that waits for its own connection.
  if (fresh && (cached.settled || reader === db)) return cached.policies;
  const read = reader('sla_policies')
    .orderBy([{ column: 'position' }, { column: 'id' }])
    .select()
    .then((rows: Record<string, unknown>[]) => rows.map(policyFromRow));
  if (fresh) return read;
  const entry = { expires: performance.now() + CACHE_MS, policies: read, settled: false };
  caches.set(db, entry);
  read.then(
    () => (entry.settled = true),
    () => caches.get(db) === entry && caches.delete(db),
  );
  return read;
}

export function forgetPolicies(db: Knex): void {
  caches.delete(db);
}
