import type { Knex } from 'knex';
import { toIso } from '../db/rows.js';

/** One row of `calls`: a call's state between Twilio's webhooks and, once over, its record. */
export interface CallRow {
  id: number;
  call_sid: string;
  direction: 'inbound' | 'callback';
  from_number: string | null;
  to_number: string | null;
  phone: string | null;
  language: 'id' | 'en';
  menu_path: string;
  reference_attempts: number;
  outcome: string | null;
  served: boolean;
  callback_reason: string | null;
  agent_id: number | null;
  task_id: number | null;
  /** The ticket a status check found: the call is recorded there (call-end.ts). */
  ticket_id: number | null;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_seconds: number | null;
  recording_sid: string | null;
  recording_url: string | null;
  recording_seconds: number | null;
  transcription: string | null;
  attempt_outcome: string | null;
}

export interface NewCall {
  callSid: string;
  direction: CallRow['direction'];
  from?: string;
  to?: string;
  phone?: string;
  agentId?: number;
  taskId?: number;
  status?: string;
  at: Date;
}

/**
 * The call's row, made on its first webhook. Twilio retries a webhook it got no answer to, and
 * several webhooks of one call may race: the unique CallSid makes the insert happen once.
 */
export async function openCall(db: Knex, call: NewCall): Promise<CallRow> {
  await db('calls')
    .insert({
      call_sid: call.callSid,
      direction: call.direction,
      from_number: call.from?.slice(0, 64) ?? null,
      to_number: call.to?.slice(0, 64) ?? null,
      phone: call.phone ?? null,
      agent_id: call.agentId ?? null,
      task_id: call.taskId ?? null,
      status: call.status ?? 'in-progress',
      started_at: call.at,
      updated_at: call.at,
    })
    .onConflict('call_sid')
    .ignore();
  return (await findCall(db, call.callSid))!;
}

export async function findCall(db: Knex | Knex.Transaction, callSid: string): Promise<CallRow | undefined> {
  const row = await db('calls').where({ call_sid: callSid }).first();
  return row ? toCallRow(row) : undefined;
}

export async function updateCall(
  db: Knex | Knex.Transaction,
  callSid: string,
  changes: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await db('calls')
    .where({ call_sid: callSid })
    .update({ ...changes, updated_at: at });
}

/** Keys the caller pressed, in order, kept for the call record (at most the column's length). */
export function withKey(menuPath: string, key: string): string {
  return `${menuPath} ${key}`.trim().slice(-255);
}

function toCallRow(row: Record<string, unknown>): CallRow {
  const idOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    ...(row as unknown as CallRow),
    id: Number(row.id),
    language: row.language === 'en' ? 'en' : 'id',
    reference_attempts: Number(row.reference_attempts ?? 0),
    served: Boolean(row.served),
    agent_id: idOrNull(row.agent_id),
    task_id: idOrNull(row.task_id),
    ticket_id: idOrNull(row.ticket_id),
    duration_seconds: idOrNull(row.duration_seconds),
    recording_seconds: idOrNull(row.recording_seconds),
    started_at: toIso(row.started_at)!,
    ended_at: toIso(row.ended_at),
  };
}
